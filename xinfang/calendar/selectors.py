"""Reads for the calendar page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.db.models.query import QuerySet

from .models import HolidayOverride
from .services import package_covers


@dataclass(frozen=True)
class YearCoverage:
    year: int
    package: bool  # chinese-calendar has the schedule
    overrides: int  # rows in the override table

    @property
    def known(self) -> bool:
        return self.package or self.overrides > 0


def coverage(around: int) -> list[YearCoverage]:
    """The years around `around` plus every year with overrides, newest first."""
    counts = dict(
        HolidayOverride.objects.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    years = set(counts) | {around - 1, around, around + 1}
    return [YearCoverage(y, package_covers(y), counts.get(y, 0)) for y in sorted(years, reverse=True)]


def overrides_in(year: int) -> QuerySet[HolidayOverride]:
    return HolidayOverride.objects.filter(date__year=year).order_by("date")
