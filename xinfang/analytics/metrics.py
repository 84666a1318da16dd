"""The statistics registry: one `Metric` per indicator of domain/petition.md §4.2.

Every figure is computed in the database (conditional `Count`), never by loading cases into Python.

Conventions (documented choices, see also README of this app in the docstrings below):

* Periods are inclusive calendar dates ``[start, end]`` in the local time zone (settings.TIME_ZONE).
* ``now`` freezes the evaluation moment (default ``timezone.now()``): a milestone recorded after ``now``
  counts as not yet recorded, so a figure "as of" a past moment is reproducible.
* Unit scope: a case belongs to ``unit`` when its responsible unit (责任单位) or any unit it was routed to
  (cases.CaseRouting: 转送/交办) lies in ``unit``'s subtree (``Organisation.path`` prefix). Passing the
  district or bureau therefore covers everything below it; ``None`` means all cases.
* Repeat (重件): the case is linked (``related_case``) to an *earlier* case that shares a petitioner with
  it, or it was refused as 不再受理 (rule 8 counts those as repeats). ``is_repeat_suspect`` alone is only
  the registration-time hint and does not count until an officer confirms it by setting ``related_case``.
* Percentages are ``Decimal`` with 2 decimal places, rounded half-up; ``None`` when the cohort is empty.
  Counts (unit "件") are whole ``Decimal`` numbers, ``Decimal(0)`` for an empty period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinfang.cases.choices import Status
from xinfang.cases.models import Case, CasePetitioner
from xinfang.portal.selectors import rated_evaluations, satisfaction_counted

from .scope import Scoped, scope_cases

PERCENT = "%"
PIECES = "件"
_CENT = Decimal("0.01")


# --- helpers ---------------------------------------------------------------------------------------


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage, 2 dp, half-up; None for an empty denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


def local_day_start(day: date) -> datetime:
    """The aware datetime at which the local calendar day `day` begins."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def registered_in(start: date, end: date) -> Q:
    """Cases registered (登记时间, local date) within [start, end]."""
    # The registration year (the number's year) says the same in the partition key, so PostgreSQL reads only
    # those years' partitions.
    return Q(
        registered_at__gte=local_day_start(start),
        registered_at__lt=local_day_start(end + timedelta(days=1)),
        year__gte=start.year,
        year__lte=end.year,
    )


# --- 及时受理率 (petition department), rule 14 ---------------------------------------------------------


def deadline_parts(
    due: str, done: str, now: datetime | None, leave: dict[str, Q] | None = None
) -> dict[str, Q]:
    """The conditions splitting a deadline cohort (cases annotated with `_done_day`, see `deadline_cohort_qs`).

    in_time: done on a local date <= due; late: done after it; open_not_due: not done and today <= due;
    open_overdue: not done and today > due. A moment after `now` counts as not done (replays of the past).
    `leave` names the cases that leave the cohort (each a part of its own, so the breakdown shows why the
    denominator moved); the other parts are of the cases that stay, and `total` is all of those.
    """
    now = _now(now)
    today = timezone.localdate(now)
    leave = leave or {}
    stays = ~_any(leave.values())
    finished = Q(**{f"{done}__isnull": False, f"{done}__lte": now}) & stays
    return {
        **leave,
        "total": stays,
        "in_time": finished & Q(_done_day__lte=F(due)),
        "late": finished & Q(_done_day__gt=F(due)),
        "open_not_due": stays & ~finished & Q(**{f"{due}__gte": today}),
        "open_overdue": stays & ~finished & Q(**{f"{due}__lt": today}),
    }


def deadline_cohort_qs(due: str, done: str, start: date, end: date, unit: Scoped):
    """Cases whose `due` date falls in [start, end], annotated with the local day of `done`."""
    qs = scope_cases(Case.objects.filter(**{f"{due}__gte": start, f"{due}__lte": end}), unit)
    return qs.annotate(_done_day=TruncDate(done))


def _deadline_cohort(
    due: str,
    done: str,
    start: date,
    end: date,
    unit: Scoped,
    now: datetime | None,
    leave: dict[str, Q] | None = None,
) -> dict[str, int]:
    """Counts of each of `deadline_parts` for the cohort whose `due` date falls in [start, end]."""
    parts = deadline_parts(due, done, now, leave)
    qs = deadline_cohort_qs(due, done, start, end, unit)
    return qs.aggregate(**{key: Count("pk", filter=q) for key, q in parts.items()})


def _any(conditions) -> Q:
    result = Q(pk__in=[])
    for q in conditions:
        result |= q
    return result


