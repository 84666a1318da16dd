"""Staff pages: booking a reception by staff and recording it, the 积案 list, the dispute ledger."""

from datetime import time, timedelta

import pytest
from django.test import Client

from tests.factories import leaf_category, make_case, make_user
from tests.supervision.test_receptions import person
from xinfang.cases.choices import Status
from xinfang.core import clock
from xinfang.orgs.roles import Role
from xinfang.supervision.models import BacklogItem, Dispute, ReceptionBooking, ReceptionRecord, ReceptionSlot


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_staff_book_a_reception_and_record_it_against_a_case(district):
    sup = make_user(Role.SUPERVISOR, district.bureau)
    leader = make_user(Role.LEADER, district.bureau)
    slot = ReceptionSlot.objects.create(
        leader=leader,
        day=clock.today() + timedelta(days=3),
        start=time(9),
        end=time(11),
        place="接待大厅",
        capacity=2,
    )
    c = client_for(sup)
    c.post("/supervision/receptions/", {"action": "book", "slot": slot.pk, **person(5)})
    booking = ReceptionBooking.objects.get()
    assert (booking.source, booking.created_by) == ("staff", sup)
    case = make_case()
    c.post(
        "/supervision/receptions/",
        {"action": "record", "booking": booking.pk, "summary": "听取诉求", "case": case.pk},
    )
    assert ReceptionRecord.objects.get().case == case
    assert "已接访" in c.get("/supervision/receptions/").content.decode()
    assert (
        client_for(make_user(Role.HANDLER, district.units[0])).get("/supervision/receptions/").status_code
        == 404
    )


@pytest.mark.django_db
def test_backlog_page_lists_candidates_and_puts_one_in_a_leaders_charge(district):
    sup = make_user(Role.SUPERVISOR, district.bureau)
    leader = make_user(Role.LEADER, district.bureau)
    old = make_case(
        received=clock.today() - timedelta(days=400), status=Status.HANDLING, title="反映历史遗留房产证问题"
    )
    c = client_for(sup)
    assert "反映历史遗留房产证问题" in c.get("/supervision/backlog/").content.decode()
    c.post(
        "/supervision/backlog/", {"action": "add", "case": old.pk, "leader": leader.pk, "plan": "联合会商"}
    )
    item = BacklogItem.objects.get()
    c.post("/supervision/backlog/", {"action": "note", "item": item.pk, "text": "已约见信访人"})
    c.post("/supervision/backlog/", {"action": "resolve", "item": item.pk, "result": "已办证，息诉罢访"})
    item.refresh_from_db()
    assert (item.leader, item.status, item.notes.count()) == (leader, "resolved", 1)


@pytest.mark.django_db
def test_dispute_ledger_records_per_grid_and_converts_to_a_case(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    sup = make_user(Role.SUPERVISOR, district.bureau)
    town = district.towns[0]
    c = client_for(sup)
    c.post(
        "/supervision/disputes/",
        {
            "action": "add",
            "grid": town.pk,
            "title": "物业费纠纷",
            "risk_level": "high",
            "owner": "网格员",
            "description": "业主拒交",
        },
    )
    dispute = Dispute.objects.get()
    assert (dispute.grid, dispute.risk_level) == (town, "high")
    # Registering needs a registering role: the supervisor is refused with a message, the registrar succeeds.
    c.post(
        "/supervision/disputes/",
        {"action": "convert", "dispute": dispute.pk, "category": leaf_category().pk, "name": "钱七"},
    )
    assert Dispute.objects.get().case is None
    reg = client_for(registrar)
    reg.post(
        "/supervision/disputes/",
        {"action": "convert", "dispute": dispute.pk, "category": leaf_category().pk, "name": "钱七"},
    )
    case = Dispute.objects.get().case
    assert case.place_organisation == town
    assert case.number in c.get("/supervision/disputes/").content.decode()
