"""The cases behind a figure: one queryset per (metric, part), the same conditions the figure counts.

A drill-down names a figure by its key and one part of its breakdown ("timely_acceptance_rate", "late"), or a
dimension row ("total_count", "channel:letter"). `cases_behind` returns exactly the cases that part counts,
so the list a reader lands on has as many rows as the figure says (tests check this for every part).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinfang.cases.models import Case

from . import metrics
from .scope import Scope, scope_cases

# Registration-based figures: the cases registered in the period, narrowed by a condition.
REGISTERED_PARTS: dict[str, Q] = {
    "all": Q(),
    "collective": Q(is_collective=True),
    "level_skipping": Q(is_level_skipping=True),
    "to_beijing": Q(is_to_beijing=True),
    "suggestion": Q(nature="suggestion"),
    "adopted": Q(nature="suggestion", outcome="adopted"),
    "partly_adopted": Q(nature="suggestion", outcome="partly_adopted"),
    "not_adopted": Q(nature="suggestion", outcome="not_adopted"),
    "suggestion_pending": Q(nature="suggestion")
    & ~Q(outcome__in=["adopted", "partly_adopted", "not_adopted"]),
}
# Dimension rows ("channel:letter"): the field each dimension filters on.
DIMENSION_FIELDS = {
    "channel": "channel",
    "nature": "nature",
    "category": "_top_category",
    "unit": "_unit",
    "place": "place_organisation_id",
}
DEADLINE_COHORTS = {
    "timely_acceptance_rate": ("triage_due_date", "triaged_at", metrics.TRIAGE_LEAVES),
    "on_time_conclusion_rate": ("handling_due_date", "replied_at", metrics.HANDLING_LEAVES),
    "overdue_unaccepted_count": ("triage_due_date", "triaged_at", metrics.TRIAGE_LEAVES),
    "overdue_unconcluded_count": ("handling_due_date", "replied_at", metrics.HANDLING_LEAVES),
}
EVALUATION_METRICS = {"participation_rate", "satisfaction_rate"}


class UnknownFigure(ValueError):
    """The (metric, part) pair names no figure."""


def registered_cases(start: date, end: date, scope: Scope, now: datetime | None) -> QuerySet:
    now = now or timezone.now()
    qs = Case.objects.filter(metrics.registered_in(start, end), registered_at__lte=now)
    return scope_cases(qs, scope).annotate(
        _top_category=Coalesce("category__parent_id", "category_id"),
        _unit=Coalesce("responsible_unit_id", "registering_org_id"),
    )


def _registered_part(part: str, start: date, end: date, scope: Scope, now: datetime | None) -> QuerySet:
    qs = registered_cases(start, end, scope, now)
    if part in ("repeats", "first"):
        repeat = metrics.repeat_condition()
        return qs.filter(repeat if part == "repeats" else ~repeat)
    if part.startswith("month:"):
        year, month = (int(x) for x in part.removeprefix("month:").split("-"))
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return qs.filter(metrics.registered_in(first, last))
    if ":" in part:
        dim, value = part.split(":", 1)
        if dim not in DIMENSION_FIELDS:
            raise UnknownFigure(part)
        field = DIMENSION_FIELDS[dim]
        if dim == "place":
            return _place_subtree(qs, value)
        return qs.filter(**{f"{field}__isnull": True} if value in ("", "none") else {field: value})
    if part not in REGISTERED_PARTS:
        raise UnknownFigure(part)
    return qs.filter(REGISTERED_PARTS[part])


def _place_subtree(qs: QuerySet, value: str) -> QuerySet:
    if value in ("", "none"):
        return qs.filter(place_organisation__isnull=True)
    return qs.filter(place_organisation__path__contains=f"/{int(value)}/")


def cases_behind(
    key: str, part: str, start: date, end: date, scope: Scope, now: datetime | None = None
) -> QuerySet:
    """The cases that figure `key`'s breakdown part `part` counts (UnknownFigure when there is no such part)."""
    if key in DEADLINE_COHORTS:
        due, done, leave = DEADLINE_COHORTS[key]
        parts = metrics.deadline_parts(due, done, now, leave)
        parts.update(_deadline_aliases(key, parts))
        if part not in parts:
            raise UnknownFigure(part)
        return metrics.deadline_cohort_qs(due, done, start, end, scope).filter(parts[part])
    if key in EVALUATION_METRICS:
        parts = metrics.evaluation_parts(start, end, now)
        if part not in parts:
            raise UnknownFigure(part)
        evaluation = apps.get_model("portal", "Evaluation")
        rows = scope_cases(evaluation.objects.filter(parts[part]), scope, case_field="case")
        return Case.objects.filter(pk__in=rows.values("case_id"))
    if key == "average_handling_days":
        if part != "all":
            raise UnknownFigure(part)
        return scope_cases(Case.objects.filter(handled_in(start, end, now)), scope)
    return _registered_part(part, start, end, scope, now)


def _deadline_aliases(key: str, parts: dict[str, Q]) -> dict[str, Q]:
    """The breakdown keys metrics.py publishes for each cohort, mapped onto the generic parts."""
    if key.startswith("timely") or key == "overdue_unaccepted_count":
        return {
            "timely": parts["in_time"],
            "overdue_unhandled": parts["open_overdue"],
            "not_due": parts["open_not_due"],
        }
    return {"on_time": parts["in_time"]}


def handled_in(start: date, end: date, now: datetime | None) -> Q:
    """Cases accepted and replied, the reply on a local date in [start, end] (and not after `now`)."""
    now = now or timezone.now()
    return Q(
        accepted_at__isnull=False,
        replied_at__gte=metrics.local_day_start(start),
        replied_at__lt=metrics.local_day_start(end + timedelta(days=1)),
        replied_at__lte=now,
    )
