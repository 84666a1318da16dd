import pytest

from xinfang.performance.exchange import parse
from xinfang.performance.results import run

from .helpers import evaluation, row


def codes(data) -> list[tuple[str, int | None]]:
    _, findings = run(parse(data))
    return [(f.code, f.index) for f in findings]


def only_codes(data) -> set[str]:
    return {code for code, _ in codes(data)}


def full_weights(*rows):
    """Pad with a filler row so that weights sum to 90 (no weight_sum_mismatch noise)."""
    used = sum(r["weight"] for r in rows)
    filler = row(level2="质量指标", level3="填充", actual="20", weight=90 - used)
    return (*rows, filler)


def test_clean_evaluation_has_no_findings():
    assert codes(evaluation(*full_weights(row(claimed_score="15")), claimed_execution_score="9.90")) == []


@pytest.mark.parametrize(
    "bad",
    [
        row(level3=""),
        row(target=None),
        row(weight=None),
        row(operator="qualitative", target="", grade="达成"),
    ],
)
def test_empty_indicator_is_kept_and_reported(bad):
    data = evaluation(*full_weights(row(level3="甲")), bad)
    assert ("empty_indicator", 2) in codes(data)
    assert len(parse(data).indicators) == 3


def test_deduction_without_reason_on_claimed_score_below_weight():
    assert ("deduction_without_reason", 0) in codes(evaluation(*full_weights(row(claimed_score="13"))))
    explained = row(claimed_score="13", deviation_reason="约访对象临时变更")
    assert "deduction_without_reason" not in only_codes(evaluation(*full_weights(explained)))


def test_actual_below_target_needs_a_reason():
    assert ("deduction_without_reason", 0) in codes(evaluation(*full_weights(row(actual="18"))))


def test_unit_mismatch_between_target_and_actual():
    data = evaluation(*full_weights(row(target="75", unit="%", actual="14.23分（满分15分）", weight=10)))
    assert ("unit_mismatch", 0) in codes(data)
    by_key = evaluation(
        *full_weights(row(target="75", unit="%", actual="14.23", actual_unit="分", weight=10))
    )
    assert ("unit_mismatch", 0) in codes(by_key)


def test_qualitative_target_with_percentage_actual_is_a_nature_mismatch():
    data = evaluation(
        *full_weights(row(operator="qualitative", target="社会大局和谐稳定", actual="100%", grade="达成"))
    )
    assert ("nature_mismatch", 0) in codes(data)


def test_quantitative_with_text_actual_and_qualitative_without_grade():
    assert ("nature_mismatch", 0) in codes(evaluation(*full_weights(row(actual="基本完成"))))
    no_grade = row(operator="qualitative", target="效果明显", actual="效果明显")
    assert ("qualitative_grade_missing", 0) in codes(evaluation(*full_weights(no_grade)))


def test_claimed_score_checks():
    assert ("score_exceeds_weight", 0) in codes(evaluation(*full_weights(row(claimed_score="16"))))
    assert ("score_mismatch", 0) in codes(evaluation(*full_weights(row(actual="15", claimed_score="14",
                                                                       deviation_reason="x"))))  # fmt: skip
    band = row(operator="qualitative", target="效果明显", actual="一般", grade="部分达成", claimed_score="14",
               deviation_reason="x")  # fmt: skip
    assert ("score_out_of_band", 0) in codes(evaluation(*full_weights(band)))
    assert "score_out_of_band" not in only_codes(evaluation(*full_weights({**band, "claimed_score": "10"})))


def test_over_achievement_at_130_percent_needs_reason():
    assert ("over_achievement_unexplained", 0) in codes(evaluation(*full_weights(row(actual="26"))))
    assert "over_achievement_unexplained" not in only_codes(evaluation(*full_weights(row(actual="25"))))


def test_duplicate_indicator_under_two_level2():
    a = row(level1="效益指标", level2="社会效益指标", level3="维护社会和谐稳定", operator="qualitative",
            target="我区社会大局和谐稳定", actual="稳定", grade="达成", weight=8)  # fmt: skip
    b = {**a, "level2": "经济效益指标", "level3": "社会大局", "weight": 7}
    assert ("duplicate_indicator", 1) in codes(evaluation(*full_weights(a, b)))


def test_weights_must_add_to_100_with_execution():
    assert "weight_sum_mismatch" in only_codes(evaluation(row()))
    assert "weight_sum_mismatch" not in only_codes(evaluation(*full_weights(row())))


