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
    complete: bool = False  # an administrator marked the year's schedule complete

    @property
    def known(self) -> bool:
        return self.package or self.complete


def coverage(around: int) -> list[YearCoverage]:
    """The years around `around` plus every year with overrides, newest first."""
    counts = dict(
        HolidayOverride.objects.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    complete = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    years = set(counts) | complete | {around - 1, around, around + 1}
    return [
        YearCoverage(y, package_covers(y), counts.get(y, 0), y in complete)
        for y in sorted(years, reverse=True)
    ]


def overrides_in(year: int) -> QuerySet[HolidayOverride]:
    return HolidayOverride.objects.filter(date__year=year).order_by("date")
