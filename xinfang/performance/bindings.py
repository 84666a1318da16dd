"""Indicator actuals bound to case statistics through the analytics metrics registry (imported lazily).

Interface used: ``xinfang.analytics.metrics.METRICS[key].compute(start, end, unit=None)`` → percentage
Decimal (2 dp) or None. Keys seen in the seeds: on_time_conclusion_rate (按期办结率), timely_acceptance_rate
(及时受理率), satisfaction_rate (满意率).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def _metrics() -> dict:
    from xinfang.analytics.metrics import METRICS

    return METRICS


def choices() -> list[tuple[str, str]]:
    return [(key, metric.label) for key, metric in _metrics().items()]


def label(key: str) -> str:
    metric = _metrics().get(key)
    return metric.label if metric else key


def actual_for(key: str, year: int, unit=None) -> Decimal | None:
    """The statistic for the calendar year (cohort rules are the metric's own); None when unknown or empty."""
    metric = _metrics().get(key)
    if metric is None:
        return None
    return metric.compute(date(year, 1, 1), date(year, 12, 31), unit)
