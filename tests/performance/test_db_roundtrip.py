import json
from decimal import Decimal

import pytest

from xinfang.audit.models import AuditEvent
from xinfang.performance.exchange import parse
from xinfang.performance.models import (
    BudgetAdjustment,
    BudgetLine,
    Evaluation,
    ExecutionEntry,
    FiscalYear,
    Project,
)
from xinfang.performance.results import as_json, run
from xinfang.performance.selectors import to_exchange
from xinfang.performance.services import import_evaluation, save_narrative

from .helpers import FIXTURES

pytestmark = pytest.mark.django_db


def scored(ev) -> dict:
    return as_json(ev, *run(ev))


@pytest.mark.parametrize("name", ["seed_000.json", "seed_001.json", "seed_003.json"])
def test_seed_imported_into_db_scores_like_the_file(name):
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    evaluation = import_evaluation(data)
    from_db, from_file = scored(to_exchange(evaluation)), scored(parse(data))
    for key in ("execution_rate", "execution_score", "total", "grade", "claimed_total", "indicators"):
        assert from_db[key] == from_file[key], key
    assert sorted(f["code"] for f in from_db["findings"]) == sorted(f["code"] for f in from_file["findings"])
    import_evaluation(data)  # re-import replaces, never duplicates
    assert Evaluation.objects.count() == 1
    assert AuditEvent.objects.filter(action="performance.evaluation_import").count() == 2


def test_a_project_evaluation_takes_the_first_free_project_code():
    year = FiscalYear.objects.create(year=2023)
    Project.objects.create(year=year, code="P002", name="信访积案化解")  # e.g. from a budget-line import
    data = json.loads((FIXTURES / "seed_001.json").read_text(encoding="utf-8"))
    evaluation = import_evaluation(data)
    assert evaluation.project.code == "P001" and evaluation.project.name == data["project"]


def test_budget_comes_from_lines_in_yuan_shown_in_wan():
    year = FiscalYear.objects.create(year=2025)
    line = BudgetLine.objects.create(year=year, code="P1", name="信访工作经费", fund_source="general",
                                     nature="personnel", initial_amount=Decimal("4000000"))  # fmt: skip
    BudgetAdjustment.objects.create(line=line, date="2025-05-01", amount=Decimal("1500000"), reason="追加")
    BudgetAdjustment.objects.create(line=line, date="2025-09-01", amount=Decimal("-300000"), reason="调减")
    ExecutionEntry.objects.create(line=line, date="2025-12-20", amount=Decimal("5100000"), voucher_ref="V1")
    ExecutionEntry.objects.create(line=line, date="2026-01-05", amount=Decimal("99"), voucher_ref="V2")
    evaluation = Evaluation.objects.create(year=year)
    ev = to_exchange(evaluation)
    assert (ev.budget.initial, ev.budget.full_year, ev.budget.executed) == (400, 520, 510)
    out = scored(ev)
    assert out["execution_rate"] == "98.08" and out["execution_score"] == "9.81"
    # 年初 400 → 全年 520 is +30% with reasons on every adjustment: explained.
    assert "adjustment_unexplained" not in {f["code"] for f in out["findings"]}


def test_narrative_edits_are_audited_and_limited_to_known_sections():
    evaluation = Evaluation.objects.create(year=FiscalYear.objects.create(year=2025))
    save_narrative(evaluation, {"problems": " 预算执行进度不均衡 ", "evil": "x"})
    evaluation.refresh_from_db()
    assert evaluation.narrative == {"problems": "预算执行进度不均衡"}
    assert AuditEvent.objects.filter(action="performance.narrative").exists()