# Cases that leave the bureau's 及时受理 cohort: petitions made directly to a unit (the bureau never triages
# them, art.23 ¶2), and cases that ended before any triage: merged into an earlier case, or withdrawn by the
# petitioner (nothing was left to route; they were counted as 超期未受理 before the UI review caught it).
TRIAGE_ENDED_UNTRIAGED = (Status.MERGED, Status.WITHDRAWN)
TRIAGE_LEAVES = {
    "excluded_direct": ~Q(registering_org__kind="bureau"),
    "excluded_merged": Q(status__in=TRIAGE_ENDED_UNTRIAGED, triaged_at__isnull=True),
}
# Cases that leave the 按期办结 cohort: withdrawn by the petitioner, or diverted to another statutory
# procedure after acceptance (art.31(1)-(5)): neither can be concluded on time or late.
HANDLING_LEAVES = {
    "excluded_withdrawn": Q(status=Status.WITHDRAWN),
    "excluded_diverted": Q(status=Status.INFORMED, accepted_at__isnull=False),
}


def timely_acceptance_breakdown(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> dict[str, int]:
    """Counts for the cohort whose triage deadline (D+15, `triage_due_date`) falls in [start, end].

    timely: triaged (转送/交办/报请/告知, `triaged_at`) on a local date <= the deadline;
    late: triaged after the deadline; overdue_unhandled: not triaged and today > deadline;
    not_due: not triaged and today <= deadline (in the total but in no pie slice, Guangdong convention).
    """
    c = _deadline_cohort("triage_due_date", "triaged_at", start, end, unit, now, TRIAGE_LEAVES)
    return {
        "total": c["total"],
        "timely": c["in_time"],
        "late": c["late"],
        "overdue_unhandled": c["open_overdue"],
        "not_due": c["open_not_due"],
        "excluded_direct": c["excluded_direct"],
        "excluded_merged": c["excluded_merged"],
    }


def timely_acceptance_rate(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> Decimal | None:
    b = timely_acceptance_breakdown(start, end, unit, now)
    # [R] configurable: Guangdong keeps not-yet-due cases in the denominator.
    total = b["total"] if settings.XINFANG.get("TIMELY_COUNT_NOT_DUE", True) else b["total"] - b["not_due"]
    return percentage(b["timely"], total)


# --- 按期办结率, rule 15 ---------------------------------------------------------------------------------


def on_time_conclusion_breakdown(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> dict[str, int]:
    """Counts for the cohort whose handling deadline (`handling_due_date`, moved by an extension) is in the period.

    on_time: replied (`replied_at`) on a local date <= deadline; late: replied after it;
    open_not_due: not replied and today <= deadline; open_overdue: not replied and today > deadline.
    """
    c = _deadline_cohort("handling_due_date", "replied_at", start, end, unit, now, HANDLING_LEAVES)
    return {
        "total": c["total"],
        "on_time": c["in_time"],
        "late": c["late"],
        "open_not_due": c["open_not_due"],
        "open_overdue": c["open_overdue"],
        "excluded_withdrawn": c["excluded_withdrawn"],
        "excluded_diverted": c["excluded_diverted"],
    }


def on_time_conclusion_rate(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> Decimal | None:
    b = on_time_conclusion_breakdown(start, end, unit, now)
    return percentage(b["on_time"], b["on_time"] + b["late"] + b["open_not_due"] + b["open_overdue"])


# --- 参评率 / 满意率, rules 13 and 20 ---------------------------------------------------------------------


def evaluation_parts(start: date, end: date, now: datetime | None = None) -> dict[str, Q]:
    """Conditions on portal.Evaluation rows settled in the period (see `evaluation_breakdown`)."""
    now = _now(now)
    today = timezone.localdate(now)
    evaluated = Q(status="evaluated", evaluated_at__lte=now) & Q(
        evaluated_at__gte=local_day_start(start), evaluated_at__lt=local_day_start(end + timedelta(days=1))
    )
    expired = Q(window_closes__gte=start, window_closes__lte=end, window_closes__lt=today) & ~Q(
        status="evaluated", evaluated_at__lte=now
    )
    rated = evaluated & satisfaction_counted()  # approved 申诉核减 leave 满意率 only
    return {
        "evaluated": evaluated,
        "expired": expired,
        "exempt": evaluated & ~satisfaction_counted(),
        "satisfied": rated & Q(result="satisfied"),
        "basically": rated & Q(result="basically"),
        "unsatisfied": rated & Q(result="unsatisfied"),
    }


def evaluation_breakdown(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> dict[str, int]:
    """Evaluations settled in the period.

    evaluated (已评价): by the local date of `evaluated_at`; expired (超期未评价): by `window_closes`, counting
    both rows already moved to `expired` and pending rows whose window closed before today (so the figure does
    not depend on when the expiry job last ran). Split of evaluated by result: satisfied/basically/unsatisfied,
    leaving out those exempted by an approved 申诉核减 (counted in `exempt`, still in 参评率).
    Rows: portal's `rated_evaluations()` (the handling-result stage, one per case).
    """
    parts = evaluation_parts(start, end, now)
    qs = scope_cases(
        rated_evaluations().filter(parts["evaluated"] | parts["expired"]), unit, case_field="case"
    )
    return qs.aggregate(**{key: Count("pk", filter=q) for key, q in parts.items()})


def participation_rate(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> Decimal | None:
    """参评率 = 已评价 / (已评价 + 超期未评价)."""
    b = evaluation_breakdown(start, end, unit, now)
    return percentage(b["evaluated"], b["evaluated"] + b["expired"])


def satisfaction_rate(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> Decimal | None:
    """满意率 = (满意 + 基本满意) / (已评价 − approved 申诉核减)."""
    b = evaluation_breakdown(start, end, unit, now)
    return percentage(b["satisfied"] + b["basically"], b["evaluated"] - b["exempt"])


# --- 重复信访率 / 初件, rule 16 -------------------------------------------------------------------------


def repeat_condition() -> Q:
    """A case is a repeat (重件) when linked to an earlier case sharing a petitioner, or refused as 不再受理."""
    shared_petitioner = CasePetitioner.objects.filter(
        case_id=OuterRef("related_case_id"), petitioner__parties__case_id=OuterRef("pk")
    )
    linked_earlier = Q(related_case__isnull=False, related_case__registered_at__lt=F("registered_at")) & Q(
        Exists(shared_petitioner)
    )
    return linked_earlier | Q(status=Status.NOT_REACCEPTED)


def repeat_breakdown(
    start: date, end: date, unit: Scoped = None, now: datetime | None = None
) -> dict[str, int]:
    """All cases registered in the period (local date of 登记时间) and the repeats among them."""
    now = _now(now)
    qs = scope_cases(Case.objects.filter(registered_in(start, end), registered_at__lte=now), unit)
    counts = qs.aggregate(total=Count("pk"), repeats=Count("pk", filter=repeat_condition()))
    counts["first"] = counts["total"] - counts["repeats"]
    return counts


def repeat_rate(start: date, end: date, unit: Scoped = None, now: datetime | None = None) -> Decimal | None:
    """重复信访率 = 重件 / 总件."""
    b = repeat_breakdown(start, end, unit, now)
    return percentage(b["repeats"], b["total"])


def first_petition_count(start: date, end: date, unit: Scoped = None, now: datetime | None = None) -> Decimal:
    """初件 = 总件 − 重件 (Guangdong)."""
    return Decimal(repeat_breakdown(start, end, unit, now)["first"])


def total_count(start: date, end: date, unit: Scoped = None, now: datetime | None = None) -> Decimal:
    return Decimal(repeat_breakdown(start, end, unit, now)["total"])


def repeat_count(start: date, end: date, unit: Scoped = None, now: datetime | None = None) -> Decimal:
    return Decimal(repeat_breakdown(start, end, unit, now)["repeats"])


# --- registry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    func: Callable[..., Decimal | None] = field(repr=False)
    formula: str = ""
    breakdown: Callable[..., dict[str, int]] | None = field(default=None, repr=False)

    def compute(
        self, start: date, end: date, unit: Scoped = None, now: datetime | None = None
    ) -> Decimal | None:
        if start > end:
            raise ValueError("统计期间的开始日期不能晚于结束日期")
        return self.func(start, end, unit, now)

    def counts(self, start: date, end: date, unit: Scoped = None, now: datetime | None = None) -> dict:
        return self.breakdown(start, end, unit, now) if self.breakdown else {}


_METRICS = [
    Metric(
        "timely_acceptance_rate",
        "及时受理率",
        PERCENT,
        timely_acceptance_rate,
        "及时受理 / 总数（分流期限 D+15 在统计期内）",
        timely_acceptance_breakdown,
    ),
    Metric(
        "on_time_conclusion_rate",
        "按期办结率",
        PERCENT,
        on_time_conclusion_rate,
        "按期 / (按期 + 超期 + 未办结未超期 + 超期未办结)（办结期限在统计期内）",
        on_time_conclusion_breakdown,
    ),
    Metric(
        "participation_rate",
        "参评率",
        PERCENT,
        participation_rate,
        "已评价 / (已评价 + 超期未评价)",
        evaluation_breakdown,
    ),
    Metric(
        "satisfaction_rate",
        "满意率",
        PERCENT,
        satisfaction_rate,
        "(满意 + 基本满意) / (已评价 − 申诉核减核准)",
        evaluation_breakdown,
    ),
    Metric(
        "repeat_rate",
        "重复信访率",
        PERCENT,
        repeat_rate,
        "重件 / 总件（登记日期在统计期内）",
        repeat_breakdown,
    ),
    Metric("first_petition_count", "初件数", PIECES, first_petition_count, "总件 − 重件", repeat_breakdown),
    Metric(
        "repeat_count", "重件数", PIECES, repeat_count, "关联同一信访人在先信访件或不再受理", repeat_breakdown
    ),
    Metric("total_count", "信访总件数", PIECES, total_count, "登记日期在统计期内的信访件", repeat_breakdown),
]

METRICS: dict[str, Metric] = {m.key: m for m in _METRICS}


def get_metric(key: str) -> Metric:
    try:
        return METRICS[key]
    except KeyError:
        raise KeyError(f"未知的统计指标：{key}") from None
