"""Finance user imports a self-evaluation, sees its findings, and generates the report with a progress bar."""

import pytest

from tests.factories import PASSWORD, make_district, make_user
from tests.performance.helpers import FIXTURES
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_generates_report_for_seed_001(page, live_server, login):
    d = make_district()
    make_user(Role.FINANCE, d.bureau, username="fin1")
    login(page, live_server, "fin1", PASSWORD)
    page.goto(f"{live_server.url}/performance/")
    page.set_input_files(
        "form[action$='/evaluations/import/'] input[type=file]", str(FIXTURES / "seed_001.json")
    )
    page.click("form[action$='/evaluations/import/'] button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "98.88%" in body and "单位不一致" in body and "指标重复" in body and "unit_mismatch" not in body
    page.click("text=生成报告（.docx 与附表 .xlsx）")
    page.wait_for_selector("text=下载报告（.docx）")
    assert "已完成" in page.inner_text("#report-status")
    with page.expect_download() as download:
        page.click("text=下载报告（.docx）")
    assert download.value.suggested_filename.endswith(".docx")
