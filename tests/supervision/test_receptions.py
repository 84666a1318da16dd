"""Leader receptions: schedules as data, public booking API (no session, no CSRF), capacity and one booking per
person kept under races, reception records that link to or register a case, 包案."""

import threading
from datetime import date, time

import pytest
from django.db import connection
from django.test import Client

from tests.factories import leaf_category, make_case, make_user
from xinfang.cases.identity import make_id_number
from xinfang.core.errors import ConflictError, ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision import receptions
from xinfang.supervision.models import CaseOwnership, ReceptionBooking, ReceptionSchedule, ReceptionSlot

MONDAY = date(2026, 4, 27)  # the May Day week follows


def person(i):
    return {
        "name": f"李{i}",
        "id_number": make_id_number("440111", date(1975, 3, 1 + i % 28), 100 + i),
        "phone": f"1380000{i:04d}",
        "matter": "反映征地补偿款未发放",
    }


@pytest.fixture
def leader(district):
    return make_user(Role.LEADER, district.bureau)


def schedule(leader, weekdays, capacity=2):
    return ReceptionSchedule.objects.create(
        leader=leader,
        title="接访",
        weekdays=weekdays,
        start=time(9),
        end=time(11),
        place="接待大厅",
        capacity=capacity,
    )


@pytest.mark.django_db
def test_schedules_make_slots_on_their_weekdays_skipping_holidays(leader):
    thursdays = receptions.publish_slots(schedule(leader, "4"), start=MONDAY, weeks=3)
    assert [s.day for s in thursdays] == [date(2026, 4, 30), date(2026, 5, 7), date(2026, 5, 14)]
    days = [s.day for s in receptions.publish_slots(schedule(leader, "1357"), start=MONDAY, weeks=2)]
    # Mon 27, Wed 29; Fri 1 May – Tue 5 May are the holiday; Wed 6, Fri 8. No Sunday is a working day here.
    assert days == [date(2026, 4, 27), date(2026, 4, 29), date(2026, 5, 6), date(2026, 5, 8)]
    assert receptions.publish_slots(ReceptionSchedule.objects.get(weekdays="4"), start=MONDAY, weeks=3) == []


@pytest.mark.django_db
def test_the_public_lists_free_slots_and_books_without_session_or_csrf(leader):
    receptions.publish_slots(schedule(leader, "4", capacity=1), start=MONDAY, weeks=2)
    public = Client(enforce_csrf_checks=True)
    from xinfang.core import clock

    with clock.at(clock.now().replace(year=2026, month=4, day=28)):
        slots = public.get("/api/public/receptions/").json()
        assert [(s["day"], s["free"]) for s in slots] == [("2026-04-30", 1), ("2026-05-07", 1)]
        r = public.post(
            f"/api/public/receptions/{slots[0]['id']}/bookings/", person(1), content_type="application/json"
        )
        assert r.status_code == 201 and r.json()["day"] == "2026-04-30"
        again = public.post(
            f"/api/public/receptions/{slots[0]['id']}/bookings/", person(2), content_type="application/json"
        )
        assert again.status_code == 409 and "名额已满" in again.json()["message"]
        assert [s["day"] for s in public.get("/api/public/receptions/").json()] == ["2026-05-07"]
        bad = public.post(
            f"/api/public/receptions/{slots[1]['id']}/bookings/",
            {**person(3), "id_number": "123"},
            content_type="application/json",
        )
        assert bad.status_code == 422


@pytest.mark.django_db
def test_the_schema_declares_slot_times_as_they_are_sent(leader):
    # Found by the schema fuzzing: times were declared `format: time` (RFC 3339 full-time, offset required)
    # but are sent as a Beijing wall-clock "09:00:00".
    import re

    receptions.publish_slots(schedule(leader, "4"), start=MONDAY, weeks=1)
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    for name, prop in (("SlotOut", "start"), ("SlotOut", "end"), ("BookingOut", "start")):
        declared = schemas[name]["properties"][prop]
        assert "format" not in declared and declared["pattern"] == r"^\d{2}:\d{2}:\d{2}$"
    from xinfang.core import clock

    with clock.at(clock.now().replace(year=2026, month=4, day=28)):
        slot = Client().get("/api/public/receptions/").json()[0]
    assert (slot["start"], slot["end"]) == ("09:00:00", "11:00:00")
    assert re.match(schemas["SlotOut"]["properties"]["start"]["pattern"], slot["start"])


