"""Booking a leader's reception from the portal: the page on a phone-sized form, the API's throttles per
address and per ID number, the honeypot, and a full or unknown slot refused in Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_user
from tests.supervision.test_receptions import MONDAY, person, schedule
from xinfang.core import clock
from xinfang.orgs.roles import Role
from xinfang.portal import bookings
from xinfang.supervision import receptions
from xinfang.supervision.models import ReceptionBooking

TUESDAY = clock.now().replace(year=2026, month=4, day=28)


@pytest.fixture
def slots(district):
    leader = make_user(Role.LEADER, district.bureau)
    leader.display_name = "王区长"
    leader.save(update_fields=["display_name"])
    return receptions.publish_slots(schedule(leader, "4", capacity=2), start=MONDAY, weeks=2)


@pytest.fixture
def limits(settings):
    settings.XINFANG = {
        **settings.XINFANG,
        "PORTAL_BOOKINGS_PER_ADDRESS_PER_DAY": 3,
        "PORTAL_BOOKINGS_PER_ID_PER_DAY": 2,
    }


def post_booking(client, slot, data, addr="10.1.1.1"):
    return client.post(
        f"/api/public/receptions/{slot.pk}/bookings/", data, content_type="application/json", REMOTE_ADDR=addr
    )


@pytest.mark.django_db
def test_the_page_lists_open_slots_and_books_one(slots):
    web = Client(enforce_csrf_checks=False)
    with clock.at(TUESDAY):
        page = web.get("/portal/receptions/").content.decode()
        assert "4月30日 星期四 09:00—11:00" in page and "王区长" in page and "余位 2 / 2" in page
        form = web.get(f"/portal/receptions/{slots[0].pk}/")
        assert "确认预约" in form.content.decode() and 'name="attachments"' not in form.content.decode()
        done = web.post(f"/portal/receptions/{slots[0].pk}/", person(1))
    body = done.content.decode()
    assert done.status_code == 200 and "预约成功，请按时携带身份证件到场" in body
    booking = ReceptionBooking.objects.get()
    assert (booking.slot_id, booking.name, booking.source) == (slots[0].pk, "李1", "public")
    assert person(1)["id_number"] not in body  # the ID number is not echoed back


@pytest.mark.django_db
def test_the_page_keeps_the_input_and_says_what_is_wrong(slots):
    web = Client()
    with clock.at(TUESDAY):
        r = web.post(f"/portal/receptions/{slots[0].pk}/", {**person(1), "id_number": "110101199001011230"})
    body = r.content.decode()
    assert r.status_code == 200 and "身份证" in body and "校验" in body
    assert 'value="李1"' in body  # nothing typed is lost
    assert not ReceptionBooking.objects.exists()


@pytest.mark.django_db
def test_a_full_or_past_slot_sends_the_visitor_back_to_the_list(slots):
    web = Client()
    with clock.at(TUESDAY):
        receptions.book(slots[0].pk, **person(1))
        receptions.book(slots[0].pk, **person(2))
        r = web.get(f"/portal/receptions/{slots[0].pk}/")
        assert r.status_code == 404 and "该场次已约满或已结束" in r.content.decode()
    with clock.at(TUESDAY.replace(month=5, day=20)):
        assert web.get(f"/portal/receptions/{slots[1].pk}/").status_code == 404


@pytest.mark.django_db
def test_bookings_are_throttled_per_address_and_per_id_number(slots, limits):
    api = Client()
    with clock.at(TUESDAY):
        # One person trying the same slot again and again: refused as a duplicate, then throttled by ID.
        codes = [post_booking(api, slots[1], person(1), addr=f"10.0.0.{i}").status_code for i in range(3)]
        assert codes == [201, 409, 429]
        # One address booking for many people: the address limit (3 attempts a day) holds.
        codes = [post_booking(api, slots[0], person(10 + i), addr="10.2.2.2").status_code for i in range(4)]
        assert codes == [201, 201, 409, 429]  # the third finds the slot full (capacity 2)
        throttled = post_booking(api, slots[1], person(30), addr="10.2.2.2")
    assert throttled.status_code == 429 and throttled.json()["message"] == "操作过于频繁，请稍后再试"
    with clock.at(TUESDAY + timedelta(days=1, minutes=1)):  # a day later the address may book again
        assert post_booking(api, slots[1], person(31), addr="10.2.2.2").status_code == 201


@pytest.mark.django_db
def test_the_honeypot_refuses_a_bot(slots):
    with clock.at(TUESDAY):
        r = post_booking(Client(), slots[0], {**person(1), "website": "http://spam.example"})
    assert r.status_code == 422 and r.json()["field"] == "website"
    assert not ReceptionBooking.objects.exists()


@pytest.mark.django_db
def test_a_slot_that_has_begun_today_is_no_longer_offered_or_bookable(slots):
    thursday = timezone.make_aware(datetime(2026, 4, 30, 8, 0))
    with clock.at(thursday):
        assert [s.id for s in bookings.open_slots()] == [slots[0].pk, slots[1].pk]
    with clock.at(thursday.replace(hour=9, minute=30)):  # the 9:00 reception is under way
        assert [s.id for s in bookings.open_slots()] == [slots[1].pk]
        r = post_booking(Client(), slots[0], person(1))
    assert r.status_code == 404 and r.json()["message"] == "接访场次不存在或已结束"
