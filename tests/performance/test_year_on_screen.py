"""The year done on screen: evaluations from the budget, indicator editing, basic data, roles, versions."""

from decimal import Decimal

import pytest

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance.models import (
    BudgetLine,
    Evaluation,
    FiscalYear,
    IncomeRecord,
    Indicator,
    Project,
    ThreePublicExpense,
)

pytestmark = pytest.mark.django_db

INDICATOR = {
    "level1": "产出指标", "level2": "数量指标", "level3": "区领导重点约访", "operator": ">=", "target": "20",
    "unit": "名", "weight": "15", "scoring_note": "每少1名扣0.75分", "definition": "", "data_source": "",
}  # fmt: skip


@pytest.fixture
def year():
    fy = FiscalYear.objects.create(year=2025)
    project = Project.objects.create(year=fy, code="P001", name="信访工作经费")
    BudgetLine.objects.create(year=fy, code="A", name="工资", fund_source="general", nature="personnel",
                              initial_amount=Decimal("3000000"))  # fmt: skip
    BudgetLine.objects.create(year=fy, code="B", name="信访工作经费", fund_source="general", nature="project",
                              project=project, initial_amount=Decimal("600000"))  # fmt: skip
    return fy


def login(client, district, role):
    client.force_login(make_user(role, district.bureau))
    return client


def test_finance_creates_department_and_project_evaluations_from_the_budget(client, district, year):
    login(client, district, Role.FINANCE)
    response = client.post("/performance/years/2025/evaluations/new/")
    dept = Evaluation.objects.get(project=None)
    assert response.status_code == 302 and dept.kind == "department" and dept.framework == "department_table"
    page = client.get(f"/performance/evaluations/{dept.pk}/").content.decode()
    assert "新增指标" in page
    again = client.post("/performance/years/2025/evaluations/new/")
    assert again.status_code == 409 and "自评已存在" in again.content.decode()
    project = year.projects.get()
    client.post("/performance/years/2025/evaluations/new/", {"project": project.pk})
    ev = Evaluation.objects.get(project=project)
    assert ev.kind == "project" and ev.framework == "project_national"
    assert "按项目预算建立" not in client.get("/performance/years/2025/").content.decode()


def test_indicator_add_edit_delete_with_level_checks(client, district, year):
    login(client, district, Role.FINANCE)
    ev = Evaluation.objects.create(year=year, kind="department", framework="department_table")
    url = f"/performance/evaluations/{ev.pk}/indicators/new/"
    bad = client.post(url, {**INDICATOR, "level2": "社会效益指标"})
    assert bad.status_code == 400 and "二级指标“社会效益指标”不属于一级指标“产出指标”" in bad.content.decode()
    assert "区领导重点约访" in bad.content.decode()  # what the user typed is kept
    assert client.post(url, INDICATOR).status_code == 302
    ind = Indicator.objects.get()
    assert (ind.target, ind.unit, ind.weight, ind.scoring_note) == (
        "20",
        "名",
        Decimal("15"),
        "每少1名扣0.75分",
    )
    page = client.get(f"/performance/evaluations/{ev.pk}/").content.decode()
    assert "≥20名" in page and "&gt;=" not in page
    edit = client.post(f"/performance/indicators/{ind.pk}/", {**INDICATOR, "target": "25", "version": "1"})
    assert edit.status_code == 302
    ind.refresh_from_db()
    assert ind.target == "25" and ind.version == 2
    stale = client.post(f"/performance/indicators/{ind.pk}/delete/", {"version": "1"})
    assert stale.status_code == 409 and Indicator.objects.exists()
    assert client.post(f"/performance/indicators/{ind.pk}/delete/", {"version": "2"}).status_code == 302
    assert not Indicator.objects.exists()


def test_concurrent_edits_do_not_silently_overwrite(client, district, year):
    login(client, district, Role.FINANCE)
    ev = Evaluation.objects.create(year=year, kind="department")
    ind = Indicator.objects.create(evaluation=ev, level1="产出指标", level2="数量指标", level3="约访",
                                   target="20", unit="名", weight=Decimal(15))  # fmt: skip
    url = f"/performance/indicators/{ind.pk}/"
    first = client.post(url, {"actual": "25", "claimed_score": "", "grade": "", "version": "1"})
    second = client.post(url, {"actual": "18", "claimed_score": "", "grade": "", "version": "1"})
    assert first.status_code == 302 and second.status_code == 409
    assert "已被他人修改" in second.content.decode()
    ind.refresh_from_db()
    assert ind.actual == "25"


