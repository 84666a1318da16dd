"""The statutory workflow as one declarative table (design.md §3, domain/petition.md §2, §8).

Each row names an action, the states it may be taken from, the state it leads to, who may take it
(roles, and which organisation the actor must belong to), the document it produces, the deadline step it
starts (and so stops the previous one), the inputs it asks for, and the article it rests on.
`transitions.py` executes the rows; views render the rows allowed for a user. Nothing else decides
what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinfang.orgs.roles import Role

from .choices import Status as S

# Who the actor must be, besides having one of the roles.
BUREAU = "bureau"  # the petition bureau (any bureau role listed)
UNIT = "unit"  # a user of the case's responsible unit
REVIEW_BODY = "review_body"  # a user of the body the current review / re-review request went to

ART31_ROUTES = {
    "31(1)": "诉讼、仲裁、复议以外的诉讼类法定程序（第三十一条第一项）",
    "31(2)": "仲裁程序（第三十一条第二项）",
    "31(3)": "党员申诉、申请复审程序（第三十一条第三项）",
    "31(4)": "行政复议、裁决、确认、许可、处罚等行政程序（第三十一条第四项）",
    "31(5)": "依法履行保护人身权或者财产权等合法权益职责（第三十一条第五项）",
}
ROUTE_HANDLING = "31(6)"

DECISIONS = {"support": "支持", "explain": "解释说明", "reject": "不支持"}

NOT_ACCEPTED_GROUNDS = {
    "not_remit": "不属于本机关职权范围",
    "other_procedure": "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决",
    "in_handling": "已受理且在办理期限内",
    "in_review_window": "已有处理意见且在复查、复核期限内",
    "unclear": "信访人无法联系、无实质内容或者姓名、住址不清",
}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | textarea | date | int | unit | case | choice | bool
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    from_states: frozenset[str]
    to_state: str | None  # None: the state does not change
    roles: frozenset[str]
    actor: str  # BUREAU | UNIT | REVIEW_BODY
    article: str
    document: str | None = None  # document type produced (see documents/templates)
    starts: str | None = None  # deadline step started; "" clears the running clock
    fields: tuple[Field, ...] = ()
    confirm: str = ""


ON = Field("on", "日期", "date", required=False, help="该环节实际发生的日期（默认今天），不得早于上一环节")
NOTE = Field("note", "说明", "textarea", required=False)
REASON = Field("reason", "理由", "textarea")
UNIT_FIELD = Field("unit", "承办单位", "unit")

TRIAGE_FROM = frozenset({S.REGISTERED, S.OBJECTED})
RECEIVED_FROM = frozenset({S.FORWARDED, S.ASSIGNED})
HANDLING_FROM = frozenset({S.HANDLING, S.EXTENDED})
OPEN_EARLY = frozenset(
    {S.REGISTERED, S.FORWARDED, S.ASSIGNED, S.OBJECTED, S.ACCEPTED, S.HANDLING, S.EXTENDED}
)
REGISTRARS = frozenset({Role.REGISTRAR, Role.ADMIN})
UNIT_STAFF = frozenset({Role.HANDLER, Role.UNIT_HEAD})
HEADS = frozenset({Role.UNIT_HEAD})

OPINION_FIELDS = (
    Field("request_text", "信访请求", "textarea"),
    Field("facts", "事实和理由", "textarea"),
    Field("decision", "处理结果", "choice", choices=tuple(DECISIONS.items())),
    Field("decision_text", "处理意见", "textarea"),
    Field("legal_basis", "法律依据", "textarea"),
    Field(
        "review_route",
        "复查（复核）途径和期限",
        "textarea",
        required=False,
        help="如不服，可自收到本意见书之日起30日内向上一级机关申请复查（复核）",
    ),
    Field("served_on", "送达日期", "date", required=False, help="默认今天"),
)

ACTIONS: dict[str, Action] = {
    a.code: a
    for a in (
        Action(
            "forward",
            "转送",
            TRIAGE_FROM,
            S.FORWARDED,
            REGISTRARS,
            BUREAU,
            "第二十二条第一项、第二项",
            document="routing_slip",
            starts="acceptance",
            fields=(UNIT_FIELD, ON, NOTE),
        ),
        Action(
            "assign",
            "交办",
            TRIAGE_FROM,
            S.ASSIGNED,
            REGISTRARS,
            BUREAU,
            "第二十二条第三项",
            document="routing_slip",
            starts="acceptance",
            fields=(
                UNIT_FIELD,
                Field("result_due", "办结期限", "date", help="交办单位设定，须报送办结报告"),
                ON,
                NOTE,
            ),
        ),
        Action(
            "inform",
            "告知其他法定途径",
            TRIAGE_FROM | RECEIVED_FROM | {S.ACCEPTED},
            S.INFORMED,
            REGISTRARS | UNIT_STAFF,
            BUREAU + "|" + UNIT,
            "第二十二条第二款、第三十一条第一至五项",
            starts="",
            fields=(Field("route", "法定途径", "choice", choices=tuple(ART31_ROUTES.items())), ON, NOTE),
        ),
        Action(
            "accept",
            "受理",
            RECEIVED_FROM | {S.REGISTERED},
            S.ACCEPTED,
            UNIT_STAFF,
            UNIT,
            "第二十三条、第三十一条第六项",
            document="acceptance_notice",
            starts="handling",
            fields=(
                ON,
                Field("notice_exempt", "免于书面告知（信访人姓名或住址不清）", "bool", required=False),
                NOTE,
            ),
        ),
        Action(
            "not_accept",
            "不予受理",
            RECEIVED_FROM | {S.REGISTERED},
            S.NOT_ACCEPTED,
            REGISTRARS | UNIT_STAFF,
            BUREAU + "|" + UNIT,
            "第十九条、第二十三条",
            document="non_acceptance_notice",
            starts="",
            fields=(
                Field("ground", "不予受理理由", "choice", choices=tuple(NOT_ACCEPTED_GROUNDS.items())),
                ON,
                NOTE,
            ),
        ),
        Action(
            "object",
            "异议（不属本单位职权）",
            RECEIVED_FROM,
            S.OBJECTED,
            UNIT_STAFF,
            UNIT,
            "第二十三条第三款",
            starts="triage",
            fields=(REASON, ON),
        ),
        Action(
            "reject_objection",
            "不同意异议（退回原单位办理）",
            frozenset({S.OBJECTED}),
            S.FORWARDED,
            REGISTRARS,
            BUREAU,
            "第二十三条第三款",
            starts="acceptance",
            fields=(REASON, ON),
        ),
        Action(
            "start_handling",
            "开始办理",
            frozenset({S.ACCEPTED}),
            S.HANDLING,
            UNIT_STAFF,
            UNIT,
            "第三十一条第六项",
            fields=(ON, NOTE),
        ),
        Action(
            "extend",
            "延期",
            frozenset({S.ACCEPTED, S.HANDLING, S.EXTENDED}),
            S.EXTENDED,
            HEADS,
            UNIT,
            "第三十四条",
            document="extension_notice",
            starts="handling",
            fields=(Field("days", "延长天数", "int"), REASON, ON),
        ),
        Action(
            "hearing",
            "听证",
            HANDLING_FROM | {S.REREVIEW_REQUESTED},
            None,
            UNIT_STAFF,
            UNIT + "|" + REVIEW_BODY,
            "第三十一条第六项、第三十六条第二款",
            fields=(Field("start", "听证开始日期", "date"), Field("end", "听证结束日期", "date"), NOTE),
        ),
        Action(
            "reply",
            "答复（出具处理意见书）",
            HANDLING_FROM | {S.ACCEPTED},
            S.REPLIED,
            HEADS,
            UNIT,
            "第三十二条、第三十四条",
            document="handling_opinion",
            starts="",
            fields=(
                *OPINION_FIELDS,
                Field("result_report", "办结报告（交办件必填）", "textarea", required=False),
            ),
        ),
        Action(
            "request_review",
            "录入复查申请",
            frozenset({S.REPLIED, S.EVALUATED}),
            S.REVIEW_REQUESTED,
            REGISTRARS,
            BUREAU,
            "第三十五条",
            starts="review",
            fields=(
                Field("body", "复查机关", "unit"),
                Field("received_on", "复查机关收到请求日期", "date"),
                REASON,
            ),
        ),
        Action(
            "review_opinion",
            "出具复查意见",
            frozenset({S.REVIEW_REQUESTED}),
            S.REVIEWED,
            UNIT_STAFF,
            REVIEW_BODY,
            "第三十五条",
            document="review_opinion",
            starts="",
            fields=OPINION_FIELDS,
        ),
        Action(
            "request_rereview",
            "录入复核申请",
            frozenset({S.REVIEWED}),
            S.REREVIEW_REQUESTED,
            REGISTRARS,
            BUREAU,
            "第三十六条",
            starts="rereview",
            fields=(
                Field("body", "复核机关", "unit"),
                Field("received_on", "复核机关收到请求日期", "date"),
                REASON,
            ),
        ),
        Action(
            "rereview_opinion",
            "出具复核意见",
            frozenset({S.REREVIEW_REQUESTED}),
            S.REREVIEWED,
            UNIT_STAFF,
            REVIEW_BODY,
            "第三十六条",
            document="rereview_opinion",
            starts="",
            fields=OPINION_FIELDS,
        ),
        Action(
            "conclude",
            "终结",
            frozenset({S.REREVIEWED, S.REPLIED, S.EVALUATED, S.REVIEWED}),
            S.CONCLUDED,
            REGISTRARS,
            BUREAU,
            "第三十六条第三款",
            starts="",
            fields=(ON, NOTE),
            confirm="终结后同一事实和理由的信访不再受理",
        ),
        Action(
            "merge",
            "合并重复件",
            frozenset({S.REGISTERED, S.FORWARDED, S.ASSIGNED}),
            S.MERGED,
            REGISTRARS,
            BUREAU,
            "重复信访合并",
            starts="",
            fields=(Field("target", "并入信访件编号", "case"), ON, NOTE),
        ),
        Action(
            "withdraw",
            "撤回",
            OPEN_EARLY,
            S.WITHDRAWN,
            REGISTRARS,
            BUREAU,
            "信访人撤回",
            starts="",
            fields=(REASON, ON),
        ),
    )
}


# Government levels that act as the "body one level above" for 复查/复核 (art.35, art.36).
REVIEW_LEVEL_KINDS = ("town", "district", "city", "province", "national")


def review_body_for(org):  # noqa: ANN001, ANN201
    """The body one level above `org` for 复查/复核 (art.35 ¶1, art.36 ¶1).

    Data-driven on the Organisation tree: the nearest *ancestor* whose kind is a government level
    (REVIEW_LEVEL_KINDS). A district department or a town is reviewed by the district (its 人民政府);
    the district's review opinion is re-reviewed by the city; a village by its town. The tree carries the
    whole answer, so another province's hierarchy needs only its organisations, not code. Returns None at
    the top of the tree.
    """
    from xinfang.orgs.models import Organisation

    if org is None:
        return None
    ancestors = org.ancestor_ids()[:-1]
    by_id = Organisation.objects.in_bulk(ancestors)
    for pk in reversed(ancestors):
        candidate = by_id.get(pk)
        if candidate is not None and candidate.kind in REVIEW_LEVEL_KINDS and candidate.is_active:
            return candidate
    return None


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


def actor_kinds(action: Action) -> set[str]:
    return set(action.actor.split("|"))


def actor_kind(action: Action, case) -> str:  # noqa: ANN001
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


def actions_from(status: str) -> list[Action]:
    return [a for a in ACTIONS.values() if status in a.from_states]
