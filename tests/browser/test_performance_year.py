"""Finance does the year on screen: evaluation from the budget, an indicator edited, the report downloaded."""

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.factories import PASSWORD, make_district, make_user
from xinfang.orgs.roles import Role
from xinfang.performance.models import BudgetLine, ExecutionEntry, FiscalYear, IncomeRecord, Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["部门（单位）基本情况", "部门职能", "机构设置及人员情况", "年度总体工作和重点工作任务", "部门整体收支情况",
            "绩效目标及完成情况", "项目自评覆盖率", "偏离原因", "存在问题及改进措施", "结果应用",
            "其他需要说明的情况", "附表"]  # fmt: skip


def budget_year(org) -> None:
    fy = FiscalYear.objects.create(year=2025, organisation=org, authorised_headcount=12, actual_headcount=11)
    project = Project.objects.create(year=fy, code="P001", name="信访工作经费")
    a = BudgetLine.objects.create(year=fy, code="A01", name="工资", fund_source="general", nature="personnel",
                                  initial_amount=Decimal("5200000"))  # fmt: skip
    p = BudgetLine.objects.create(year=fy, code="P01", name="信访工作经费", fund_source="general",
                                  nature="project", project=project, initial_amount=Decimal("1800000"))  # fmt: skip
    ExecutionEntry.objects.create(line=a, date=date(2025, 12, 20), amount=Decimal("5200000"), voucher_ref="1")
    ExecutionEntry.objects.create(line=p, date=date(2025, 12, 20), amount=Decimal("1700000"), voucher_ref="2")
    IncomeRecord.objects.create(year=fy, fund_source="general", amount=Decimal("7000000"),
                                prior_year_final=Decimal("6500000"))  # fmt: skip


def test_finance_does_the_year_on_screen_and_downloads_the_report(page, live_server, login, tmp_path):
    d = make_district()
    make_user(Role.FINANCE, d.bureau, username="fin2")
    budget_year(d.bureau)
    login(page, live_server, "fin2", PASSWORD)
    page.goto(f"{live_server.url}/performance/years/2025/")
    page.click("text=按本年度预算建立部门整体支出绩效自评")
    page.wait_for_selector("text=新增指标")
    assert "98.57%" in page.inner_text("main")  # 690 / 700 from the budget lines
    page.click("text=新增指标")
    page.select_option("select[name=level1]", "产出指标")
    page.select_option("select[name=level2]", "数量指标")
    page.fill("input[name=level3]", "区领导重点约访")
    page.fill("input[name=target]", "20")
    page.fill("input[name=unit]", "名")
    page.fill("input[name=weight]", "90")
    page.fill("textarea[name=scoring_note]", "每少1名扣4.5分")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=≥20名")
    page.click("text=编辑/填报")
    page.fill("input[name=actual]", "25")
    page.fill("input[name=claimed_score]", "90")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=总分")
    body = page.inner_text("main")
    assert "99.86" in body and "优" in body and "_" not in body.split("校核发现")[1].split("报告文字")[0]
    page.click("text=生成报告（.docx 与附表 .xlsx）")
    page.wait_for_selector("text=下载报告（.docx）")
    with page.expect_download() as docx_download:
        page.click("text=下载报告（.docx）")
    with page.expect_download() as xlsx_download:
        page.click("text=下载附表（.xlsx）")
    docx_path, xlsx_path = tmp_path / "r.docx", tmp_path / "r.xlsx"
    docx_download.value.save_as(docx_path)
    xlsx_download.value.save_as(xlsx_path)
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    for section in SECTIONS:
        assert section in text, section
    assert text.count("自评总分") == 1
    wb = load_workbook(io.BytesIO(xlsx_path.read_bytes()))
    table = wb["部门整体支出绩效自评表"]
    budget = [c.value for c in table[5][1:7]]
    assert all(isinstance(v, int | float) for v in budget), budget
    total = next(r for r in table.iter_rows(values_only=True) if r[0] == "总分")
    assert total[6] == 99.86
