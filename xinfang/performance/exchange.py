"""The self-evaluation exchange format ``xinfang.self-evaluation/1`` (design.md §6) as plain dataclasses.

Core keys follow design.md §6 exactly. Optional extension keys (all may be absent; unknown keys are kept in
``extra`` and never break an import):

* top level ``framework``: a key of ``frameworks.FRAMEWORKS`` (default by ``kind``).
* ``budget.adjustments``: ``[{"date", "amount", "reason"}]`` (追加 positive, 调减 negative), checked against
  initial → full_year (§6 check 11).
* ``income``: ``{"total", "current_year"}`` 总收入 / 本年收入, to catch 执行数 taken from income (check 3).
* ``components``: ``[{"label", "total", "parts": [{"label", "amount", "unit"?}]}]`` printed sums (check 1);
  a part's own ``unit`` of 元 inside a 万元 report is a money-unit suspect (check 10).
* ``expense_shares``: ``{"label", "shares": [{"label", "percent"}]}`` shares that must sum to 100 (check 2).
* ``printed_rates``: ``[{"label", "printed", "numerator", "denominator"}]`` rates printed in the text (check 4).
* ``printed_total`` / ``printed_grade``: the 自评分 and 等级 printed in the report, null when absent (check 9).
* ``table_years``: ``[{"label", "year"}]`` years printed on table rows, which must equal ``year`` (check 12).
* ``execution_explanation``: why the execution rate is below the framework's floor.
* per indicator: ``grade`` (达成/部分达成/未达成), ``actual_unit`` (else read from the actual's suffix),
  ``deduction`` (evaluator's over-achievement deduction), ``binding`` (statistic key, e.g.
  ``on_time_conclusion_rate``), ``definition``, ``data_source``, ``note``.
* top-level ``notes``: free text (e.g. which figures of a seed were assumed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xinfang.core.text import clean_text

from .frameworks import FRAMEWORKS, GRADE_ALIASES
from .money import MONEY_UNITS, to_decimal

FORMAT = "xinfang.self-evaluation/1"
KINDS = ("department", "project")
OPERATORS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", "=": "=", ">": ">", "<": "<", "＞": ">", "＜": "<"}
OPERATORS["qualitative"] = OPERATORS["定性"] = "qualitative"
TOP_KEYS = {
    "format", "organisation", "year", "kind", "project", "money_unit", "budget", "execution_weight",
    "claimed_execution_score", "indicators", "framework", "income", "components", "expense_shares",
    "printed_rates", "printed_total", "printed_grade", "execution_explanation", "notes", "table_years",
}  # fmt: skip


class ExchangeError(ValueError):
    """Bad input: ``field`` names the offending key (e.g. ``indicators[2].weight``), message is Chinese."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}：{message}")
        self.field = field_name
        self.message = message


@dataclass
class Indicator:
    level1: str = ""
    level2: str = ""
    level3: str = ""
    operator: str = ">="
    target: str | None = None
    unit: str = ""
    actual: str | None = None
    weight: Decimal | None = None
    claimed_score: Decimal | None = None
    deviation_reason: str = ""
    grade: str | None = None
    actual_unit: str | None = None
    deduction: Decimal | None = None
    binding: str = ""
    bound_actual: str | None = None  # the bound statistic's value (read from the database, never exchanged)
    definition: str = ""
    data_source: str = ""
    note: str = ""

    @property
    def is_qualitative(self) -> bool:
        return self.operator == "qualitative"


@dataclass
class Adjustment:
    date: str
    amount: Decimal
    reason: str = ""


@dataclass
class Budget:
    initial: Decimal | None = None
    full_year: Decimal | None = None
    executed: Decimal | None = None
    adjustments: list[Adjustment] = field(default_factory=list)


