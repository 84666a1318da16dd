"""Registrar registers a collective visit, finds it by a Chinese word, opens its timeline; a unit
user cannot open another unit's case."""

import pytest

from tests.factories import PASSWORD, leaf_category, make_case, make_district, make_user
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registrar_registers_collective_visit_and_finds_it(page, live_server, login):
    d = make_district()
    leaf_category()
    make_user(Role.REGISTRAR, d.bureau, username="reg1")
    login(page, live_server, "reg1", PASSWORD)

    page.goto(f"{live_server.url}/cases/register/")
    page.select_option("#id_channel", "visit")
    page.fill("#id_title", "多名业主反映小区电梯长期停运")
    page.fill("#id_content", "翠湖雅苑小区三栋电梯停运两个月，物业推诿，老人上下楼困难，请求督促维修。")
    page.fill("#id_requests", "请求尽快修复电梯")
    page.select_option("#id_category", index=1)
    page.fill("#id_headcount", "12")
    page.fill("#id_p-0-name", "张伟")
    page.fill("#id_p-0-id_number", "11010519491231002X")
    page.fill("#id_p-0-phone", "13800138000")
    page.check("#id_p-0-is_representative")
    page.click("#add-petitioner")
    page.fill("#id_p-1-name", "李娜")
    page.fill("#id_p-1-phone", "13900139000")
    page.check("#id_p-1-is_representative")
    page.click("button.primary[type=submit]")
    page.wait_for_load_state()
    assert "/register/" not in page.url, page.inner_text("#registration-form")
    assert "已登记 XF-" in page.content()

    case = Case.objects.get(title="多名业主反映小区电梯长期停运")
    assert case.is_collective and case.parties.count() == 2

    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=q]", "电梯停运")
    page.click(".filters button[type=submit]")
    page.wait_for_selector(f"text={case.number}")
    page.click(f"text={case.number}")
    page.wait_for_selector("text=办理时间线")
    timeline = page.inner_text(".timeline")
    assert "登记" in timeline
    parties = page.inner_text("#parties")
    assert "张伟" in parties and "11010519491231002X" not in parties  # masked


def test_unit_user_cannot_open_other_units_case(page, live_server, login):
    d = make_district()
    handler = make_user(Role.HANDLER, d.units[0], username="unit_a")
    own = make_case(unit=d.units[0], title="本单位的信访件")
    other = make_case(unit=d.units[1], title="其他单位的信访件")
    login(page, live_server, handler.username, PASSWORD)

    page.goto(f"{live_server.url}/cases/")
    listing = page.inner_text("#case-table")
    assert own.number in listing and other.number not in listing

    response = page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert response.status == 404
    api = page.request.get(f"{live_server.url}/api/cases/{other.pk}")
    assert api.status == 404
    assert page.request.get(f"{live_server.url}/api/cases/{own.pk}").status == 200
