from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.calendar.models import HolidayOverride
from xinfang.calendar.services import set_year_complete
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
