"""A leader opens the dashboard, changes the period, clicks a rate and lands on the cases behind it."""

import re

import pytest

from tests.analytics.conftest import march  # noqa: F401  (pytest fixture)
from tests.factories import PASSWORD, make_user
from xinfang.analytics import cohorts
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_changes_the_period_and_drills_into_a_rate(page, live_server, login, march):  # noqa: F811
    cohorts.rebuild()  # the fixture writes its cases directly
    make_user(Role.LEADER, march.unit_a.parent, username="leader1")
    login(page, live_server, "leader1", PASSWORD)
    assert page.url.endswith("/dashboard/")
    page.fill("input[name=from]", "2026-03-01")
    page.fill("input[name=to]", "2026-03-31")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(re.compile(r"from=2026-03-01"))
    row = page.locator("tr[data-key=timely_acceptance_rate]")
    assert "60.00%" in row.inner_text() and "3 / 5" in row.inner_text()
    assert page.locator("svg.chart").count() >= 5
    row.locator("a.figure-link").click()
    page.wait_for_url(re.compile(r"/dashboard/cases/"))
    body = page.inner_text("main")
    assert "及时受理率" in body and "共 5 条" in body
    shown = set(re.findall(r"XF-\d{4}-\d{6}", body))
    assert shown == {march.cases[i].number for i in (0, 1, 2, 3, 5)}
