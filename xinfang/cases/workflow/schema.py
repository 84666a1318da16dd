"""The shape of a row of the workflow table (`Field`, `Action`) and the fields and state groups rows share."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xinfang.orgs.roles import Role

from ..choices import Outcome
from ..choices import Status as S
from .codes import DECISIONS
from .guards import Guard


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
    guards: tuple[Guard, ...] = ()  # refusals that depend on the case (offered only when all pass)
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

ADOPTION_CHOICES = tuple(
    (o.value, o.label) for o in (Outcome.ADOPTED, Outcome.PARTLY_ADOPTED, Outcome.NOT_ADOPTED)
)
SETTLEMENT_CHOICES = tuple((o.value, o.label) for o in (Outcome.MEDIATED, Outcome.SETTLED))


EXTEND_FIELDS = (Field("days", "延长天数", "int"), REASON, ON)
REPLY_FIELDS = (*OPINION_FIELDS, Field("result_report", "办结报告（交办件必填）", "textarea", required=False))
SUGGESTION_FIELDS = (
    Field("adoption", "研究结果", "choice", choices=ADOPTION_CHOICES),
    Field("answer", "研究论证意见及理由", "textarea"),
    Field("served_on", "答复日期", "date", required=False, help="默认今天"),
)
ACCUSATION_FIELDS = (
    Field("feedback", "办理情况", "textarea"),
    Field("served_on", "反馈日期", "date", required=False, help="默认今天"),
)
SETTLEMENT_FIELDS = (
    Field("kind", "方式", "choice", choices=SETTLEMENT_CHOICES),
    Field("agreement", "协议内容", "textarea"),
    Field("served_on", "签订日期", "date", required=False, help="默认今天"),
)


def optional(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The same inputs with none required (a draft may be saved half-written)."""
    return tuple(replace(f, required=False) for f in fields)
