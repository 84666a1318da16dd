"""Scoring (domain/performance.md §4) over the plain exchange dataclasses; no database needed.

Execution: rate = executed / full_year; score = min(rate, 1) × w_exec, rounded to 2 dp half-up.
Quantitative rows (§4.1 b): positive (≥, >, and = with a non-zero target) → w when met, else actual/target × w;
reverse (≤, <) → w when met, (1 − (actual − target)/target) × w below 2 × target, else 0; = 0 → w iff actual ≤ 0.
Qualitative rows (§4.1 c): the claimed score when it lies in the grade's band, else the band edge; with no
claimed score, 达成 → w and the lower bands → their floor. A qualitative row with no grade but a self-score
takes the band the self-score lies in (``inferred_grade``; the checker flags it). A text target under a
comparison operator ("≥ 逐步提高") is scored as qualitative. ``=`` with a non-zero target is positive: an actual
above the target is met. 人 and 名 (and 位) are one unit. Rows that cannot be scored (no weight, no target or
actual, units that differ, a qualitative row with neither grade nor self-score) get ``score = None`` and count
0 in the total; the findings checker says why. With no indicator row scored there is no total and no grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .exchange import Indicator, SelfEvaluation
from .frameworks import QUALITATIVE_BANDS, Framework, framework_for, grade_for
from .money import CENT, parse_quantity, percent, q2

ZERO = Decimal(0)


@dataclass
class IndicatorScore:
    index: int
    score: Decimal | None
    met: bool | None = None  # actual reaches the target (None: not comparable)
    target_value: Decimal | None = None
    actual_value: Decimal | None = None
    actual_unit: str | None = None
    problem: str = ""  # why score is None: "empty", "unit", "actual", "grade"
    inferred_grade: str | None = None  # qualitative band taken from the self-score (no grade chosen)
    text_target: bool = False  # a text target under a comparison operator, scored as qualitative


@dataclass
class Result:
    execution_rate: Decimal | None  # percent, unrounded
    execution_score: Decimal | None
    indicators: list[IndicatorScore] = field(default_factory=list)
    total: Decimal | None = None
    grade: str | None = None
    claimed_total: Decimal | None = None
    claimed_grade: str | None = None
    framework: Framework | None = None

    @property
    def execution_rate_2dp(self) -> Decimal | None:
        return q2(self.execution_rate)


def execution_score(rate_percent: Decimal | None, weight: Decimal) -> Decimal | None:
    if rate_percent is None:
        return None
    return q2(min(rate_percent / 100, Decimal(1)) * weight)


def quantitative_score(operator: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """§4.1(b) with the score clamped into [0, w] and rounded to 2 dp."""
    if target == 0:
        ok = actual >= 0 if operator in (">=", ">") else actual <= 0
        return q2(weight if ok else ZERO)
    if operator in ("<=", "<"):
        if actual <= target:
            raw = weight
        elif actual >= 2 * target:
            raw = ZERO
        else:
            raw = (1 - (actual - target) / target) * weight
    else:  # ">=", ">", "=" with a non-zero target: positive
        raw = weight if actual >= target else actual / target * weight
    return q2(max(ZERO, min(raw, weight)))


def is_met(operator: str, target: Decimal, actual: Decimal) -> bool:
    return {
        ">=": actual >= target,
        ">": actual > target,
        "<=": actual <= target,
        "<": actual < target,
        "=": actual >= target if target else actual <= 0,  # scored as positive (§4.1 b): above is met
    }[operator]


UNIT_ALIASES = {"人": "名", "位": "名", "人数": "名", "％": "%"}


def same_unit(a: str, b: str) -> bool:
    return UNIT_ALIASES.get(a, a) == UNIT_ALIASES.get(b, b)


def band_of(weight: Decimal, score: Decimal) -> str | None:
    for grade in QUALITATIVE_BANDS:
        if in_band(grade, weight, score):
            return grade
    return None


def qualitative_score(grade: str, weight: Decimal, claimed: Decimal | None) -> Decimal:
    low, high, inclusive = QUALITATIVE_BANDS[grade]
    floor, ceiling = q2(low * weight), q2(high * weight)
    if claimed is None:
        return q2(weight) if grade == "达成" else floor
    if claimed < floor:
        return floor
    top = ceiling if inclusive else ceiling - CENT
    return min(q2(claimed), top)


def in_band(grade: str, weight: Decimal, score: Decimal) -> bool:
    low, high, inclusive = QUALITATIVE_BANDS[grade]
    upper_ok = score <= high * weight if inclusive else score < high * weight
    return low * weight <= score and upper_ok


def actual_of(ind: Indicator) -> tuple[Decimal, str] | None:
    parsed = parse_quantity(ind.actual)
    if parsed is None:
        return None
    value, suffix = parsed
    return value, (ind.actual_unit if ind.actual_unit is not None else (suffix or ind.unit))


def _qualitative(index: int, ind: Indicator, text_target: bool = False) -> IndicatorScore:
    grade, inferred = ind.grade, None
    if grade not in QUALITATIVE_BANDS:
        claimed = ind.claimed_score
        if claimed is None or claimed < 0 or claimed > ind.weight:
            return IndicatorScore(index, None, problem="grade", text_target=text_target)
        grade = inferred = band_of(ind.weight, claimed)
    score = qualitative_score(grade, ind.weight, ind.claimed_score)
    return IndicatorScore(index, score, grade == "达成", inferred_grade=inferred, text_target=text_target)


def score_indicator(index: int, ind: Indicator) -> IndicatorScore:
    if ind.weight is None or not ind.level3 or ind.target is None:
        return IndicatorScore(index, None, problem="empty")
    if ind.is_qualitative:
        return _qualitative(index, ind)
    target, actual = parse_quantity(ind.target), actual_of(ind)
    if target is None:
        return _qualitative(index, ind, text_target=True)
    if actual is None:
        return IndicatorScore(index, None, problem="actual")
    target_value, target_suffix = target
    unit = ind.unit or target_suffix
    actual_value, actual_unit = actual
    if actual_unit and unit and not same_unit(actual_unit, unit):
        return IndicatorScore(index, None, None, target_value, actual_value, actual_unit, "unit")
    score = quantitative_score(ind.operator, target_value, actual_value, ind.weight)
    if ind.deduction:
        score = q2(max(ZERO, score - ind.deduction))
    met = is_met(ind.operator, target_value, actual_value)
    return IndicatorScore(index, score, met, target_value, actual_value, actual_unit)


def evaluate(ev: SelfEvaluation) -> Result:
    fw = framework_for(ev.kind, ev.framework)
    rate = percent(ev.budget.executed, ev.budget.full_year)
    exec_score = execution_score(rate, ev.execution_weight)
    scores = [score_indicator(i, ind) for i, ind in enumerate(ev.indicators)]
    total = None
    # No indicator table (seed 000), or one where no row can be scored (seed 003: no weights), has no total and
    # no grade: the execution row alone is not a self-evaluation score.
    if any(s.score is not None for s in scores):
        total = q2((exec_score or ZERO) + sum((s.score for s in scores if s.score is not None), ZERO))
    claims = [ind.claimed_score for ind in ev.indicators if ind.claimed_score is not None]
    claimed_total = None
    if claims or ev.claimed_execution_score is not None:
        claimed_total = q2((ev.claimed_execution_score or ZERO) + sum(claims, ZERO))
    return Result(
        execution_rate=rate,
        execution_score=exec_score,
        indicators=scores,
        total=total,
        grade=grade_for(total),
        claimed_total=claimed_total,
        claimed_grade=grade_for(claimed_total),
        framework=fw,
    )
