"""Reads for the calendar page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.db.models.query import QuerySet

from .models import CalendarYear, HolidayOverride
from .services import package_covers


@dataclass(frozen=True)
class YearCoverage:
    year: int
    package: bool  # chinese-calendar has the schedule
    overrides: int  # rows in the override table
    marked: CalendarYear | None = None  # the administrator's marking, if any

    @property
    def complete(self) -> bool:
        return self.marked is not None and self.marked.complete

    @property
    def known(self) -> bool:
        # the same rule as services: override rows alone never make a year known
        return self.package or self.complete


def coverage(around: int) -> list[YearCoverage]:
    """The years around `around` plus every year with overrides or a marking, newest first."""
    counts = dict(
        HolidayOverride.objects.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    marked = {m.year: m for m in CalendarYear.objects.select_related("marked_by")}
    years = set(counts) | set(marked) | {around - 1, around, around + 1}
    return [
        YearCoverage(y, package_covers(y), counts.get(y, 0), marked.get(y))
        for y in sorted(years, reverse=True)
    ]


def year_marking(year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_related("marked_by").filter(year=year).first()


def overrides_in(year: int) -> QuerySet[HolidayOverride]:
    return HolidayOverride.objects.filter(date__year=year).order_by("date")