def test_sum_mismatch_for_components_shares_and_adjustments():
    comp = {
        "label": "本年收入",
        "total": "100",
        "parts": [{"label": "a", "amount": "60"}, {"label": "b", "amount": "39.98"}],
    }
    assert "sum_mismatch" in only_codes(evaluation(components=[comp]))
    comp["parts"][1]["amount"] = "39.99"  # within ±0.01 万元
    assert "sum_mismatch" not in only_codes(evaluation(components=[comp]))
    shares = {"shares": [{"label": "人员", "percent": "64.22"}, {"label": "公用", "percent": "35.77"}]}
    assert "sum_mismatch" not in only_codes(evaluation(expense_shares=shares))
    shares["shares"][1]["percent"] = "35.27"
    assert "sum_mismatch" in only_codes(evaluation(expense_shares=shares))
    budget = {"initial": "300", "full_year": "320", "executed": "316.8",
              "adjustments": [{"date": "2025-06-01", "amount": "10", "reason": "追加"}]}  # fmt: skip
    assert "sum_mismatch" in only_codes(evaluation(budget=budget))


def test_large_adjustment_needs_reason():
    budget = {"initial": "400", "full_year": "520", "executed": "510"}
    assert "adjustment_unexplained" in only_codes(evaluation(budget=budget))
    budget["adjustments"] = [{"date": "2025-05-01", "amount": "150", "reason": "追加维稳经费"},
                             {"date": "2025-09-01", "amount": "-30", "reason": "调减会议费"}]  # fmt: skip
    assert "adjustment_unexplained" not in only_codes(evaluation(budget=budget))


def test_printed_rate_recomputed_to_two_places():
    rate = {"label": "预算完成率", "printed": "99", "numerator": "741.64", "denominator": "750.28"}
    assert "rate_mismatch" in only_codes(evaluation(printed_rates=[rate]))
    assert "rate_mismatch" not in only_codes(evaluation(printed_rates=[{**rate, "printed": "98.85"}]))


def test_execution_taken_from_income():
    budget = {"initial": None, "full_year": "884.53", "executed": "868.86"}
    assert "execution_from_income" in only_codes(evaluation(budget=budget, income={"total": "868.86"}))
    assert "execution_from_income" not in only_codes(evaluation(budget=budget, income={"total": "870"}))


def test_money_unit_suspects():
    comp = {"label": "项目支出", "total": "45.0045", "parts": [{"label": "业务经费", "amount": "45"},
                                                           {"label": "印刷费", "amount": "45", "unit": "元"}]}  # fmt: skip
    found = codes(evaluation(components=[comp]))
    assert ("money_unit_suspect", None) in found and "sum_mismatch" not in {c for c, _ in found}
    assert "money_unit_suspect" in only_codes(evaluation(money_unit="元", budget={"initial": "300", "full_year": "320",
                                                                              "executed": "316.8"}))  # fmt: skip
    mixed = {"initial": "3000000", "full_year": "320", "executed": "316.8"}
    assert "money_unit_suspect" in only_codes(evaluation(budget=mixed))
    assert "money_unit_suspect" not in only_codes(evaluation())


def test_low_execution_needs_explanation():
    budget = {"initial": "100", "full_year": "100", "executed": "85"}
    assert "low_execution_unexplained" in only_codes(evaluation(budget=budget))
    assert "low_execution_unexplained" not in only_codes(
        evaluation(budget=budget, execution_explanation="项目延期")
    )


def test_printed_total_and_grade_checks():
    rows = full_weights(row(claimed_score="15"))
    assert "grade_missing" in only_codes(evaluation(*rows, printed_total="98", printed_grade=None))
    assert "grade_missing" not in only_codes(evaluation(*rows))  # the file states nothing printed
    assert "grade_mismatch" in only_codes(evaluation(*rows, printed_total="89.99", printed_grade="优"))
    assert "grade_mismatch" not in only_codes(evaluation(*rows, printed_total="90", printed_grade="优秀"))
    assert "total_mismatch" in only_codes(evaluation(*rows, claimed_execution_score="9.9", printed_total="99.50",
                                                     printed_grade="优"))  # fmt: skip
    assert "total_over_100" in only_codes(evaluation(*rows, claimed_execution_score="10.5",
                                                     indicators=[row(claimed_score="95", weight=90)]))  # fmt: skip
    assert "score_unverifiable" in only_codes(evaluation(printed_total="98.82", printed_grade="优"))


def test_table_year_must_match_report_year():
    labels = [{"label": "部门整体支出绩效自评表", "year": 2025}, {"label": "基础数据表", "year": 2021}]
    found = [f for f in run(parse(evaluation(table_years=labels)))[1] if f.code == "year_mismatch"]
    assert len(found) == 1 and "基础数据表" in found[0].message
