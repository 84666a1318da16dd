from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.calendar.models import CalendarYear, HolidayOverride
from xinfang.calendar.services import add_days, is_working_day
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, district):
    user = make_user(Role.ADMIN, district.bureau)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_admin_add_edit_and_delete_are_audited(staff_client):
    add_url = reverse("admin:xf_calendar_holidayoverride_add")
    response = staff_client.post(add_url, {"date": "2024-10-15", "is_working_day": "", "name": "测试"})
    assert response.status_code == 302
    row = HolidayOverride.objects.get()
    assert not is_working_day(date(2024, 10, 15))

    change_url = reverse("admin:xf_calendar_holidayoverride_change", args=[row.pk])
    staff_client.post(change_url, {"date": "2024-10-15", "is_working_day": "on", "name": "测试改"})
    assert is_working_day(date(2024, 10, 15))

    delete_url = reverse("admin:xf_calendar_holidayoverride_delete", args=[row.pk])
    staff_client.post(delete_url, {"post": "yes"})
    assert not HolidayOverride.objects.exists()

    events = list(AuditEvent.objects.filter(action__startswith="calendar.override").order_by("id"))
    assert [e.action for e in events] == [
        "calendar.override.create",
        "calendar.override.update",
        "calendar.override.delete",
    ]
    assert events[1].before["is_working_day"] is False and events[1].after["name"] == "测试改"
    assert events[2].before["date"] == "2024-10-15"


def test_admin_list_filters_by_year_and_searches_names(staff_client):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    HolidayOverride.objects.create(date=date(2028, 1, 1), is_working_day=False, name="新年")
    url = reverse("admin:xf_calendar_holidayoverride_changelist")
    by_year = staff_client.get(url, {"year": "2027"}).content.decode()
    assert "元旦" in by_year and "新年" not in by_year
    searched = staff_client.get(url, {"q": "新年"}).content.decode()
    assert "新年" in searched and "元旦" not in searched


def test_bulk_delete_action_is_audited_per_row(staff_client):
    rows = [
        HolidayOverride.objects.create(date=date(2027, 1, d), is_working_day=False, name=f"测试{d}")
        for d in (1, 2)
    ]
    url = reverse("admin:xf_calendar_holidayoverride_changelist")
    staff_client.post(
        url, {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"}
    )
    assert not HolidayOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.override.delete").count() == 2


def test_calendar_year_admin_marking_goes_through_the_service_and_is_audited(staff_client):
    assert add_days(date(2026, 12, 20), 15).provisional
    add_url = reverse("admin:xf_calendar_calendaryear_add")
    response = staff_client.post(add_url, {"year": "2027", "complete": "on", "note": "测试"})
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert row.complete and row.marked_by is not None and row.marked_at is not None
    assert not add_days(date(2026, 12, 20), 15).provisional
    event = AuditEvent.objects.get(action="calendar.year.complete")
    assert event.actor_id == row.marked_by_id and event.after["via"] == "admin"

    change_url = reverse("admin:xf_calendar_calendaryear_change", args=[row.pk])
    staff_client.post(change_url, {"complete": "", "note": "测试"})
    assert not CalendarYear.objects.get(pk=row.pk).complete
    assert add_days(date(2026, 12, 20), 15).provisional
    assert AuditEvent.objects.filter(action="calendar.year.incomplete").count() == 1

    staff_client.post(change_url, {"complete": "", "note": "只改备注"})
    assert CalendarYear.objects.get(pk=row.pk).note == "只改备注"
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(row.pk)).count() == 1

    delete_url = reverse("admin:xf_calendar_calendaryear_delete", args=[row.pk])
    staff_client.post(delete_url, {"post": "yes"})
    assert not CalendarYear.objects.exists()
    deleted = AuditEvent.objects.get(action="admin.delete")
    assert deleted.before == {"year": 2027, "complete": False, "note": "只改备注"}


def test_calendar_year_bulk_delete_is_audited_per_row(staff_client):
    rows = [CalendarYear.objects.create(year=y, complete=True) for y in (2027, 2028)]
    url = reverse("admin:xf_calendar_calendaryear_changelist")
    staff_client.post(
        url, {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"}
    )
    assert not CalendarYear.objects.exists()
    assert AuditEvent.objects.filter(action="admin.delete").count() == 2
    assert add_days(date(2026, 12, 20), 15).provisional
