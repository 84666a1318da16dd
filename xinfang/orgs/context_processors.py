"""What the navigation offers each user, decided from roles here rather than in templates."""

from __future__ import annotations

from django.http import HttpRequest

from .roles import REGISTERING_ROLES, Role

PERF_READ_ROLES = frozenset({Role.FINANCE, Role.AUDITOR, Role.LEADER})  # performance/access.py READ_ROLES
# Who finds 统计分析 in the navigation: analytics/params.py STATS_ROLES (orgs may not import analytics; a test
# keeps the two equal). Unit users see their own unit's figures.
DASHBOARD_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.REGISTRAR})


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "cases": user.role != Role.FINANCE,
            "register": user.role in REGISTERING_ROLES,
            "hotspots": user.is_bureau_role,
            "performance": user.role in PERF_READ_ROLES,
            "dashboard": user.role in DASHBOARD_ROLES
            or (user.is_unit_role and user.organisation_id is not None),
            "admin": user.role == Role.ADMIN,
            "supervision": user.role in (Role.SUPERVISOR, Role.ADMIN, Role.LEADER),
            "leader_desk": user.role == Role.LEADER,
            "unit_letters": user.role in (Role.HANDLER, Role.UNIT_HEAD),
        }
    }
