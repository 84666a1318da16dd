"""Abuse control: failed look-ups per address, submissions per address and per ID number → 429 in Chinese."""

from __future__ import annotations

import datetime

import pytest

from tests.portal.conftest import PHONE, submit
from tests.workflow.conftest import today_is
from xinfang.cases.identity import make_id_number


@pytest.fixture
def limits(settings):
    settings.XINFANG = {
        **settings.XINFANG,
        "PORTAL_LOOKUP_FAILURES_PER_HOUR": 3,
        "PORTAL_SUBMISSIONS_PER_ADDRESS_PER_DAY": 2,
        "PORTAL_SUBMISSIONS_PER_ID_PER_DAY": 1,
    }


@pytest.mark.django_db
def test_lookups_are_refused_after_n_failures_from_one_address(district, api, limits):
    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
        misses = [
            api.get(f"/api/public/petitions/{code}/?phone4=0000", REMOTE_ADDR="10.9.9.9") for _ in range(3)
        ]
        blocked = api.get(f"/api/public/petitions/{code}/?phone4={PHONE[-4:]}", REMOTE_ADDR="10.9.9.9")
        other = api.get(f"/api/public/petitions/{code}/?phone4={PHONE[-4:]}", REMOTE_ADDR="10.9.9.10")
    assert [r.status_code for r in misses] == [404, 404, 404]
    assert blocked.status_code == 429  # even with the right phone: the address is locked out for the hour
    assert blocked.json() == {
        "code": "throttled",
        "message": "操作过于频繁，请稍后再试",
        "field": None,
        "errors": {},
    }
    assert other.status_code == 200


@pytest.mark.django_db
def test_lookup_lock_ends_after_the_hour(district, api, limits):
    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
        for _ in range(3):
            api.get(f"/api/public/petitions/{code}/?phone4=0000", REMOTE_ADDR="10.9.9.9")
    with today_is(2026, 3, 3):
        assert (
            api.get(f"/api/public/petitions/{code}/?phone4={PHONE[-4:]}", REMOTE_ADDR="10.9.9.9").status_code
            == 200
        )


@pytest.mark.django_db
def test_submissions_are_limited_per_id_number_and_per_address(district, api, limits):
    with today_is(2026, 3, 2):
        first = submit(api, address="10.1.1.1")
        same_id = submit(api, address="10.1.1.2")
        other_id = submit(
            api, address="10.1.1.1", id_number=make_id_number("440111", datetime.date(1990, 1, 1), 7)
        )
        third = submit(
            api, address="10.1.1.1", id_number=make_id_number("440111", datetime.date(1991, 1, 1), 8)
        )
    assert first.status_code == 201 and other_id.status_code == 201
    assert same_id.status_code == 429 and third.status_code == 429
    assert "频繁" in same_id.json()["message"]


@pytest.mark.django_db
def test_the_track_page_is_throttled_too(district, client, limits):
    for _ in range(3):
        client.post("/portal/track/", {"code": "AAAA", "phone4": "1234"}, REMOTE_ADDR="10.7.7.7")
    response = client.post("/portal/track/", {"code": "AAAA", "phone4": "1234"}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
