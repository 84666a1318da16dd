"""Who acts for a case at each step: the petition bureau, the responsible unit, or the review body.

A row of the table names the kind of actor (`Action.actor`); this module decides which organisation
that is for a given case, and refuses everyone else. The accused unit of a 检举控告 and its chain never
act on the case (art.30 ¶3).
"""

from __future__ import annotations

from xinfang.cases.permissions import is_accused_org
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.models import Organisation, User

from ..choices import Status as S
from ..models import Case
from .queries import current_review_request

BUREAU = "bureau"  # the petition bureau (any bureau role listed)
UNIT = "unit"  # a user of the case's responsible unit
REVIEW_BODY = "review_body"  # a user of the body the current review / re-review request went to
SYSTEM = "system"  # the daily job, never a user (the action is never offered on a page)

ACCUSED_MESSAGE = "检举控告件不得转送、交办或告知被反映单位及其上级单位（《信访工作条例》第三十条第三款）"

# Government levels that act as the "body one level above" for 复查/复核 (art.35, art.36).
REVIEW_LEVEL_KINDS = ("town", "district", "city", "province", "national")

# Who acts on a case in each state, for rows that several kinds of actor may take.
STAGE_OWNER = {
    S.REGISTERED: BUREAU,
    S.OBJECTED: BUREAU,
    S.FORWARDED: UNIT,
    S.ASSIGNED: UNIT,
    S.ACCEPTED: UNIT,
    S.HANDLING: UNIT,
    S.EXTENDED: UNIT,
    S.REPLIED: BUREAU,
    S.EVALUATED: BUREAU,
    S.REVIEW_REQUESTED: REVIEW_BODY,
    S.REVIEWED: BUREAU,
    S.REREVIEW_REQUESTED: REVIEW_BODY,
    S.REREVIEWED: BUREAU,
}


def review_body_for(org: Organisation | None) -> Organisation | None:
    """The body one level above `org` for 复查/复核 (art.35 ¶1, art.36 ¶1).

    Data-driven on the Organisation tree: the nearest *ancestor* whose kind is a government level
    (REVIEW_LEVEL_KINDS). A district department or a town is reviewed by the district (its 人民政府);
    the district's review opinion is re-reviewed by the city; a village by its town. The tree carries the
    whole answer, so another province's hierarchy needs only its organisations, not code. Returns None at
    the top of the tree.
    """
    if org is None:
        return None
    ancestors = org.ancestor_ids()[:-1]
    by_id = Organisation.objects.in_bulk(ancestors)
    for pk in reversed(ancestors):
        candidate = by_id.get(pk)
        if candidate is not None and candidate.kind in REVIEW_LEVEL_KINDS and candidate.is_active:
            return candidate
    return None


def actor_kinds(action) -> set[str]:
    return set(action.actor.split("|"))


def actor_kind(action, case: Case) -> str:
    """Which kind of actor takes `action` on `case` now. A case received directly by a unit (registered
    there, not by the bureau) is acted on by that unit from the start (art.23 ¶2)."""
    kinds = actor_kinds(action)
    if len(kinds) == 1:
        return next(iter(kinds))
    owner = STAGE_OWNER.get(case.status, BUREAU)
    direct = (
        case.status == S.REGISTERED and case.responsible_unit_id and case.registering_org.kind != "bureau"
    )
    if direct and UNIT in kinds:
        owner = UNIT
    return owner if owner in kinds else sorted(kinds)[0]


def check_actor(action, case: Case, actor: User | None, recused: frozenset[int] | None = None) -> None:
    """Refuse unless `actor` has one of the row's roles and belongs to the organisation acting now."""
    if action.actor == SYSTEM or actor is None:
        if action.actor == SYSTEM and actor is None:
            return
        raise ServiceError(f"“{action.label}”由系统自动办理", code=ErrorCode.FORBIDDEN)
    if actor.role not in action.roles:
        raise ServiceError(
            f"您的角色（{actor.get_role_display()}）不能执行“{action.label}”", code=ErrorCode.FORBIDDEN
        )
    kind = actor_kind(action, case)
    org = actor.organisation
    if kind == BUREAU and not actor.is_bureau_role:
        raise ServiceError(f"“{action.label}”由信访部门办理", code=ErrorCode.FORBIDDEN)
    if kind == UNIT and (org is None or org.pk != case.responsible_unit_id):
        raise ServiceError(f"只有责任单位的人员可以执行“{action.label}”", code=ErrorCode.FORBIDDEN)
    if kind == REVIEW_BODY:
        req = current_review_request(case)
        if req is None or org is None or org.pk != req.body_id:
            raise ServiceError(
                f"只有受理复查（复核）请求的机关可以执行“{action.label}”", code=ErrorCode.FORBIDDEN
            )
    if is_accused_org(case, org):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT)
    if actor.pk in (recused_user_ids(case) if recused is None else recused):
        raise ServiceError("您已申请回避，不能办理本件（第二十八条第三款）", code=ErrorCode.FORBIDDEN)


def recused_user_ids(case: Case) -> frozenset[int]:
    """Users who declared a conflict of interest on the case."""
    return frozenset(case.recusals.values_list("user_id", flat=True)) if case.pk else frozenset()
