"""Who may use the performance module: finance edits; the auditor and the leader read (design.md §1).

Read-only roles get every page but no form; any write they attempt is refused with 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from xinfang.orgs.roles import Role

EDIT_ROLES = frozenset({Role.FINANCE})
READ_ROLES = frozenset({Role.FINANCE, Role.AUDITOR, Role.LEADER})
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def can_read(user) -> bool:
    return user.is_authenticated and user.role in READ_ROLES


def can_edit(user) -> bool:
    return user.is_authenticated and user.role in EDIT_ROLES


def perf_view(view):
    """Readers may GET; only editors may POST. The template gets ``can_edit`` through the request."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read(request.user):
            raise PermissionDenied("仅财务/绩效、审计/纪检和领导可访问预算绩效管理")
        if request.method not in SAFE_METHODS and not can_edit(request.user):
            raise PermissionDenied("只读角色不能修改预算绩效数据")
        request.perf_can_edit = can_edit(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def perf_edit(view):
    """Pages that exist only to change data (forms, uploads): editors only, even for GET."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_edit(request.user):
            raise PermissionDenied("仅财务/绩效人员可修改预算绩效数据")
        request.perf_can_edit = True
        return view(request, *args, **kwargs)

    return wrapper
