"""Guards: refusals that depend on the case (its state, history and the date), named by the table.

A guard answers "may this action be taken on this case on this day?" with None (yes) or the Chinese
refusal. `allowed_actions` asks every guard with today's date, so an action the engine would refuse is
never offered; `execute` asks again with the event's date. Checks on the values a user types (a date,
a number of days, a unit) are not guards: the table lists them in its `checks` column.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from xinfang.core.errors import ErrorCode
from xinfang.orgs.models import OrgKind

from ..choices import Nature
from ..choices import Status as S
from ..models import Case
from . import deadlines
from .codes import ROUTE_HANDLING
from .queries import latest_opinion


@dataclass(frozen=True)
class Guard:
    name: str
    article: str
    # (case, event date, profile) -> the refusal in Chinese, or None when the action may proceed
    test: Callable[[Case, datetime.date, deadlines.Profile], str | None]
    code: str = ErrorCode.NOT_ALLOWED
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.name}（{self.article}）"


def _routed_first(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    if case.status == S.REGISTERED and case.registering_org.kind == OrgKind.BUREAU:
        return "信访部门登记的事项须先转送或交办，承办单位方可受理"
    return None


def _objection_in_time(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    received = (
        timezone.localdate(case.received_by_unit_at) if case.received_by_unit_at else case.received_date
    )
    limit = deadlines.due("objection", received, profile).date
    if on > limit:
        n = profile.rule("objection").n
        return f"异议期限已过：应自收到之日（{received:%Y-%m-%d}）起{n}个工作日内，即{limit:%Y-%m-%d}前提出"
    return None


def _has_original_unit(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    return None if case.responsible_unit_id else "没有可退回的原承办单位，请重新转送或交办"


def _extension_left(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    if case.extension_count >= profile.max_extensions:
        return f"本件已延期{case.extension_count}次，办理期限只能延长一次（第三十四条）"
    return None


def _handled_under_31_6(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    if case.nature != Nature.APPEAL:
        return f"{case.get_nature_display()}类事项不出具处理意见书，不适用复查、复核（第二十九条、第三十条）"
    if case.handling_route and case.handling_route != ROUTE_HANDLING:
        return "依第三十一条第一至五项导入其他程序的事项不出具处理意见书"
    return None


def _before_handling_due(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    if case.handling_due_date and on > case.handling_due_date:
        return f"办理期限已于{case.handling_due_date:%Y-%m-%d}届满，不能再延期（第三十四条）"
    return None


def _nature_is(nature: str) -> Callable[[Case, datetime.date, deadlines.Profile], str | None]:
    label = Nature(nature).label

    def test(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
        return None if case.nature == nature else f"只适用于{label}类信访事项"

    return test


def _reply_to_review(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    if case.handling_route != ROUTE_HANDLING:
        return "只有依第三十一条第六项办理并出具处理意见书的事项可以申请复查"
    if latest_opinion(case, "reply") is None:
        return "没有可申请复查的意见书"
    return None


def _opinion_to_rereview(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    return None if latest_opinion(case, "review") is not None else "没有可申请复核的意见书"


def _request_window_lapsed(case: Case, on: datetime.date, profile: deadlines.Profile) -> str | None:
    op = latest_opinion(case, "review" if case.status == S.REVIEWED else "reply")
    if op is None or op.next_window_end is None:
        return "没有可据以办结的意见书"
    if on <= op.next_window_end:
        return f"信访人申请复查（复核）的期限至{op.next_window_end:%Y-%m-%d}，期限届满后方可办结"
    return None


ROUTED_FIRST = Guard("routed_first", "第二十二条、第二十三条", _routed_first)
OBJECTION_IN_TIME = Guard(
    "objection_in_time", "第二十三条第三款", _objection_in_time, ErrorCode.DEADLINE_PASSED, "on"
)
HAS_ORIGINAL_UNIT = Guard("has_original_unit", "第二十三条第三款", _has_original_unit)
EXTENSION_LEFT = Guard("extension_left", "第三十四条", _extension_left, field="days")
HANDLED_UNDER_31_6 = Guard("handled_under_31_6", "第三十一条第六项", _handled_under_31_6)
BEFORE_HANDLING_DUE = Guard("before_handling_due", "第三十四条", _before_handling_due, field="days")
IS_SUGGESTION = Guard("is_suggestion", "第二十九条", _nature_is(Nature.SUGGESTION))
IS_ACCUSATION = Guard("is_accusation", "第三十条", _nature_is(Nature.ACCUSATION))
REPLY_TO_REVIEW = Guard("reply_to_review", "第三十五条", _reply_to_review)
OPINION_TO_REREVIEW = Guard("opinion_to_rereview", "第三十六条", _opinion_to_rereview)
REQUEST_WINDOW_LAPSED = Guard("request_window_lapsed", "第三十五条、第三十六条", _request_window_lapsed)
