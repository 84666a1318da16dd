"""The supervisor opens the overdue list, issues a 督办函 and downloads it; the unit head sees it and answers it."""

import io
from datetime import timedelta

import pytest
from docx import Document

from tests.factories import PASSWORD, make_case, make_district, make_user
from xinfang.cases.choices import Status
from xinfang.core import clock
from xinfang.orgs.roles import Role
from xinfang.supervision.models import FeedbackStatus, Letter
from xinfang.supervision.sweep import sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_issues_an_urge_letter_and_the_unit_head_answers_it(page, live_server, login):
    d = make_district()
    today = clock.today()
    # Forwarded to the unit, whose written acceptance notice is overdue (no automatic letter for this step).
    case = make_case(
        unit=d.units[0],
        status=Status.FORWARDED,
        current_step="acceptance",
        due_date=today - timedelta(days=3),
        title="反映小区供暖不热",
    )
    sweep(today)
    make_user(Role.SUPERVISOR, d.bureau, username="sup_walk")
    make_user(Role.UNIT_HEAD, d.units[0], username="head_walk")

    login(page, live_server, "sup_walk", PASSWORD)
    page.click("header >> text=督办")
    page.wait_for_url("**/supervision/")
    row = page.locator(f'#overdue tr[data-case="{case.number}"]')
    assert "书面告知受理" in row.inner_text() and d.units[0].name in row.inner_text()
    row.locator("select[name=kind]").select_option("urge")
    row.locator("input[name=reason]").fill("逾期未书面告知受理")
    row.locator("button[type=submit]").click()
    page.wait_for_url("**/supervision/letters/*/")
    letter = Letter.objects.get(case=case)
    assert letter.number in page.locator("h1").inner_text()
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    text = "\n".join(p.text for p in Document(io.BytesIO(open(download.path(), "rb").read())).paragraphs)
    assert letter.number in text and case.number in text
    page.click("button.link")  # 退出

    login(page, live_server, "head_walk", PASSWORD)
    page.click("header >> text=督办函件")
    page.click(f"text={letter.number}")
    page.fill("#id_feedback", "已于当日向信访人书面告知受理，并对经办人员提出批评")
    page.click("text=提交书面反馈")
    page.wait_for_selector("text=书面反馈已提交")
    assert page.locator("#status").inner_text() == "已反馈"
    letter.refresh_from_db()
    assert letter.status == FeedbackStatus.CLOSED
