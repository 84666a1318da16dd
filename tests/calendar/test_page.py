from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.calendar.models import CalendarYear, HolidayOverride
from xinfang.calendar.services import Due, add_days, set_year_complete
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db

GOOD = "date,is_working_day,name\n2027-01-01,休息日,元旦\n2027-02-13,工作日,春节调休上班\n"


def upload(client, text: str, name: str = "2027.csv"):
    return client.post(
        reverse("calendar:home"), {"file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


@pytest.fixture
def admin_client(client, district):
    user = make_user(Role.ADMIN, district.bureau)
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_get_403(client, district, role):
    client.force_login(make_user(role, district.bureau))
    assert client.get(reverse("calendar:home")).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert HolidayOverride.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("calendar:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_sees_coverage_and_overrides_of_a_year(admin_client):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    response = admin_client.get(reverse("calendar:home"), {"year": 2027})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2027-01-01" in body and "元旦" in body and "周五" in body


def test_admin_upload_imports_and_audits(admin_client):
    response = upload(admin_client, GOOD)
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    assert HolidayOverride.objects.count() == 2
    event = AuditEvent.objects.get(action="calendar.import")
    assert event.actor_id == admin_client.user.pk
    page = admin_client.get(response["Location"]).content.decode()
    assert "新增 2 条" in page


def test_admin_upload_with_bad_row_shows_row_errors_and_imports_nothing(admin_client):
    response = upload(admin_client, GOOD + "2027-02-14,maybe,调休\n")
    assert response.status_code == 400
    assert "第4行：是否工作日取值不正确" in response.content.decode()
    assert HolidayOverride.objects.count() == 0


def test_upload_without_file_names_the_field(admin_client):
    response = admin_client.post(reverse("calendar:home"), {})
    assert response.status_code == 400
    assert "请选择要导入的 CSV 文件" in response.content.decode()


@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_page_warns_about_years_without_a_schedule(admin_client):
    body = admin_client.get(reverse("calendar:home")).content.decode()
    assert body.count("缺少节假日安排，期限为暂定") == 1  # 2027; 2025 and 2026 are in the package
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    body = admin_client.get(reverse("calendar:home")).content.decode()
    assert body.count("缺少节假日安排，期限为暂定") == 1  # one row is not the whole schedule
    set_year_complete(2027, True, actor=admin_client.user)
    body = admin_client.get(reverse("calendar:home")).content.decode()
    assert "缺少节假日安排，期限为暂定" not in body


def mark(client, year: int, complete: str = "1", **extra):
    data = {"complete": complete, "confirm": "on", **extra}
    return client.post(reverse("calendar:mark_year", args=[year]), data)


@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_admin_marks_2027_complete_on_the_page_and_it_is_audited(admin_client):
    HolidayOverride.objects.create(date=date(2027, 1, 4), is_working_day=False, name="元旦调休（测试）")
    page = admin_client.get(reverse("calendar:home"), {"year": 2027}).content.decode()
    assert "我已核对" in page and "标记为已完整" in page
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), True)

    response = mark(admin_client, 2027, note="国办发明电（测试）")
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    row = CalendarYear.objects.get(year=2027)
    assert row.complete and row.marked_by == admin_client.user and row.note == "国办发明电（测试）"
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), False)
    event = AuditEvent.objects.get(action="calendar.year.complete")
    assert event.actor_id == admin_client.user.pk and event.after["via"] == "page"
    page = admin_client.get(response["Location"]).content.decode()
    assert "已将2027年节假日安排标记为已完整" in page
    assert "缺少节假日安排，期限为暂定" not in page and "撤销完整标记" in page

    response = mark(admin_client, 2027, complete="0")
    assert response.status_code == 302
    assert not CalendarYear.objects.get(year=2027).complete
    assert add_days(date(2026, 12, 20), 15) == Due(date(2027, 1, 5), True)
    assert AuditEvent.objects.filter(action="calendar.year.incomplete", actor=admin_client.user).count() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "已撤销2027年的完整标记" in page


def test_marking_without_the_confirmation_box_changes_nothing(admin_client):
    response = admin_client.post(reverse("calendar:mark_year", args=[2027]), {"complete": "1"})
    assert response.status_code == 400
    assert "请勾选确认后再提交" in response.content.decode()
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar.year").exists()


def test_marking_twice_records_one_event(admin_client):
    mark(admin_client, 2027)
    response = mark(admin_client, 2027)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.year.complete").count() == 1
    assert "未作更改" in admin_client.get(response["Location"]).content.decode()


def test_marking_needs_post_and_a_sensible_year(admin_client):
    assert admin_client.get(reverse("calendar:mark_year", args=[2027])).status_code == 405
    assert mark(admin_client, 3000).status_code == 404
    assert not CalendarYear.objects.exists()


def test_package_years_show_no_marking_form(admin_client):
    page = admin_client.get(reverse("calendar:home"), {"year": 2025}).content.decode()
    assert "标记为已完整" not in page


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_cannot_mark_a_year(client, district, role):
    client.force_login(make_user(role, district.bureau))
    assert mark(client, 2027).status_code == 403
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar.year").exists()
    assert add_days(date(2026, 12, 20), 15).provisional


def test_anonymous_cannot_mark_a_year(client):
    response = mark(client, 2027)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not CalendarYear.objects.exists()
