from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from xinfang.audit.services import record

from . import throttle
from .roles import UNIT_ROLES, Role


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
        "locked": "登录失败次数过多，请 %(minutes)d 分钟后再试。",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = throttle.client_address(self.request)
        if username and throttle.is_locked(username, address):
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.XINFANG["LOGIN_LOCK_SECONDS"] // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        record("login", actor=self.get_user(), obj=self.get_user(), address=address)
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm):
    """The admin's login form: the same lockout and audit as /login/, and staff only."""

    error_messages = {
        **ThrottledAuthenticationForm.error_messages,
        "not_staff": "该账号无权进入系统管理。",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(self.error_messages["not_staff"], code="not_staff")


class ThrottledLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def home(request):
    role = request.user.role
    if role == Role.FINANCE:
        return redirect("performance:home")
    if role == Role.LEADER:
        return redirect("analytics:dashboard")  # the leader's own desk (包案, receptions) is one click away
    if role == Role.SUPERVISOR:
        return redirect("supervision:desk")
    if role == Role.REGISTRAR or role in UNIT_ROLES:
        # Registrars land on the cases still to route, unit users on their unit's work, soonest deadline first.
        return redirect(reverse("cases:list") + "?todo=on")
    return redirect("cases:list")
