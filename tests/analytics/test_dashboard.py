"""The dashboard: who sees it, the figures and charts it shows, the ranking, and the cases behind a rate."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from tests.analytics.conftest import MARCH, NOW
from tests.factories import make_case, make_user
from xinfang.analytics import cohorts
from xinfang.analytics.ranking import unit_ranking, worst_units
from xinfang.analytics.scope import Scope
from xinfang.analytics.stats import StatsQuery
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_leaders_land_on_the_dashboard_and_supervisors_on_their_desk(district):
    assert _client(make_user(Role.LEADER, district.bureau)).get("/")["Location"] == "/dashboard/"
    assert _client(make_user(Role.SUPERVISOR, district.bureau)).get("/")["Location"] == "/supervision/"
    assert _client(make_user(Role.FINANCE, district.bureau)).get("/")["Location"] == "/performance/"


def test_navigation_offers_the_dashboard_to_everyone_who_may_open_it(district):
    # Registrars may open the statistics (STATS_ROLES) and now find them too; finance staff may not.
    for role, org, shown in ((Role.LEADER, district.bureau, True), (Role.SUPERVISOR, district.bureau, True),
                             (Role.HANDLER, district.units[0], True), (Role.REGISTRAR, district.bureau, True),
                             (Role.FINANCE, district.bureau, False)):  # fmt: skip
        body = _client(make_user(role, org)).get("/performance/" if role == Role.FINANCE else "/cases/")
        assert ('href="/dashboard/"' in body.content.decode()) is shown, role


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_figures_charts_and_ranking(march):
    cohorts.rebuild()  # the fixture writes cases directly, past the hooks
    body = _client(make_user(Role.LEADER, district_root(march))).get("/dashboard/", PERIOD).content.decode()
    assert "统计分析" in body and "及时受理率" in body
    assert ">60.00%</a>" in body and "3 / 5" in body
    assert body.count("<svg") >= 5  # trend, channel, nature, category, place
    assert "考核排名" in body and "问题属地" in body


def district_root(march):
    return march.unit_a.parent


def test_unit_users_see_their_own_unit_and_finance_is_refused(march):
    cohorts.rebuild()
    head = make_user(Role.UNIT_HEAD, march.unit_b)
    body = _client(head).get("/dashboard/", PERIOD).content.decode()
    assert march.unit_b.name in body
    assert _client(head).get("/dashboard/", {**PERIOD, "unit": march.unit_a.pk}).status_code == 404
    assert _client(make_user(Role.FINANCE, march.unit_a.parent)).get("/dashboard/").status_code == 404
    assert Client().get("/dashboard/").status_code == 302


def test_bad_period_shows_chinese_errors(district):
    body = _client(make_user(Role.LEADER, district.root)).get(
        "/dashboard/", {"from": "2026-02-31", "to": "x"}
    )
    text = body.content.decode()
    assert body.status_code == 200 and "开始日期须为日期" in text and "结束日期须为日期" in text


@time_machine.travel(NOW, tick=False)
def test_a_rate_links_to_exactly_its_cases(march):
    cohorts.rebuild()
    client = _client(make_user(Role.LEADER, district_root(march)))
    body = client.get("/dashboard/", PERIOD).content.decode()
    row = re.search(r'data-key="timely_acceptance_rate">.*?href="([^"]+)"', body, re.S).group(1)
    listing = client.get(row.replace("&amp;", "&")).content.decode()
    # The cohort: c1, c2, c3, c4, c6 (c7 left it); c5 has no triage deadline.
    numbers = {c.number for c in march.cases}
    shown = set(re.findall(r"XF-\d{4}-\d{6}", listing)) & numbers
    expected = {march.cases[i].number for i in (0, 1, 2, 3, 5)}
    assert shown == expected and "共 5 条" in listing


@time_machine.travel(NOW, tick=False)
def test_drill_list_is_limited_to_visible_cases_and_unknown_parts_are_404(march):
    handler = make_user(Role.HANDLER, march.unit_b)
    client = _client(handler)
    listing = client.get(
        "/dashboard/cases/", {**PERIOD, "metric": "total_count", "part": "all"}
    ).content.decode()
    # Unit B sees its own routed cases only: c3, c4, c7.
    assert "共 3 条" in listing
    assert (
        client.get("/dashboard/cases/", {**PERIOD, "metric": "total_count", "part": "x"}).status_code == 404
    )
    assert client.get("/dashboard/cases/", {**PERIOD, "metric": "nope", "part": "all"}).status_code == 404


def test_ranking_sets_aside_small_units_and_names_the_worst(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit_a, unit_b = district.units
    from datetime import date

    from tests.analytics.helpers import at

    # Unit A: 4 cases due in March, 3 triaged in time (75 %); unit B: 1 case, late (0 %), below volume 2.
    for i, triaged in enumerate([3, 5, 8, 20]):
        make_case(registered_by=registrar, unit=unit_a, received=date(2026, 3, 1),
                  triage_due_date=date(2026, 3, 16), triaged_at=at(date(2026, 3, triaged)))  # fmt: skip
    make_case(registered_by=registrar, unit=unit_b, received=date(2026, 3, 1),
              triage_due_date=date(2026, 3, 16), triaged_at=at(date(2026, 3, 20)))  # fmt: skip
    q = StatsQuery(*MARCH, Scope(), now=NOW)
    ranked, aside = unit_ranking(q, min_volume=2)
    assert [s.unit for s in ranked] == [unit_a] and ranked[0].score_str == "75.00"
    assert unit_b in [s.unit for s in aside]
    ranked, aside = unit_ranking(q, min_volume=1)
    assert [s.unit for s in ranked] == [unit_a, unit_b]
    assert worst_units(ranked, 1)[0].unit == unit_b
