"""Shared builders for the statistics tests: local times and cases with milestone fields set directly."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime at a local (Asia/Shanghai) wall-clock time."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))
