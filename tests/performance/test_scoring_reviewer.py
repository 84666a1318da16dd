"""Scoring and findings a reviewer agrees with (issue 15, item 4)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xinfang.performance.exchange import ExchangeError, parse
from xinfang.performance.results import as_json, as_text, run

from .helpers import FIXTURES, evaluation, row
from .test_findings import codes, full_weights, only_codes


def scored(*rows, **top):
    ev = parse(evaluation(*rows, **top))
    result, findings = run(ev)
    return result, {(f.code, f.index): f for f in findings}


def test_qualitative_row_without_grade_takes_its_band_from_the_self_score_and_is_flagged():
    result, found = scored(*full_weights(row(operator="qualitative", target="效果明显", actual="较好", weight=20,
                                             claimed_score="14", deviation_reason="部分街道未覆盖")))  # fmt: skip
    assert (
        result.indicators[0].score == Decimal("14.00") and result.indicators[0].inferred_grade == "部分达成"
    )
    assert "推定为“部分达成”" in found[("qualitative_grade_inferred", 0)].message
    assert found[("qualitative_grade_inferred", 0)].severity == "warning"
    assert ("qualitative_grade_missing", 0) not in found


def test_equals_with_the_actual_above_target_is_met():
    result, found = scored(*full_weights(row(operator="=", target="100", unit="%", actual="101")))
    assert result.indicators[0].met is True and result.indicators[0].score == Decimal("15.00")
    assert ("deduction_without_reason", 0) not in found


def test_ren_and_ming_are_one_unit():
    result, found = scored(*full_weights(row(target="20", unit="名", actual="25人")))
    assert result.indicators[0].score == Decimal("15.00") and ("unit_mismatch", 0) not in found


def test_text_target_with_an_operator_is_not_missing_a_target():
    data = evaluation(*full_weights(row(operator=">=", target="逐步提高", unit="", actual="有所提高")))
    found = codes(data)
    assert ("empty_indicator", 0) not in found and ("text_target", 0) in found
    _, findings = run(parse(data))
    message = next(f.message for f in findings if f.code == "text_target")
    assert "指标值“逐步提高”为文字" in message and "缺少" not in message
    graded = evaluation(*full_weights(row(operator=">=", target="逐步提高", actual="有所提高", grade="达成")))
    result, _ = run(parse(graded))
    assert result.indicators[0].score == Decimal("15.00")


def test_two_different_indicators_sharing_a_stock_target_are_not_duplicates():
    a = row(level1="效益指标", level2="社会效益指标", level3="信访秩序", operator="qualitative",
            target="达成预期指标", actual="达成", grade="达成", weight=8)  # fmt: skip
    b = {**a, "level2": "可持续影响指标", "level3": "长效机制建设", "weight": 7}
    assert "duplicate_indicator" not in only_codes(evaluation(*full_weights(a, b)))


def test_income_equal_to_spending_is_fine_when_the_functional_breakdown_adds_up():
    budget = {"initial": "880", "full_year": "884.53", "executed": "868.86"}
    breakdown = {"label": "支出功能分类", "kind": "expenditure", "total": "868.86",
                 "parts": [{"label": "一般公共服务支出", "amount": "800.00"}, {"label": "社会保障和就业支出", "amount": "68.86"}]}  # fmt: skip
    ok = evaluation(budget=budget, income={"total": "868.86"}, components=[breakdown])
    assert "execution_from_income" not in only_codes(ok)
    short = {**breakdown, "parts": [{"label": "一般公共服务支出", "amount": "800.00"}]}
    assert "execution_from_income" in only_codes(evaluation(budget=budget, income={"total": "868.86"},
                                                            components=[short]))  # fmt: skip


def test_a_file_without_indicator_tables_prints_no_total_or_grade():
    ev = parse(__import__("json").loads((FIXTURES / "seed_000.json").read_text(encoding="utf-8")))
    result, findings = run(ev)
    assert result.total is None and result.grade is None
    out = as_json(ev, result, findings)
    assert out["total"] is None and out["grade"] is None
    text = as_text(ev, result, findings)
    assert "不计总分和等级" in text and "总分 9.82" not in text
    seed_003 = parse(__import__("json").loads((FIXTURES / "seed_003.json").read_text(encoding="utf-8")))
    assert run(seed_003)[0].total is None  # 7 rows without weights: not "9.88 差"


def test_unknown_framework_key_is_a_chinese_error(tmp_path):
    with pytest.raises(ExchangeError) as exc:
        parse(evaluation(framework="guangdong_2099"))
    assert exc.value.field == "framework" and "未知的评分框架“guangdong_2099”" in exc.value.message
    path = tmp_path / "bad.json"
    path.write_text(__import__("json").dumps(evaluation(framework="x")), encoding="utf-8")
    with pytest.raises(CommandError) as cmd:
        call_command("perf_evaluate", str(path), stdout=StringIO())
    assert "未知的评分框架“x”" in str(cmd.value)