@dataclass
class SelfEvaluation:
    organisation: str
    year: int
    kind: str = "department"
    project: str | None = None
    money_unit: str = "万元"
    budget: Budget = field(default_factory=Budget)
    execution_weight: Decimal = Decimal(10)
    claimed_execution_score: Decimal | None = None
    indicators: list[Indicator] = field(default_factory=list)
    framework: str | None = None
    income: dict = field(default_factory=dict)
    components: list[dict] = field(default_factory=list)
    expense_shares: dict | None = None
    printed_rates: list[dict] = field(default_factory=list)
    table_years: list[dict] = field(default_factory=list)
    printed_total: Decimal | None = None
    printed_grade: str | None = None
    execution_explanation: str = ""
    notes: str = ""
    printed_keys_present: bool = False  # the file states printed_total / printed_grade (even as null)
    extra: dict = field(default_factory=dict)


def _dec(data: dict, key: str, where: str) -> Decimal | None:
    try:
        return to_decimal(data.get(key))
    except ValueError:
        raise ExchangeError(f"{where}{key}", f"“{data.get(key)}”不是有效的数字") from None


def _text(value) -> str | None:
    return None if value is None else clean_text(str(value))


def _parse_indicator(raw, i: int) -> Indicator:
    where = f"indicators[{i}]."
    if not isinstance(raw, dict):
        raise ExchangeError(f"indicators[{i}]", "每项指标必须是一个对象")
    operator = OPERATORS.get(str(raw.get("operator") or ">=").strip())
    if operator is None:
        raise ExchangeError(
            f"{where}operator", f"不支持的运算符“{raw.get('operator')}”（可用 >=、<=、=、>、<、qualitative）"
        )
    grade = _text(raw.get("grade")) or None
    grade = GRADE_ALIASES.get(grade, grade)
    return Indicator(
        level1=_text(raw.get("level1")) or "",
        level2=_text(raw.get("level2")) or "",
        level3=_text(raw.get("level3")) or "",
        operator=operator,
        target=_text(raw.get("target")) or None,
        unit=_text(raw.get("unit")) or "",
        actual=_text(raw.get("actual")) or None,
        weight=_dec(raw, "weight", where),
        claimed_score=_dec(raw, "claimed_score", where),
        deviation_reason=_text(raw.get("deviation_reason")) or "",
        grade=grade,
        actual_unit=_text(raw.get("actual_unit")),
        deduction=_dec(raw, "deduction", where),
        binding=_text(raw.get("binding")) or "",
        definition=_text(raw.get("definition")) or "",
        data_source=_text(raw.get("data_source")) or "",
        note=_text(raw.get("note")) or "",
    )


def _parse_budget(raw) -> Budget:
    if not isinstance(raw, dict):
        raise ExchangeError("budget", "必须是包含 initial、full_year、executed 的对象")
    adjustments = []
    for i, adj in enumerate(raw.get("adjustments") or []):
        amount = _dec(adj, "amount", f"budget.adjustments[{i}].")
        if amount is None:
            raise ExchangeError(f"budget.adjustments[{i}].amount", "调整金额不能为空")
        adjustments.append(Adjustment(str(adj.get("date") or ""), amount, _text(adj.get("reason")) or ""))
    return Budget(
        initial=_dec(raw, "initial", "budget."),
        full_year=_dec(raw, "full_year", "budget."),
        executed=_dec(raw, "executed", "budget."),
        adjustments=adjustments,
    )


