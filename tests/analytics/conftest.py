"""A hand-built March 2026 for the statistics service, its contracts and the dashboard.

Each case says which figure it feeds; the expected figures are worked out in tests/analytics/test_stats_service.py.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.analytics.helpers import at
from tests.factories import make_case, make_org, make_petitioner, make_user
from xinfang.cases.choices import Channel, Nature
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role
from xinfang.portal.models import Evaluation

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
NOW = at(date(2026, 4, 10), 12)


@pytest.fixture
def march(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit_a, unit_b = district.units
    town = district.towns[0]
    village = make_org("幸福村", OrgKind.VILLAGE, town)
    unit_a_office = make_org("区第1局办公室", OrgKind.DEPARTMENT, unit_a)
    direct_registrar = make_user(Role.REGISTRAR, unit_b)
    petitioner = make_petitioner("李四")

    def case(received, **kw):
        return make_case(registered_by=kw.pop("by", registrar), received=received, **kw)

    c1 = case(  # timely (3-10 <= 3-17); on time (3-21 <= 3-30); 10 days' handling; evaluated 满意
        date(2026, 3, 2), unit=unit_a, petitioner=petitioner, place_organisation=village,
        triage_due_date=date(2026, 3, 17), triaged_at=at(date(2026, 3, 10)),
        accepted_at=at(date(2026, 3, 11)), handling_due_date=date(2026, 3, 30), replied_at=at(date(2026, 3, 21)),
    )  # fmt: skip
    c2 = case(  # late triage (3-18 > 3-17); collective visit of 6; handling due in April (not in the cohort)
        date(2026, 3, 2), unit=unit_a_office, channel=Channel.VISIT, is_collective=True, headcount=6,
        place_organisation=town, triage_due_date=date(2026, 3, 17), triaged_at=at(date(2026, 3, 18)),
        handling_due_date=date(2026, 4, 30),
    )  # fmt: skip
    c3 = case(  # never triaged, due 3-20 < today: 超期未受理; level-skipping
        date(2026, 3, 5), unit=unit_b, channel=Channel.ONLINE, is_level_skipping=True,
        triage_due_date=date(2026, 3, 20),
    )  # fmt: skip
    c4 = case(  # repeat of c1 (same petitioner, earlier case); timely; not replied, due 3-25: 超期未办结
        date(2026, 3, 5), unit=unit_b, petitioner=petitioner, related_case=c1,
        triage_due_date=date(2026, 3, 20), triaged_at=at(date(2026, 3, 19)),
        accepted_at=at(date(2026, 3, 20)), handling_due_date=date(2026, 3, 25),
    )  # fmt: skip
    c5 = case(  # a suggestion, adopted; to Beijing; no clocks
        date(2026, 3, 6), unit=unit_a, nature=Nature.SUGGESTION, outcome="adopted", is_to_beijing=True,
    )  # fmt: skip
    c6 = case(  # registered in February: timely-cohort (due 3-06) and handling-cohort (due 3-31, replied late)
        date(2026, 2, 20), unit=unit_a, triage_due_date=date(2026, 3, 6), triaged_at=at(date(2026, 3, 1)),
        accepted_at=at(date(2026, 3, 2)), handling_due_date=date(2026, 3, 31), replied_at=at(date(2026, 4, 2)),
    )  # fmt: skip
    c7 = case(  # made directly to unit B: leaves the bureau's 及时受理 cohort (excluded_direct)
        date(2026, 3, 7), by=direct_registrar, unit=unit_b, triage_due_date=date(2026, 3, 10),
    )  # fmt: skip
    Evaluation.objects.create(
        case=c1, status="evaluated", result="satisfied", reply_date=date(2026, 3, 21),
        window_closes=date(2026, 4, 20), evaluated_at=at(date(2026, 3, 25)),
    )  # fmt: skip
    Evaluation.objects.create(  # window closed 3-28 without an evaluation: 超期未评价
        case=c6, status="pending", reply_date=date(2026, 2, 26), window_closes=date(2026, 3, 28),
    )  # fmt: skip
    return SimpleNamespace(
        registrar=registrar, unit_a=unit_a, unit_b=unit_b, town=town, village=village, office=unit_a_office,
        cases=[c1, c2, c3, c4, c5, c6, c7],
    )  # fmt: skip
