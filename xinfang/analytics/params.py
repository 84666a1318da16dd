"""Reading a statistics request (period, unit, category) once for the API, the pages and the commands."""

from __future__ import annotations

from datetime import date

from xinfang.cases.models import Category
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import Organisation, User
from xinfang.orgs.roles import Role

from .scope import Scope
from .stats import StatsQuery

LABELS = {"from": "开始日期", "to": "结束日期", "unit": "单位", "category": "内容分类"}
# Who may read statistics, and over what: bureau roles any unit, unit roles their own subtree.
STATS_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.REGISTRAR})


def _date(name: str, raw: str | None, errors: dict) -> date | None:
    if not raw:
        errors[name] = [f"{LABELS[name]}为必填项"]
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = [f"{LABELS[name]}须为日期（YYYY-MM-DD）"]
        return None


def _object(model, name: str, raw: str | int | None, errors: dict):
    if raw in (None, ""):
        return None
    try:
        return model.objects.get(pk=int(raw))
    except (ValueError, TypeError, model.DoesNotExist):
        errors[name] = [f"{LABELS[name]}不存在"]
        return None


def parse_query(
    raw_from: str | None,
    raw_to: str | None,
    raw_unit: str | int | None = None,
    raw_category: str | int | None = None,
) -> StatsQuery:
    """A StatsQuery from raw request values, or ValidationFailed with Chinese messages per field."""
    errors: dict[str, list[str]] = {}
    start, end = _date("from", raw_from, errors), _date("to", raw_to, errors)
    unit = _object(Organisation, "unit", raw_unit, errors)
    category = _object(Category, "category", raw_category, errors)
    if start and end and start > end:
        errors["to"] = ["结束日期不能早于开始日期"]
    if errors:
        raise ValidationFailed(errors)
    return StatsQuery(start, end, Scope(unit=unit, category=category))


def allowed_scope(user: User, query: StatsQuery) -> StatsQuery:
    """Narrow the query to what the user may read: bureau roles anything, unit roles their own subtree."""
    if user.is_bureau_role and user.role in STATS_ROLES:
        return query
    if user.is_unit_role and user.organisation_id:
        own = user.organisation
        unit = query.scope.unit
        if unit is None:
            unit = own
        elif not unit.is_within(own):
            raise ServiceError("无权查看该单位的统计数据", code=ErrorCode.FORBIDDEN, field="unit")
        return StatsQuery(query.start, query.end, Scope(unit=unit, category=query.scope.category), query.now)
    raise ServiceError("无权查看统计数据", code=ErrorCode.FORBIDDEN)


def can_view_stats(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (
            (user.is_bureau_role and user.role in STATS_ROLES) or (user.is_unit_role and user.organisation_id)
        )
    )
