import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance.importers import COLUMNS
from xinfang.performance.models import BudgetLine, Evaluation, FiscalYear, ReportJob

from .helpers import FIXTURES, evaluation, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(client, district):
    user = make_user(Role.FINANCE, district.bureau)
    client.force_login(user)
    return client


def test_other_roles_get_403_and_anonymous_is_sent_to_login(client, district):
    assert client.get("/performance/").status_code == 302
    for role in (Role.REGISTRAR, Role.ADMIN, Role.HANDLER):
        client.force_login(make_user(role, district.bureau))
        assert client.get("/performance/").status_code == 403
        assert client.get("/performance/templates/executions.xlsx").status_code == 403


def test_home_creates_a_year_and_rejects_a_bad_one(finance):
    assert finance.get("/performance/").status_code == 200
    assert finance.post("/performance/", {"year": "2025"}).status_code == 302
    assert FiscalYear.objects.filter(year=2025).exists()
    response = finance.post("/performance/", {"year": "abc"})
    assert response.status_code == 400 and "年度应为" in response.content.decode()


def test_import_page_lists_row_errors_and_imports_nothing(finance):
    FiscalYear.objects.create(year=2025)
    wb = Workbook()
    wb.active.append(COLUMNS["budget_lines"])
    wb.active.append(
        ["B1", "工资", "一般公共预算财政拨款", "基本支出-人员经费", "", "", None, None, "100", None]
    )
    wb.active.append(["B2", "办公费", "一般公共预算财政拨款", "公用", "", "", None, None, "100", None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "lines.xlsx"
    buf.seek(0)
    response = finance.post("/performance/years/2025/import/budget_lines/", {"file": buf})
    assert response.status_code == 400
    assert "第3行：支出性质“公用”无效" in response.content.decode()
    assert BudgetLine.objects.count() == 0


def test_template_download_is_an_xlsx(finance):
    response = finance.get("/performance/templates/budget_lines.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == COLUMNS["budget_lines"]


def test_evaluation_import_page_report_flow_and_export(finance):
    upload = io.BytesIO((FIXTURES / "seed_003.json").read_bytes())
    upload.name = "seed_003.json"
    response = finance.post("/performance/evaluations/import/", {"file": upload})
    evaluation_pk = Evaluation.objects.get().pk
    assert response.status_code == 302
    page = finance.get(f"/performance/evaluations/{evaluation_pk}/").content.decode()
    assert "98.85" in page and "比率计算有误" in page and "信访事项按期办结率" in page
    assert "rate_mismatch" not in page and "empty_indicator" not in page
    saved = finance.post(
        f"/performance/evaluations/{evaluation_pk}/", {"problems": "目标管理意识有待提高。", "version": "1"}
    )
    assert saved.status_code == 302
    stale = finance.post(
        f"/performance/evaluations/{evaluation_pk}/", {"problems": "别人的旧稿", "version": "1"}
    )
    assert (
        stale.status_code == 409
        and "已被他人修改" in stale.content.decode()
        and "别人的旧稿" in stale.content.decode()
    )
    assert Evaluation.objects.get().narrative["problems"] == "目标管理意识有待提高。"
    status = finance.post(f"/performance/evaluations/{evaluation_pk}/report/").content.decode()
    assert "hx-get" in status  # pending: the fragment polls
    job = ReportJob.objects.get()
    polled = finance.get(f"/performance/reports/{job.pk}/").content.decode()
    assert "已完成" in polled and "hx-get" not in polled
    docx = finance.get(f"/performance/reports/{job.pk}/download.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    exported = json.loads(finance.get(f"/performance/evaluations/{evaluation_pk}/export.json").content)
    assert exported["budget"]["executed"] == "741.64" and len(exported["indicators"]) == 7


def test_bad_evaluation_json_names_the_field(finance):
    upload = io.BytesIO(json.dumps(evaluation(row(weight="x"))).encode())
    upload.name = "bad.json"
    response = finance.post("/performance/evaluations/import/", {"file": upload})
    assert response.status_code == 400 and "indicators[0].weight" in response.content.decode()
    assert Evaluation.objects.count() == 0


def test_monitoring_page_and_export(finance):
    FiscalYear.objects.create(year=2025)
    page = finance.get("/performance/years/2025/monitoring/?as_of=2025-06-30&mode=day")
    assert page.status_code == 200 and "49.59%" in page.content.decode()
    export = finance.get("/performance/years/2025/monitoring/?as_of=2025-06-30&export=xlsx")
    assert load_workbook(io.BytesIO(export.content)).active["B2"].value == "部门整体"


def test_year_page_shows_full_year_in_wan_with_constant_queries(finance, django_assert_max_num_queries):
    from decimal import Decimal

    from xinfang.performance.models import BudgetAdjustment

    fy = FiscalYear.objects.create(year=2025)
    for n in range(8):
        line = BudgetLine.objects.create(year=fy, code=f"B{n}", name=f"经费{n}", fund_source="general",
                                         nature="public", initial_amount=Decimal("4000000"))  # fmt: skip
        BudgetAdjustment.objects.create(
            line=line, date="2025-05-01", amount=Decimal("1200000"), reason="追加"
        )
    with django_assert_max_num_queries(15):
        page = finance.get("/performance/years/2025/").content.decode()
    assert page.count("520.00") == 8 and "全年预算合计 4160.00" in page