def parse(data: dict) -> SelfEvaluation:
    """Validate and convert a decoded JSON object. Raises ExchangeError naming the field."""
    if not isinstance(data, dict):
        raise ExchangeError("（根）", "自评数据必须是 JSON 对象")
    if data.get("format", FORMAT) != FORMAT:
        raise ExchangeError("format", f"不支持的格式“{data.get('format')}”，应为 {FORMAT}")
    kind = data.get("kind") or "department"
    if kind not in KINDS:
        raise ExchangeError("kind", "应为 department（部门整体）或 project（项目）")
    if kind == "project" and not _text(data.get("project")):
        raise ExchangeError("project", "项目自评必须填写项目名称")
    money_unit = data.get("money_unit") or "万元"
    if money_unit not in MONEY_UNITS:
        raise ExchangeError("money_unit", "金额单位应为“元”或“万元”")
    try:
        year = int(data.get("year"))
    except (TypeError, ValueError):
        raise ExchangeError("year", "年度必须是整数，如 2025") from None
    indicators = data.get("indicators") or []
    if not isinstance(indicators, list):
        raise ExchangeError("indicators", "必须是数组")
    weight = _dec(data, "execution_weight", "")
    framework = data.get("framework") or None
    if framework is not None and framework not in FRAMEWORKS:
        known = "、".join(f"{k}（{f.label}）" for k, f in FRAMEWORKS.items())
        raise ExchangeError("framework", f"未知的评分框架“{framework}”，可用：{known}")
    return SelfEvaluation(
        organisation=_text(data.get("organisation")) or "",
        year=year,
        kind=kind,
        project=_text(data.get("project")) or None,
        money_unit=money_unit,
        budget=_parse_budget(data.get("budget") or {}),
        execution_weight=Decimal(10) if weight is None else weight,
        claimed_execution_score=_dec(data, "claimed_execution_score", ""),
        indicators=[_parse_indicator(raw, i) for i, raw in enumerate(indicators)],
        framework=framework,
        income=dict(data.get("income") or {}),
        components=list(data.get("components") or []),
        expense_shares=data.get("expense_shares") or None,
        printed_rates=list(data.get("printed_rates") or []),
        table_years=list(data.get("table_years") or []),
        printed_total=_dec(data, "printed_total", ""),
        printed_grade=_text(data.get("printed_grade")) or None,
        execution_explanation=_text(data.get("execution_explanation")) or "",
        notes=_text(data.get("notes")) or "",
        printed_keys_present="printed_total" in data or "printed_grade" in data,
        extra={k: v for k, v in data.items() if k not in TOP_KEYS},
    )


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def dump(ev: SelfEvaluation) -> dict:
    """The exchange JSON object for an evaluation (round-trips through ``parse``)."""
    indicators = []
    for ind in ev.indicators:
        row = {
            "level1": ind.level1, "level2": ind.level2, "level3": ind.level3, "operator": ind.operator,
            "target": ind.target, "unit": ind.unit, "actual": ind.actual, "weight": _num(ind.weight),
            "claimed_score": _num(ind.claimed_score), "deviation_reason": ind.deviation_reason,
        }  # fmt: skip
        optional = {
            "grade": ind.grade, "actual_unit": ind.actual_unit, "deduction": _num(ind.deduction),
            "binding": ind.binding, "definition": ind.definition, "data_source": ind.data_source,
            "note": ind.note,
        }  # fmt: skip
        row.update({k: v for k, v in optional.items() if v})
        indicators.append(row)
    budget = {k: _num(getattr(ev.budget, k)) for k in ("initial", "full_year", "executed")}
    if ev.budget.adjustments:
        budget["adjustments"] = [
            {"date": a.date, "amount": str(a.amount), "reason": a.reason} for a in ev.budget.adjustments
        ]
    out = {
        "format": FORMAT, "organisation": ev.organisation, "year": ev.year, "kind": ev.kind,
        "project": ev.project, "money_unit": ev.money_unit, "budget": budget,
        "execution_weight": _num(ev.execution_weight), "indicators": indicators,
    }  # fmt: skip
    optional = {
        "claimed_execution_score": _num(ev.claimed_execution_score), "framework": ev.framework,
        "income": ev.income, "components": ev.components, "expense_shares": ev.expense_shares,
        "printed_rates": ev.printed_rates, "table_years": ev.table_years, "printed_total": _num(ev.printed_total),
        "printed_grade": ev.printed_grade, "execution_explanation": ev.execution_explanation,
        "notes": ev.notes,
    }  # fmt: skip
    out.update({k: v for k, v in optional.items() if v})
    if ev.printed_keys_present:
        out.update(printed_total=_num(ev.printed_total), printed_grade=ev.printed_grade)
    out.update(ev.extra)
    return out