@pytest.mark.django_db
def test_one_booking_per_person_per_slot(leader):
    (slot, *_) = receptions.publish_slots(schedule(leader, "4", capacity=5), start=MONDAY, weeks=1)
    receptions.book(slot.pk, **person(1), today=MONDAY)
    with pytest.raises(ConflictError, match="请勿重复预约"):
        receptions.book(slot.pk, **person(1), today=MONDAY)
    slot.refresh_from_db()
    assert slot.booked == 1
    with pytest.raises(ValidationFailed) as exc:
        receptions.book(slot.pk, name="", id_number="", phone="1", matter="", today=MONDAY)
    assert set(exc.value.errors) == {"name", "id_number", "phone", "matter"}


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_when_many_book_at_once(district):
    leader = make_user(Role.LEADER, district.bureau)
    (slot, *_) = receptions.publish_slots(schedule(leader, "4", capacity=3), start=MONDAY, weeks=1)
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt(i):
        try:
            start.wait(timeout=10)
            receptions.book(slot.pk, **person(i), today=MONDAY)
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("full")
        except Exception as exc:  # SQLite may refuse a writer outright; never an oversell
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    slot.refresh_from_db()
    assert outcomes.count("ok") == slot.booked == ReceptionBooking.objects.count() <= 3
    assert outcomes.count("ok") == 3


@pytest.mark.django_db
def test_a_reception_links_to_a_case_or_registers_one(district, leader):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    (slot, *_) = receptions.publish_slots(schedule(leader, "4"), start=MONDAY, weeks=1)
    booking = receptions.book(slot.pk, **person(1), source="staff", actor=registrar, today=MONDAY)
    rec = receptions.record_reception(
        actor=registrar,
        summary="领导当面听取诉求，责成街道核实",
        booking=booking,
        register=True,
        category=leaf_category(),
    )
    assert rec.case.channel == "visit" and rec.case.parties.get().petitioner.name == "李1"
    existing = make_case()
    linked = receptions.record_reception(actor=leader, summary="回访", case=existing)
    assert linked.case == existing and linked.leader == leader


@pytest.mark.django_db
def test_a_leader_owns_a_case_and_a_new_owner_replaces_the_old(district, leader):
    other = make_user(Role.LEADER, district.bureau)
    case = make_case()
    receptions.assign_owner(case=case, leader=leader, actor=leader, measures="每周调度")
    receptions.assign_owner(case=case, leader=other, actor=other)
    assert list(CaseOwnership.objects.filter(case=case, is_active=True).values_list("leader", flat=True)) == [
        other.pk
    ]
    with pytest.raises(ValidationFailed):
        receptions.assign_owner(case=case, leader=make_user(Role.HANDLER, district.units[0]), actor=leader)


@pytest.mark.django_db
def test_demo_hook_publishes_slots_for_the_coming_weeks(district):
    leaders = [make_user(Role.LEADER, district.bureau) for _ in range(2)]
    made = receptions.seed_reception_demo(leaders=leaders, start=MONDAY, weeks=4)
    assert made == ReceptionSlot.objects.count() > 0
    assert set(ReceptionSlot.objects.values_list("leader", flat=True)) == {u.pk for u in leaders}
    assert receptions.seed_reception_demo(leaders=leaders, start=MONDAY, weeks=4) == 0


@pytest.mark.django_db
def test_no_reception_on_new_years_day_of_a_year_the_calendar_does_not_know_yet(leader):
    from xinfang.calendar.services import year_is_known

    assert not year_is_known(2031)  # no 放假安排 published for it
    days = [
        s.day for s in receptions.publish_slots(schedule(leader, "12345"), start=date(2030, 12, 30), weeks=1)
    ]
    assert date(2031, 1, 1) not in days and date(2030, 12, 31) in days and date(2031, 1, 2) in days
