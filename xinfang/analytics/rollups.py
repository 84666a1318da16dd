"""Keeping DailyCaseRollup current from the case signals, rebuilding it, and reading it for dashboards."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinfang.cases.models import Case
from xinfang.orgs.models import Organisation

from .metrics import local_day_start
from .models import DailyCaseRollup

COUNTERS = ("registered", "replied", "replied_on_time")
DIMENSIONS = {"unit": "unit__name", "category": "category__name", "channel": "channel", "day": "day"}


def bump(*, day: date, unit_id: int, category_id: int | None, channel: str, **increments: int) -> None:
    """Add to the counters of one rollup row, creating it when missing (safe under concurrent writers)."""
    key = dict(day=day, unit_id=unit_id, category_id=category_id, channel=channel)
    update = {name: F(name) + n for name, n in increments.items() if n}
    if not update:
        return
    if DailyCaseRollup.objects.filter(**key).update(**update):
        return
    try:
        with transaction.atomic():  # savepoint: a lost race must not poison the caller's transaction
            DailyCaseRollup.objects.create(**key, **increments)
    except IntegrityError:
        DailyCaseRollup.objects.filter(**key).update(**update)


def on_registered(case: Case) -> None:
    bump(
        day=timezone.localdate(case.registered_at),
        unit_id=case.registering_org_id,
        category_id=case.category_id,
        channel=case.channel,
        registered=1,
    )


def on_replied(case: Case) -> None:
    if case.replied_at is None:
        return
    replied_day = timezone.localdate(case.replied_at)
    on_time = case.handling_due_date is not None and replied_day <= case.handling_due_date
    bump(
        day=replied_day,
        unit_id=case.responsible_unit_id or case.registering_org_id,
        category_id=case.category_id,
        channel=case.channel,
        replied=1,
        replied_on_time=int(on_time),
    )


def on_registered_in_bulk(cases: list) -> None:
    """`on_registered` for many cases: one bump per (day, unit, category, channel)."""
    counts: dict[tuple, int] = {}
    for case in cases:
        key = (case.registered_at, case.registering_org_id, case.category_id, case.channel)
        counts[key] = counts.get(key, 0) + 1
    days = {moment: timezone.localdate(moment) for moment, *_ in counts}
    for (moment, unit, category, channel), n in counts.items():
        bump(day=days[moment], unit_id=unit, category_id=category, channel=channel, registered=n)


@transaction.atomic
def rebuild_rollups(start: date, end: date) -> int:
    """Recompute the rollup rows of [start, end] from the cases themselves (grouped in the database)."""
    DailyCaseRollup.objects.filter(day__gte=start, day__lte=end).delete()
    lo, hi = local_day_start(start), local_day_start(end + timedelta(days=1))
    rows: dict[tuple, dict[str, int]] = {}
    registered = (
        Case.objects.filter(registered_at__gte=lo, registered_at__lt=hi)
        .annotate(d=TruncDate("registered_at"))
        .values("d", "registering_org_id", "category_id", "channel")
        .annotate(n=Count("pk"))
    )
    for r in registered:
        key = (r["d"], r["registering_org_id"], r["category_id"], r["channel"])
        rows.setdefault(key, dict.fromkeys(COUNTERS, 0))["registered"] += r["n"]
    replied = (
        Case.objects.filter(replied_at__gte=lo, replied_at__lt=hi)
        .annotate(d=TruncDate("replied_at"))
        .values("d", "responsible_unit_id", "registering_org_id", "category_id", "channel")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(handling_due_date__gte=F("d"))))
    )
    for r in replied:
        key = (r["d"], r["responsible_unit_id"] or r["registering_org_id"], r["category_id"], r["channel"])
        row = rows.setdefault(key, dict.fromkeys(COUNTERS, 0))
        row["replied"] += r["n"]
        row["replied_on_time"] += r["on_time"]
    DailyCaseRollup.objects.bulk_create(
        DailyCaseRollup(day=d, unit_id=u, category_id=c, channel=ch, **counts)
        for (d, u, c, ch), counts in rows.items()
    )
    return len(rows)


# --- dashboard selectors ------------------------------------------------------------------------------


def rollup_rows(start: date, end: date, unit: Organisation | None = None) -> QuerySet[DailyCaseRollup]:
    qs = DailyCaseRollup.objects.filter(day__gte=start, day__lte=end)
    return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs


def totals(start: date, end: date, unit: Organisation | None = None) -> dict[str, int]:
    sums = rollup_rows(start, end, unit).aggregate(**{name: Sum(name) for name in COUNTERS})
    return {name: sums[name] or 0 for name in COUNTERS}


def grouped(dimension: str, start: date, end: date, unit: Organisation | None = None) -> list[dict]:
    """Counters summed by one dimension: "day", "unit", "category" or "channel" (largest first, days in order)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"未知的统计维度：{dimension}（可选：{'、'.join(DIMENSIONS)}）")
    field = DIMENSIONS[dimension]
    qs = rollup_rows(start, end, unit).values(field).annotate(**{name: Sum(name) for name in COUNTERS})
    ordering = [field] if dimension == "day" else ["-registered", "-replied", field]
    return [{"key": r[field], **{n: r[n] for n in COUNTERS}} for r in qs.order_by(*ordering)]


def as_of_today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())
