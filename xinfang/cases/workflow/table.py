"""The statutory workflow as one declarative table (design.md §3, domain/petition.md §2, §8).

Each row names an action, the states it may be taken from, the state it leads to, who may take it
(roles, and which organisation the actor must belong to), the document it produces, the deadline step it
starts (and so stops the previous one), the inputs it asks for, the article it rests on, the guards that
may still refuse it for a given case (`guards.py`), and the checks its effect makes on the typed values.
The engine executes the rows; pages and the API offer the rows `allowed_actions` returns. Nothing else
decides what is allowed: an effect never refuses for a reason that is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinfang.orgs.roles import Role

from ..choices import Status as S
from . import guards as g
from .actors import BUREAU, REVIEW_BODY, UNIT
from .codes import ART31_ROUTES, DECISIONS, NOT_ACCEPTED_GROUNDS, ActionCode


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
    actor: str  # BUREAU | UNIT | REVIEW_BODY, or several joined by "|"
    article: str
    document: str | None = None  # document type produced (see documents/templates)
    starts: str | None = None  # deadline step started; "" clears the running clock
    fields: tuple[Field, ...] = ()
    confirm: str = ""
    guards: tuple[g.Guard, ...] = ()  # refusals that depend on the case (offered only when all pass)
    checks: tuple[str, ...] = ()  # what the effect checks on the typed values (documentation)


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

# Every action checks its date field: not after today, not before the previous step (engine).
TARGET_CHECKS = ("unit: 有效、未撤销、非本信访部门", "unit: 非检举控告被反映单位及其上级（第三十条第三款）")
REQUEST_CHECKS = (
    "body: 原办理机关的上一级机关（第三十五条、第三十六条）",
    "received_on: 不早于意见书送达日、不晚于申请期限",
    "body: 非检举控告被反映单位及其上级（第三十条第三款）",
)

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
            ActionCode.FORWARD,
            "转送",
            TRIAGE_FROM,
            S.FORWARDED,
            REGISTRARS,
            BUREAU,
            "第二十二条第一项、第二项",
            document="routing_slip",
            starts="acceptance",
            fields=(UNIT_FIELD, ON, NOTE),
            checks=TARGET_CHECKS,
        ),
        Action(
            ActionCode.ASSIGN,
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
            checks=(*TARGET_CHECKS, "result_due: 晚于交办日期"),
        ),
        Action(
            ActionCode.INFORM,
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
            ActionCode.ACCEPT,
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
            guards=(g.ROUTED_FIRST,),
            checks=("notice_exempt: 须在“说明”中写明姓名或住址不清（第二十三条第二款）",),
        ),
        Action(
            ActionCode.NOT_ACCEPT,
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
            ActionCode.OBJECT,
            "异议（不属本单位职权）",
            RECEIVED_FROM,
            S.OBJECTED,
            UNIT_STAFF,
            UNIT,
            "第二十三条第三款",
            starts="triage",
            fields=(REASON, ON),
            guards=(g.OBJECTION_IN_TIME,),
        ),
        Action(
            ActionCode.REJECT_OBJECTION,
            "不同意异议（退回原单位办理）",
            frozenset({S.OBJECTED}),
            S.FORWARDED,
            REGISTRARS,
            BUREAU,
            "第二十三条第三款",
            starts="acceptance",
            fields=(REASON, ON),
            guards=(g.HAS_ORIGINAL_UNIT,),
        ),
        Action(
            ActionCode.START_HANDLING,
            "开始办理",
            frozenset({S.ACCEPTED}),
            S.HANDLING,
            UNIT_STAFF,
            UNIT,
            "第三十一条第六项",
            fields=(ON, NOTE),
        ),
        Action(
            ActionCode.EXTEND,
            "延期",
            frozenset({S.ACCEPTED, S.HANDLING, S.EXTENDED}),
            S.EXTENDED,
            HEADS,
            UNIT,
            "第三十四条",
            document="extension_notice",
            starts="handling",
            fields=(Field("days", "延长天数", "int"), REASON, ON),
            guards=(g.EXTENSION_LEFT,),
            checks=("days: 正整数、不超过延期上限", "days: 延期后不超过受理之日起的最长期限（第三十四条）"),
        ),
        Action(
            ActionCode.HEARING,
            "听证",
            HANDLING_FROM | {S.REREVIEW_REQUESTED},
            None,
            UNIT_STAFF,
            UNIT + "|" + REVIEW_BODY,
            "第三十一条第六项、第三十六条第二款",
            fields=(Field("start", "听证开始日期", "date"), Field("end", "听证结束日期", "date"), NOTE),
            checks=("end: 不早于 start",),
        ),
        Action(
            ActionCode.REPLY,
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
            guards=(g.HANDLED_UNDER_31_6,),
            checks=("review_route: 省级规则要求时必填", "result_report: 交办件必填（第二十二条第三项）"),
        ),
        Action(
            ActionCode.REQUEST_REVIEW,
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
            guards=(g.REPLY_TO_REVIEW,),
            checks=REQUEST_CHECKS,
        ),
        Action(
            ActionCode.REVIEW_OPINION,
            "出具复查意见",
            frozenset({S.REVIEW_REQUESTED}),
            S.REVIEWED,
            UNIT_STAFF,
            REVIEW_BODY,
            "第三十五条",
            document="review_opinion",
            starts="",
            fields=OPINION_FIELDS,
            checks=("review_route: 省级规则要求时必填",),
        ),
        Action(
            ActionCode.REQUEST_REREVIEW,
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
            guards=(g.OPINION_TO_REREVIEW,),
            checks=REQUEST_CHECKS,
        ),
        Action(
            ActionCode.REREVIEW_OPINION,
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
            ActionCode.CONCLUDE,
            "终结",
            frozenset({S.REREVIEWED, S.REPLIED, S.EVALUATED, S.REVIEWED}),
            S.CONCLUDED,
            REGISTRARS,
            BUREAU,
            "第三十六条第三款",
            starts="",
            fields=(ON, NOTE),
            confirm="终结后同一事实和理由的信访不再受理",
            guards=(g.REQUEST_WINDOW_LAPSED,),
        ),
        Action(
            ActionCode.MERGE,
            "合并重复件",
            frozenset({S.REGISTERED, S.FORWARDED, S.ASSIGNED}),
            S.MERGED,
            REGISTRARS,
            BUREAU,
            "重复信访合并",
            starts="",
            fields=(Field("target", "并入信访件编号", "case"), ON, NOTE),
            checks=("target: 另一件、更早登记的信访件（隐藏件与不存在件同样答复）",),
        ),
        Action(
            ActionCode.WITHDRAW,
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


def actions_from(status: str) -> list[Action]:
    return [a for a in ACTIONS.values() if status in a.from_states]
