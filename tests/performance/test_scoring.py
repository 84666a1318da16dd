from decimal import Decimal as D

import pytest

from xinfang.performance.exchange import parse
from xinfang.performance.frameworks import grade_for
from xinfang.performance.scoring import evaluate, execution_score, qualitative_score, quantitative_score

from .helpers import evaluation, row


@pytest.mark.parametrize(
    "operator,target,actual,weight,expected",
    [
        (">=", "20", "15", "20", "15.00"),  # §4.1(b) worked example: 15/20 × 20
        (">=", "20", "25", "15", "15.00"),  # met → full weight, never more
        (">", "20", "20", "10", "10.00"),
        ("<=", "30", "36", "10", "8.00"),  # reverse: (1 − 6/30) × 10
        ("<=", "30", "60", "10", "0.00"),  # at 2 × target → 0
        ("<=", "30", "75", "10", "0.00"),
        ("<", "30", "12", "10", "10.00"),
        ("=", "0", "0", "5", "5.00"),  # equal, target 0: full iff actual ≤ 0
        ("=", "0", "1", "5", "0.00"),
        ("=", "100", "98", "10", "9.80"),  # equal, non-zero target: positive rule
        (">=", "3", "2", "10", "6.67"),  # 6.666… rounds half-up
        (">=", "8", "1", "1", "0.13"),  # 0.125 → 0.13 (half-up, not banker's)
        (">=", "90", "-5", "10", "0.00"),  # clamped at 0
    ],
)
def test_quantitative_rules(operator, target, actual, weight, expected):
    assert str(quantitative_score(operator, D(target), D(actual), D(weight))) == expected


@pytest.mark.parametrize(
    "grade,claimed,expected",
    [
        ("达成", None, "20.00"),
        ("达成", D(17), "17.00"),
        ("达成", D(15), "16.00"),  # below the 80% floor → raised to the band floor
        ("部分达成", D(14), "14.00"),
        ("部分达成", D(16), "15.99"),  # band is [12, 16): 16 is outside
        ("部分达成", None, "12.00"),
        ("未达成", D(3), "3.00"),
        ("未达成", D(12), "11.99"),
        ("未达成", None, "0.00"),
    ],
)
def test_qualitative_bands(grade, claimed, expected):
    assert str(qualitative_score(grade, D(20), claimed)) == expected


def test_execution_score_uses_unrounded_rate_and_caps_at_weight():
    assert execution_score(D("59.33") * 100 / D(60), D(10)) == D("9.89")
    assert execution_score(D("104.5"), D(10)) == D("10.00")


@pytest.mark.parametrize("total,grade", [("89.99", "良"), ("90.00", "优"), ("80", "良"), ("79.99", "中"),
                                         ("60", "中"), ("59.99", "差"), ("100", "优")])  # fmt: skip
def test_grade_boundaries(total, grade):
    assert grade_for(D(total)) == grade


def test_worked_example_total_86_89_is_liang():
    # domain/performance.md §4.1(e): 9.89 + 15 + 15 + 15 + 14 + 8 + 10 = 86.89 → 良
    data = evaluation(
        row(level3="数量", target="20", actual="15", weight=20, deviation_reason="未完成"),
        row(level2="质量指标", level3="质量", operator="qualitative", target="达标", actual="达标",
            grade="达成", weight=15),
        row(level2="时效指标", level3="时效", operator="qualitative", target="及时", actual="及时",
            grade="达成", weight=15),
        row(level1="效益指标", level2="社会效益指标", level3="社会", operator="qualitative", target="明显",
            actual="一般", grade="部分达成", weight=20, claimed_score="14", deviation_reason="x"),
        row(level1="效益指标", level2="可持续影响指标", level3="时长", operator="<=", target="30",
            unit="天", actual="36", weight=10, deviation_reason="x"),
        row(level1="满意度指标", level2="服务对象满意度指标", level3="满意度", target="90", unit="%",
            actual="95", weight=10),
        budget={"initial": "60", "full_year": "60", "executed": "59.33"},
    )  # fmt: skip
    result = evaluate(parse(data))
    assert [s.score for s in result.indicators] == [D("15.00"), 15, 15, D("14.00"), D("8.00"), 10]
    assert result.total == D("86.89") and result.grade == "良"


def test_claimed_total_is_claimed_execution_plus_claimed_indicators_and_null_without_claims():
    plain = evaluate(parse(evaluation(row())))
    assert plain.claimed_total is None and plain.claimed_grade is None
    claimed = evaluate(parse(evaluation(row(claimed_score="15"), claimed_execution_score="9.90")))
    assert claimed.claimed_total == D("24.90") and claimed.claimed_grade == "差"


def test_unit_mismatch_row_is_not_scored_and_counts_zero():
    result = evaluate(
        parse(
            evaluation(row(target="75", unit="%", actual="14.23分", weight=10), row(level3="乙", weight=15))
        )
    )
    assert result.indicators[0].score is None and result.indicators[0].problem == "unit"
    assert result.total == result.execution_score + 15
    alone = evaluate(parse(evaluation(row(target="75", unit="%", actual="14.23分", weight=10))))
    assert alone.total is None and alone.grade is None  # nothing scored: no total


def test_over_achievement_deduction_is_taken_off():
    result = evaluate(parse(evaluation(row(actual="40", deduction="2", deviation_reason="指标值偏低"))))
    assert result.indicators[0].score == D("13.00")