def test_basic_data_page_saves_staff_income_three_public_and_procurement(client, district, year):
    login(client, district, Role.FINANCE)
    post = {"version": "1", "authorised_headcount": "12", "actual_headcount": "11", "retirees": "3",
            "procurement_planned": "40", "procurement_actual": "38.5", "income_general": "861.45",
            "income_prior_general": "963.23", "tp_budget_reception": "1.2", "tp_final_reception": "0.8",
            "tp_prior_reception": "1.0"}  # fmt: skip
    assert client.post("/performance/years/2025/basic/", post).status_code == 302
    year.refresh_from_db()
    assert (year.authorised_headcount, year.actual_headcount, year.procurement_actual) == (
        12,
        11,
        Decimal("385000.00"),
    )
    income = IncomeRecord.objects.get()
    assert income.amount == Decimal("8614500.00") and income.prior_year_final == Decimal("9632300.00")
    assert ThreePublicExpense.objects.get(item="reception").final == Decimal("8000.00")
    page = client.get("/performance/years/2025/basic/").content.decode()
    assert 'value="861.45"' in page and 'value="38.50"' in page
    stale = client.post("/performance/years/2025/basic/", {**post, "actual_headcount": "10"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    bad = client.post("/performance/years/2025/basic/", {**post, "version": "2", "income_general": "八百"})
    assert (
        bad.status_code == 400 and "一般公共预算财政拨款本年收入“八百”不是有效的数字" in bad.content.decode()
    )


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.LEADER])
def test_auditor_and_leader_read_everything_and_change_nothing(client, district, year, role):
    ev = Evaluation.objects.create(year=year, kind="department")
    ind = Indicator.objects.create(evaluation=ev, level1="产出指标", level2="数量指标", level3="约访",
                                   target="20", unit="名", weight=Decimal(15))  # fmt: skip
    login(client, district, role)
    for url in ("/performance/", "/performance/years/2025/", "/performance/years/2025/basic/",
                f"/performance/evaluations/{ev.pk}/", f"/performance/indicators/{ind.pk}/",
                "/performance/years/2025/monitoring/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "保存</button>" not in response.content.decode()
    assert "预算绩效" in client.get("/performance/").content.decode()  # navigation link
    for url, data in (("/performance/", {"year": "2026"}), (f"/performance/indicators/{ind.pk}/", {"actual": "1"}),
                      ("/performance/years/2025/evaluations/new/", {}),
                      (f"/performance/indicators/{ind.pk}/delete/", {"version": "1"}),
                      ("/performance/years/2025/basic/", {"version": "1"}),
                      (f"/performance/evaluations/{ev.pk}/report/", {})):  # fmt: skip
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/performance/evaluations/{ev.pk}/indicators/new/").status_code == 403
    assert Indicator.objects.get().actual == "" and not FiscalYear.objects.filter(year=2026).exists()


def test_a_bound_statistic_never_overrides_a_typed_actual_the_preparer_adopts_it(
    client, district, year, monkeypatch
):
    from xinfang.performance import bindings

    monkeypatch.setattr(bindings, "actual_for", lambda key, y, unit=None: Decimal("60.00"))
    login(client, district, Role.FINANCE)
    ev = Evaluation.objects.create(year=year, kind="department")
    ind = Indicator.objects.create(evaluation=ev, level1="产出指标", level2="质量指标", level3="按期办结率",
                                   target="90", unit="%", weight=Decimal(90), actual="98",
                                   binding="on_time_conclusion_rate")  # fmt: skip
    page = client.get(f"/performance/indicators/{ind.pk}/").content.decode()
    assert (
        "60.00" in page
        and "98" in page
        and "采用统计值 60.00" in page
        and "on_time_conclusion_rate" not in page
    )
    assert "填报值与统计值不一致" in client.get(f"/performance/evaluations/{ev.pk}/").content.decode()
    assert client.post(f"/performance/indicators/{ind.pk}/adopt/", {"version": "1"}).status_code == 302
    ind.refresh_from_db()
    assert ind.actual == "60.00" and ind.version == 2
    assert client.post(f"/performance/indicators/{ind.pk}/adopt/", {"version": "1"}).status_code == 409
