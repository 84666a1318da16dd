"""Import of 绩效目标 and 基础数据 from .xlsx: all-or-nothing with Chinese row errors."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance.importers import COLUMNS, ImportRejected, import_xlsx
from xinfang.performance.models import (
    Evaluation,
    FiscalYear,
    IncomeRecord,
    Indicator,
    Project,
    ThreePublicExpense,
)

pytestmark = pytest.mark.django_db


def xlsx(kind, rows) -> bytes:
    wb = Workbook()
    wb.active.append(COLUMNS[kind])
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def year():
    fy = FiscalYear.objects.create(year=2025)
    Project.objects.create(year=fy, code="P001", name="信访工作经费")
    return fy


TARGETS = [
    [None, "产出指标", "数量指标", "区领导重点约访", "≥", "20", "名", 15, "每少1名扣0.75分", ""],
    [None, "满意度指标", "服务对象满意度指标", "群众满意率", ">=", "90", "%", 10, "", ""],
    ["P001", "效益指标", "社会效益指标", "信访秩序总体平稳", "定性", "全区信访形势总体平稳", "", 30, "", ""],
]  # fmt: skip


def test_targets_import_creates_evaluations_and_indicators(year):
    outcome = import_xlsx("targets", year, xlsx("targets", TARGETS))
    assert outcome.created == 3
    dept = Evaluation.objects.get(project=None)
    assert list(
        dept.indicators.values_list("level3", "operator", "target", "unit", "weight", "scoring_note")
    ) == [
        ("区领导重点约访", ">=", "20", "名", Decimal("15.00"), "每少1名扣0.75分"),
        ("群众满意率", ">=", "90", "%", Decimal("10.00"), ""),
    ]
    assert Evaluation.objects.get(project__code="P001").indicators.get().operator == "qualitative"


def test_reimported_target_updates_definition_keeps_results_and_bumps_version(year):
    import_xlsx("targets", year, xlsx("targets", TARGETS[:1]))
    ind = Indicator.objects.get()
    Indicator.objects.filter(pk=ind.pk).update(actual="25")
    changed = [[*TARGETS[0][:5], "22", *TARGETS[0][6:]]]
    outcome = import_xlsx("targets", year, xlsx("targets", changed))
    ind.refresh_from_db()
    assert (outcome.updated, ind.target, ind.actual, ind.version) == (1, "22", "25", 2)
    assert outcome.changes == ["第2行：指标“区领导重点约访”指标值 20 → 22"]


def test_bad_target_rows_reject_the_whole_file_in_chinese(year):
    rows = TARGETS + [
        [None, "产出指标", "社会效益指标", "甲", "≥", "1", "", 5, "", ""],
        ["P009", "产出指标", "数量指标", "乙", "约等于", "1", "", "五", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_xlsx("targets", year, xlsx("targets", rows))
    assert exc.value.errors == [
        "第5行：二级指标“社会效益指标”不属于一级指标“产出指标”",
        "第6行：项目编码“P009”在2025年度不存在，请先导入预算指标",
        "第6行：运算符“约等于”无效，可选：≥、≤、=、＞、＜、定性",
        "第6行：“分值”的值“五”不是有效数字（0–100，最多两位小数）",
    ]
    assert not Indicator.objects.exists() and not Evaluation.objects.exists()


def test_basic_data_import(year):
    rows = [["收入", "一般公共预算财政拨款", None, "8614500", "9632300"],
            ["三公经费", "公务接待费", "12000", "8000", "10000"],
            ["人员", "编制数", None, 12, None], ["人员", "实际在职人数", None, 11, None],
            ["政府采购", "政府采购实际", None, "385000", None]]  # fmt: skip
    import_xlsx("basic_data", year, xlsx("basic_data", rows))
    year.refresh_from_db()
    assert IncomeRecord.objects.get().prior_year_final == Decimal("9632300")
    assert ThreePublicExpense.objects.get().final == Decimal("8000")
    assert (year.authorised_headcount, year.actual_headcount, year.procurement_actual, year.version) == (
        12, 11, Decimal("385000"), 2)  # fmt: skip
    with pytest.raises(ImportRejected) as exc:
        import_xlsx(
            "basic_data",
            year,
            xlsx("basic_data", [["收入", "彩票", None, "1", None], ["人员", "编制数", None, 1.5, None]]),
        )
    assert (
        exc.value.errors[0].startswith("第2行：收入的项目“彩票”无效，可选：一般公共预算财政拨款")
        and exc.value.errors[1] == "第3行：人数应为整数"
    )


def test_import_page_offers_targets_and_basic_data(client, district, year):
    client.force_login(make_user(Role.FINANCE, district.bureau))
    page = client.get("/performance/years/2025/").content.decode()
    assert "导入绩效目标" in page and "导入基础数据" in page
    upload = io.BytesIO(xlsx("targets", TARGETS))
    upload.name = "targets.xlsx"
    response = client.post("/performance/years/2025/import/targets/", {"file": upload})
    assert response.status_code == 200 and "新增 3 条" in response.content.decode()
