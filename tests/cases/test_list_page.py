"""The case list at work (issue 17 item 5): overdue and at-risk rows marked, a finished step's deadline not
shown, numbered pages with a jump and the capped count explained."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from tests.cases.test_search import client_for
from tests.factories import make_case, make_district, make_user
from xinfang.cases.choices import Status
from xinfang.core import clock
from xinfang.orgs.models import Organisation, OrgKind
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)  # a Wednesday: three working days later is Monday 7 December


@pytest.fixture
def registrar():
    d = make_district()
    return make_user(Role.REGISTRAR, d.bureau)


def rows(body: str) -> dict[str, str]:
    """case number → the <tr> attributes and its deadline cell."""
    found = {}
    for attrs, number, due in re.findall(r'<tr([^>]*)>\s*<td[^>]*><a [^>]*>(XF-[^<]+)</a>.*?<td[^>]*class="due">(.*?)</td>',
                                         body, re.S):  # fmt: skip
        found[number] = (attrs.strip(), " ".join(due.split()))
    return found


def test_overdue_and_at_risk_rows_are_marked_and_a_closed_cases_deadline_is_hidden(registrar):
    late = make_case(registered_by=registrar, status=Status.HANDLING, due_date=TODAY - timedelta(days=1))
    soon = make_case(registered_by=registrar, status=Status.HANDLING, due_date=date(2026, 12, 7))
    later = make_case(registered_by=registrar, status=Status.HANDLING, due_date=date(2026, 12, 8))
    done = make_case(registered_by=registrar, status=Status.COMPLETED, due_date=TODAY - timedelta(days=30))
    with clock.at(clock.now().replace(year=2026, month=12, day=2, hour=10)):
        body = client_for(registrar).get("/cases/").content.decode()
    found = rows(body)
    assert found[late.number][0] == 'class="overdue"' and "超期" in found[late.number][1]
    assert found[soon.number][0] == 'class="at_risk"' and "临期" in found[soon.number][1]
    assert found[later.number] == ("", "2026-12-08")
    assert found[done.number] == ("", "—")
    with clock.at(clock.now().replace(year=2026, month=12, day=2, hour=10)):
        page = client_for(registrar).get(f"/cases/{late.pk}/").content.decode()
        closed_page = client_for(registrar).get(f"/cases/{done.pk}/").content.decode()
    assert '<span class="tag danger">超期</span>' in page  # the case page marks it as the list does
    assert "<dt>当前期限</dt><dd>—" in closed_page


def test_numbered_pages_jump_and_next_links_carry_the_filters_and_the_number(registrar, settings):
    for i in range(45):
        make_case(registered_by=registrar, title=f"路灯损坏{i}", content="路灯损坏。")
    c = client_for(registrar)
    first = c.get("/cases/", {"q": "路灯"}).content.decode()
    assert "共 45 条，第 1 / 3 页" in first
    third = c.get("/cases/", {"q": "路灯", "page": "3"}).content.decode()
    assert "第 3 / 3 页" in third and len(rows(third)) == 5
    assert 'name="q" value="路灯"' in third  # the jump form keeps the search
    nxt = re.search(r'href="\?([^"]+)" id="next-page"', first).group(1).replace("&amp;", "&")
    assert "q=%E8%B7%AF%E7%81%AF" in nxt and nxt.endswith("&p=2")
    second = c.get("/cases/?" + nxt).content.decode()
    assert "第 2 / 3 页" in second and len(rows(second)) == 20
    prev = re.search(r'href="\?([^"]+)" id="prev-page"', third).group(1).replace("&amp;", "&")
    assert prev.endswith("page=2") and rows(c.get("/cases/?" + prev).content.decode()) == rows(second)
    titles = lambda body: set(re.findall(r"路灯损坏\d+", body))  # noqa: E731
    assert titles(first).isdisjoint(titles(second)) and titles(second).isdisjoint(titles(third))
    assert c.get("/cases/", {"q": "路灯", "page": "99"}).status_code == 200  # past the end: the last page
    assert c.get("/cases/", {"q": "路灯", "page": "abc"}).status_code == 200

    settings.XINFANG = {**settings.XINFANG, "LIST_COUNT_CAP": 30}
    capped = c.get("/cases/", {"q": "路灯"}).content.decode()
    assert "共 30+ 条" in capped and "不再精确计数" in capped and "页码只到第 2 页" in capped


def test_the_api_pages_as_before(registrar):
    for _ in range(3):
        make_case(registered_by=registrar)
    r = client_for(registrar).get("/api/cases/").json()
    assert r["count"] == 3 and r["next_cursor"] is None and len(r["results"]) == 3
    assert Client().get("/api/cases/").status_code == 401


def test_the_registrars_and_the_units_to_do_lists(registrar):
    unit, other = Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by("id")[:2]
    to_route = make_case(registered_by=registrar)  # registered by the bureau, not routed yet
    make_case(registered_by=registrar, unit=unit, status=Status.REPLIED)  # waits on nobody's desk
    later = make_case(registered_by=registrar, unit=unit, status=Status.HANDLING, due_date=date(2027, 1, 20))
    sooner = make_case(registered_by=registrar, unit=unit, status=Status.FORWARDED, due_date=date(2027, 1, 5))
    make_case(registered_by=registrar, unit=other, status=Status.HANDLING, due_date=date(2027, 1, 1))

    body = client_for(registrar).get("/cases/", {"todo": "on"}).content.decode()
    assert "<h1>待我办理</h1>" in body and list(rows(body)) == [to_route.number]
    handler = make_user(Role.HANDLER, unit)
    body = client_for(handler).get("/cases/", {"todo": "on"}).content.decode()
    assert list(rows(body)) == [sooner.number, later.number]  # soonest deadline first
    leader = make_user(Role.LEADER, registrar.organisation)
    body = client_for(leader).get("/cases/", {"todo": "on"}).content.decode()
    assert "待我办理" not in body  # no queue of their own: the whole (permitted) list


def test_a_received_date_range_lists_by_receipt_newest_first_in_numbered_pages(registrar):
    """With 收信日期 set, the list is ordered by that date (the (received_date, id) index), not by registration:
    a letter received earlier but registered later comes after one received later."""
    received_late_registered_early = make_case(registered_by=registrar, received=date(2026, 11, 20))
    received_early_registered_late = make_case(registered_by=registrar, received=date(2026, 11, 2))
    outside = make_case(registered_by=registrar, received=date(2026, 10, 1))
    received_early_registered_late.registered_at = received_late_registered_early.registered_at + timedelta(
        days=1
    )
    received_early_registered_late.save(update_fields=["registered_at"])
    c = client_for(registrar)
    body = c.get("/cases/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).content.decode()
    numbers = list(rows(body))
    assert numbers == [received_late_registered_early.number, received_early_registered_late.number]
    assert outside.number not in body
    # Without the range the newest registration comes first again.
    assert list(rows(c.get("/cases/").content.decode()))[0] == received_early_registered_late.number
    # Numbered pages (27 rows, 20 a page), not keyset links on the registration time.
    for i in range(25):
        make_case(registered_by=registrar, received=date(2026, 11, 10), title=f"页{i}")
    second = c.get(
        "/cases/", {"date_from": "2026-11-01", "date_to": "2026-11-30", "page": "2"}
    ).content.decode()
    assert "第 2 / 2 页" in second and "after=" not in second
    assert (
        "按收到日期由近及远排列" in second and "按登记时间由近及远排列" in c.get("/cases/").content.decode()
    )
