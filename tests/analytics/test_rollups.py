"""Daily rollups: kept current by the case signals, equal to a rebuild from the cases, read by selectors."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from tests.analytics.helpers import at
from tests.factories import make_case, make_user
from xinfang.analytics.models import DailyCaseRollup
from xinfang.analytics.rollups import grouped, rebuild_rollups, totals
from xinfang.cases.choices import Channel
from xinfang.cases.models import Case
from xinfang.cases.signals import case_registered
from xinfang.cases.workflow import hooks
from xinfang.orgs.roles import Role

PERIOD = (date(2026, 3, 1), date(2026, 3, 31))


def _snapshot() -> set[tuple]:
    return set(
        DailyCaseRollup.objects.values_list(
            "day", "unit_id", "category_id", "channel", "registered", "replied", "replied_on_time"
        )
    )


@pytest.fixture
def cases(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit_a, unit_b = district.units
    specs = [
        (date(2026, 3, 2), Channel.LETTER, unit_a, at(date(2026, 3, 20)), date(2026, 3, 25)),  # on time
        (date(2026, 3, 2), Channel.LETTER, unit_a, at(date(2026, 3, 26)), date(2026, 3, 25)),  # late
        (date(2026, 3, 3), Channel.VISIT, unit_b, None, date(2026, 4, 30)),
        (date(2026, 3, 3), Channel.ONLINE, unit_b, at(date(2026, 3, 20), 23), date(2026, 3, 20)),  # on time
    ]
    made = []
    for received, channel, unit, replied, due in specs:
        case = make_case(
            registered_by=registrar,
            received=received,
            channel=channel,
            unit=unit,
            replied_at=replied,
            handling_due_date=due,
        )
        case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)
        if replied:
            hooks.run(
                case=case,
                actor=registrar,
                action="reply",
                from_status="handling",
                to_status="replied",
            )
        made.append(case)
    return made


@pytest.mark.django_db
def test_signals_keep_rollups_equal_to_a_rebuild_from_cases(cases):
    by_signals = _snapshot()
    assert totals(*PERIOD) == {"registered": 4, "replied": 3, "replied_on_time": 2}
    assert rebuild_rollups(*PERIOD) == len(by_signals)
    assert _snapshot() == by_signals


@pytest.mark.django_db
def test_grouped_selectors_sum_by_dimension_and_unit_scope(cases, district):
    unit_a, unit_b = district.units
    by_channel = {r["key"]: r["registered"] for r in grouped("channel", *PERIOD)}
    assert by_channel == {"letter": 2, "visit": 1, "online": 1}
    days = grouped("day", *PERIOD)
    assert [d["key"] for d in days] == [
        date(2026, 3, 2),
        date(2026, 3, 3),
        date(2026, 3, 20),
        date(2026, 3, 26),
    ]
    assert totals(*PERIOD, unit=unit_a) == {"registered": 0, "replied": 2, "replied_on_time": 1}
    assert totals(*PERIOD, unit=district.root)["registered"] == 4
    with pytest.raises(ValueError, match="未知的统计维度"):
        grouped("weather", *PERIOD)


@pytest.mark.django_db
def test_rebuild_command_replaces_a_damaged_range(cases):
    good = _snapshot()
    DailyCaseRollup.objects.update(registered=99)
    out = io.StringIO()
    call_command("rebuild_rollups", "2026-03-01", "2026-03-31", stdout=out)
    assert "已重建" in out.getvalue()
    assert _snapshot() == good
