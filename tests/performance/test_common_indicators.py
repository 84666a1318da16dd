"""共性指标 from the ledgers, and the 产出/效益/满意度 weight split against the framework."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from xinfang.orgs.roles import Role
from xinfang.performance import ledgers
from xinfang.performance.exchange import parse
from xinfang.performance.models import (
    BudgetAdjustment,
    BudgetLine,
    Evaluation,
    ExecutionEntry,
    FiscalYear,
    ThreePublicExpense,
)
from xinfang.performance.money import s2
from xinfang.performance.results import run

from .helpers import FIXTURES, evaluation, row


@pytest.mark.django_db
def test_common_indicators_are_computed_from_the_ledgers(client, district):
    fy = FiscalYear.objects.create(year=2025, procurement_planned=Decimal("400000"),
                                   procurement_actual=Decimal("385000"))  # fmt: skip
    a = BudgetLine.objects.create(year=fy, code="A", name="工资", fund_source="general", nature="personnel",
                                  initial_amount=Decimal("4000000"))  # fmt: skip
    b = BudgetLine.objects.create(year=fy, code="B", name="办公费", fund_source="general", nature="public",
                                  initial_amount=Decimal("500000"), carry_in=Decimal("100000"))  # fmt: skip
    BudgetAdjustment.objects.create(line=b, date=date(2025, 8, 1), amount=Decimal("-50000"), reason="压减")
    ExecutionEntry.objects.create(line=a, date=date(2025, 12, 1), amount=Decimal("3900000"), voucher_ref="1")
    ExecutionEntry.objects.create(line=b, date=date(2025, 12, 1), amount=Decimal("420000"), voucher_ref="2")
    ThreePublicExpense.objects.create(
        year=fy, item="reception", budget=Decimal("12000"), final=Decimal("9000")
    )
    ev = Evaluation.objects.create(year=fy)
    common = {c.name: s2(c.rate) for c in ledgers.read(ev).common}
    assert common["预算执行率"] == s2(Decimal(432) * 100 / Decimal(445))
    assert common["预算调整率"] == s2(Decimal(-5) * 100 / Decimal(450))
    assert common["结转结余率"] == s2(Decimal(455 - 432) * 100 / Decimal(455))
    assert common["公用经费控制率"] == "93.33" and common["三公经费控制率"] == "75.00"
    assert common["政府采购执行率"] == "96.25"
    client.force_login(make_user(Role.FINANCE, district.bureau))
    page = client.get(f"/performance/evaluations/{ev.pk}/").content.decode()
    assert "共性指标" in page and "96.25%" in page


def test_branch_weights_are_checked_against_the_framework():
    project = dict(kind="project", project="信访工作经费")
    ok = evaluation(row(weight=50), row(level1="效益指标", level2="社会效益指标", level3="稳定", weight=30),
                    row(level1="满意度指标", level2="服务对象满意度指标", level3="满意率", weight=10), **project)  # fmt: skip
    _, findings = run(parse(ok))
    assert "branch_weight_mismatch" not in {f.code for f in findings}
    bad = evaluation(row(weight=60), row(level1="效益指标", level2="社会效益指标", level3="稳定", weight=20),
                     row(level1="满意度指标", level2="服务对象满意度指标", level3="满意率", weight=10), **project)  # fmt: skip
    messages = [f.message for f in run(parse(bad))[1] if f.code == "branch_weight_mismatch"]
    assert "产出指标分值合计 60.00，项目支出绩效自评（财预〔2020〕10号口径）规定为 50.00" in messages
    assert len(messages) == 2
    seed = parse(__import__("json").loads((FIXTURES / "seed_001.json").read_text(encoding="utf-8")))
    assert "branch_weight_mismatch" not in {f.code for f in run(seed)[1]}  # 50/30/10 as assumed
