"""Everything one self-evaluation report prints, gathered once: the scored evaluation plus ledger figures.

The .docx and .xlsx builders read only this, so the page and ``manage.py perf_report`` print the same figures,
and the figures are frozen into the files at generation time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from . import ledgers
from .exchange import SelfEvaluation
from .findings import Finding
from .labels import target_text
from .models import Evaluation, FundSource, Nature
from .money import TEN_THOUSAND, percent, s2
from .results import run
from .scoring import Result
from .selectors import to_exchange

ZERO = Decimal(0)


@dataclass
class ReportData:
    evaluation: Evaluation
    ev: SelfEvaluation
    result: Result
    findings: list[Finding]
    ledgers: ledgers.Ledgers | None = None
    generated_on: date = field(default_factory=timezone.localdate)
    preparer: str = ""

    @property
    def title(self) -> str:
        project = self.ev.project or ""
        owner = (
            (project if project.endswith("项目") else f"{project}项目")
            if self.ev.kind == "project"
            else "部门整体"
        )
        return f"{self.ev.year}年度{self.ev.organisation}{owner}支出绩效自评报告"

    @property
    def table_title(self) -> str:
        return "项目支出绩效自评表" if self.ev.kind == "project" else "部门整体支出绩效自评表"

    @property
    def narrative(self) -> dict:
        return self.evaluation.narrative or {}

    def text(self, key: str) -> str:
        return (self.narrative.get(key) or "").strip()


def collect(evaluation: Evaluation, *, actor=None) -> ReportData:
    ev = to_exchange(evaluation)
    result, findings = run(ev)
    preparer = (evaluation.narrative or {}).get("preparer") or ""
    if not preparer and actor is not None:
        preparer = getattr(actor, "display_name", "") or actor.get_username()
    data = ReportData(evaluation, ev, result, findings, preparer=preparer)
    if evaluation.year_id and evaluation.year.lines.exists():
        data.ledgers = ledgers.read(evaluation)
    return data


def wan(yuan: Decimal | None) -> Decimal | None:
    return None if yuan is None else yuan / TEN_THOUSAND


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{s2(value)}%"


def income_rows(data: ReportData) -> list[dict]:
    """Per source: 本年 and 上年决算 (万元), change and its percent (None when the prior base is 0)."""
    if data.ledgers is None:
        return []
    rows = []
    for label, amount, prior in data.ledgers.incomes:
        rows.append({"label": label, "amount": wan(amount), "prior": wan(prior), "change": wan(amount - prior),
                     "change_pct": percent(amount - prior, prior)})  # fmt: skip
    return rows


NATURE_GROUPS = (("基本支出", (Nature.PERSONNEL, Nature.PUBLIC)), ("项目支出", (Nature.PROJECT,)))


def expenditure_rows(data: ReportData) -> list[dict]:
    """基本支出 (人员经费, 公用经费) and 项目支出: executed 万元 and share of all executed."""
    if data.ledgers is None:
        return []
    by_nature, total = data.ledgers.by_nature, data.ledgers.totals.executed
    rows = []
    for group, natures in NATURE_GROUPS:
        executed = sum((by_nature[n].executed for n in natures if n in by_nature), ZERO)
        rows.append(
            {"label": group, "executed": wan(executed), "share": percent(executed, total), "level": 1}
        )
        if len(natures) > 1:
            for n in natures:
                amount = by_nature[n].executed if n in by_nature else ZERO
                rows.append({"label": Nature(n).label.split("-")[-1], "executed": wan(amount),
                             "share": percent(amount, total), "level": 2})  # fmt: skip
    return rows


def budget_breakdown(data: ReportData) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal | None]]:
    """(label, 年初, 全年, 执行 in 万元, 执行率 %) by 收入性质 then 支出性质, under the 年度资金总额 row (§7.3)."""
    if data.ledgers is None:
        return []
    out = []
    sources = dict(FundSource.choices)
    groups = [(f"其中：{sources[k]}" if i == 0 else sources[k], t) for i, (k, t) in
              enumerate(sorted(data.ledgers.by_source.items(), key=lambda kv: list(sources).index(kv[0])))]  # fmt: skip
    for group, natures in NATURE_GROUPS:
        parts = [data.ledgers.by_nature[n] for n in natures if n in data.ledgers.by_nature]
        if parts:
            groups.append((group, ledgers.sum_totals(parts)))
    for label, t in groups:
        out.append(
            (label, wan(t.initial), wan(t.full_year), wan(t.executed), percent(t.executed, t.full_year))
        )
    return out


def coverage(data: ReportData) -> dict:
    """项目自评覆盖率: projects of the year with a self-evaluation, by count and by budget."""
    year = data.evaluation.year
    projects = list(year.projects.all())
    evaluated = set(year.evaluations.filter(project__isnull=False).values_list("project_id", flat=True))
    totals = ledgers.line_totals(year.lines.filter(project__isnull=False), date(year.year, 12, 31))
    budget_of = {p.pk: ZERO for p in projects}
    for line in year.lines.filter(project__isnull=False).only("pk", "project_id"):
        budget_of[line.project_id] = budget_of.get(line.project_id, ZERO) + totals[line.pk].full_year
    all_budget = sum(budget_of.values(), ZERO)
    done_budget = sum((v for k, v in budget_of.items() if k in evaluated), ZERO)
    return {"projects": len(projects), "evaluated": len(evaluated & set(budget_of)),
            "by_count": percent(Decimal(len(evaluated & set(budget_of))), Decimal(len(projects))),
            "budget": wan(all_budget), "evaluated_budget": wan(done_budget),
            "by_budget": percent(done_budget, all_budget)}  # fmt: skip


def indicator_rows(data: ReportData) -> list[dict]:
    rows = []
    for sc in data.result.indicators:
        ind = data.ev.indicators[sc.index]
        actual = ind.actual or ""
        if actual and actual[-1].isdigit() and not ind.is_qualitative:
            actual = f"{actual}{ind.actual_unit or ind.unit}"
        rows.append({"level1": ind.level1, "level2": ind.level2, "level3": ind.level3 or "（未命名）",
                     "target": target_text(ind.operator, ind.target, ind.unit), "actual": actual,
                     "weight": ind.weight, "score": sc.score, "reason": ind.deviation_reason, "met": sc.met})  # fmt: skip
    return rows


def deviations(data: ReportData) -> list[str]:
    out = []
    for row in indicator_rows(data):
        short = row["score"] is not None and row["weight"] is not None and row["score"] < row["weight"]
        if row["reason"] or short or row["met"] is False:
            reason = row["reason"] or "（未填写偏差原因，请补充）"
            out.append(
                f"{row['level3']}：年度指标值 {row['target'] or '—'}，实际完成 {row['actual'] or '—'}。{reason}"
            )
    return out
