from datetime import date

import pytest

from xinfang.analytics.metrics import METRICS


@pytest.mark.django_db
def test_every_metric_returns_none_or_zero_on_an_empty_database():
    for metric in METRICS.values():
        value = metric.compute(date(2026, 1, 1), date(2026, 1, 31))
        assert value is None if metric.unit == "%" else value == 0, metric.key
