"""The registrar's and the handler's desk in the browser (issue 17): a phone inquiry answered by finding the
case by the caller's name; a handler drafts the reply and the unit head issues it as it stands; the case list
and the registration page on a 375 px phone have no horizontal scroll."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, leaf_category, make_case, make_district, make_petitioner, make_user
from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.core import clock
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_registrar_answers_a_phone_inquiry_by_the_callers_name(page, live_server, login):
    d = make_district()
    leaf_category()
    registrar = make_user(Role.REGISTRAR, d.bureau, username="desk_reg")
    caller = make_petitioner("王秀英", serial=77)
    case = make_case(
        registered_by=registrar, unit=d.units[0], petitioner=caller, status=Status.HANDLING,
        title="反映小区供水管网老化", due_date=timezone.localdate() + datetime.timedelta(days=20),
    )  # fmt: skip
    for _ in range(3):
        make_case(registered_by=registrar)  # others, still to route

    login(page, live_server, registrar.username, PASSWORD)
    assert page.inner_text("h1") == "待我办理"  # the registrar lands on the cases still to route
    assert case.number not in page.inner_text("#case-table")
    page.click("#tab-all")
    page.fill("input[name=q]", "王秀英")
    page.click(".filters button[type=submit]")
    page.wait_for_selector("#list-count:has-text('共 1 条')")
    table = page.inner_text("#case-table")
    assert "共 1 条" in table and "王秀英" in table and "办理中" in table
    page.click(f"text={case.number}")
    page.wait_for_selector("#parties")
    assert "王秀英" in page.inner_text("#parties") and caller.id_number not in page.content()
    assert "区第1局" in page.inner_text("main")  # who handles it: the answer the caller wanted


def test_handler_drafts_the_reply_and_the_unit_head_issues_it_unchanged(page, live_server, login):
    d = make_district()
    leaf_category()
    registrar = make_user(Role.REGISTRAR, d.bureau, username="desk_reg2")
    handler = make_user(Role.HANDLER, d.units[0], username="desk_handler")
    head = make_user(Role.UNIT_HEAD, d.units[0], username="desk_head")
    case = make_case(registered_by=registrar, title="反映工地夜间施工噪声扰民")
    today = timezone.localdate()
    with clock.at(timezone.now()):
        from xinfang.cases.workflow import actions as tr

        case = tr.forward_case(case, registrar, version=case.version, unit=d.units[0], on=today)
        case = tr.accept_case(case, handler, version=case.version, on=today)
        case = tr.start_handling(case, handler, version=case.version, on=today)

    login(page, live_server, handler.username, PASSWORD)
    assert page.inner_text("h1") == "待我办理" and case.number in page.inner_text("#case-table")
    page.click(f"text={case.number}")
    page.wait_for_selector('details[data-action="draft_reply"]')
    page.wait_for_load_state("networkidle")
    page.click('details[data-action="draft_reply"] summary')
    page.fill("#id_draft_reply-facts", "经现场核查，工地确有夜间施工，未取得夜间施工许可。")
    page.fill("#id_draft_reply-decision_text", "责令施工单位停止夜间施工。")
    page.fill("#id_draft_reply-legal_basis", "《中华人民共和国噪声污染防治法》第四十三条")
    page.select_option("#id_draft_reply-decision", "support")
    with page.expect_navigation():
        page.click('details[data-action="draft_reply"] button[type=submit]')
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.status == Status.HANDLING  # a draft changes no state

    page.context.clear_cookies()
    login(page, live_server, head.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.wait_for_selector('details[data-action="reply"]')
    page.wait_for_load_state("networkidle")
    page.click('details[data-action="reply"] summary')
    assert page.input_value("#id_reply-decision_text") == "责令施工单位停止夜间施工。"
    assert page.input_value("#id_reply-facts").startswith("经现场核查")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click('details[data-action="reply"] button[type=submit]')
    page.wait_for_selector("#workflow-panel .workflow-actions, #workflow-panel .no-actions")
    assert "已答复" in page.inner_text(".status")
    opinion = Case.objects.get(pk=case.pk).opinions.get(kind="reply")
    assert opinion.decision_text == "责令施工单位停止夜间施工。" and opinion.issued_by_id == head.pk


def test_the_list_and_the_registration_page_fit_a_phone(phone, live_server, login):
    d = make_district()
    leaf_category()
    registrar = make_user(Role.REGISTRAR, d.bureau, username="desk_phone")
    for i in range(25):
        make_case(
            registered_by=registrar, unit=d.units[0], title=f"反映某小区第{i}栋楼顶渗水严重影响居住安全"
        )
    login(phone, live_server, registrar.username, PASSWORD)
    phone.goto(f"{live_server.url}/cases/")
    assert phone.locator("#case-table tbody tr").count() == 20 and _fits(phone)
    nav = phone.locator(".topbar nav a").all_inner_texts()
    assert "热点" in nav  # whole words: the link does not break inside "热点"
    phone.goto(f"{live_server.url}/cases/register/")
    assert _fits(phone)
