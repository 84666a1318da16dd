"""Session or bearer-token authentication for the API."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from xinfang.orgs.models import ApiToken, User


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, name: str) -> str:
    """Create a token and return the raw value (shown once; only its hash is stored)."""
    raw = "xf_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw))
    return raw


class _Bearer(HttpBearer):
    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class _Session(APIKeyCookie):
    """Django's session cookie; CSRF is enforced for unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request):
        # CSRF guards a logged-in session. Without one (no cookie, or an expired session's) there is nothing to
        # guard: the caller is told to log in or send a token (401), not to send a CSRF token (403).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def SessionOrToken() -> list:
    return [_Bearer(), _Session()]
