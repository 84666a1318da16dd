"""双监控: execution rate against 序时进度 per line, project and department (domain/performance.md §5).

序时进度 conventions [S]: month-based = completed months / 12 (Jiangmen: end of May → 5/12 = 41.67%), a month
counting as completed on its last day; day-based = days elapsed / days in year, the as-of day included
(30 June 2023 → 181/365 = 49.59%). Warning tiers compare gap = 序时进度 − 执行率 (percentage points) with
``XINFANG["PERF_WARNING_TIERS"]``; the Guangdong values are not confirmed, so the default below is only a
placeholder [R] for a region to replace.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook

from .models import BudgetLine, FiscalYear
from .money import HUNDRED, TEN_THOUSAND, parse_quantity, q2, s2
from .selectors import BudgetTotals, line_totals, sum_totals

ZERO = Decimal(0)
DEFAULT_TIERS = ((Decimal(10), "red", "红色预警"), (Decimal(5), "yellow", "黄色预警"))  # [R] placeholder
NORMAL = ("normal", "正常")


def time_progress(as_of: date, mode: str = "month") -> Decimal:
    """序时进度 in percent, 2 dp half-up."""
    if mode == "day":
        days = 366 if calendar.isleap(as_of.year) else 365
        return q2(Decimal(as_of.timetuple().tm_yday) * HUNDRED / days)
    month_done = as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
    months = as_of.month if month_done else as_of.month - 1
    return q2(Decimal(months) * HUNDRED / 12)


def tiers():
    raw = settings.XINFANG.get("PERF_WARNING_TIERS")
    if not raw:
        return DEFAULT_TIERS
    return tuple((Decimal(str(gap)), key, label) for gap, key, label in raw)


def warning_level(gap_pp: Decimal | None) -> tuple[str, str]:
    if gap_pp is None:
        return NORMAL
    for threshold, key, label in tiers():
        if gap_pp >= threshold:
            return key, label
    return NORMAL


OVER = ("over", "超预算支出")
NOT_STARTED = "尚未执行"


@dataclass
class MonitorRow:
    scope: str  # "line" / "project" / "department"
    label: str
    full_year: Decimal  # 元: 年初 + 调整 made by the as-of date (+ 结转 where the region counts it)
    executed: Decimal  # 元
    rate: Decimal | None  # percent, 2 dp; None only when nothing may be spent
    progress: Decimal
    gap: Decimal | None
    level: str
    level_label: str
    initial: Decimal = ZERO
    adjustments: Decimal = ZERO
    carry_in: Decimal = ZERO
    available: Decimal = ZERO  # the base of the rate: 全年预算数 + 上年结转
    notes: tuple[str, ...] = ()

    @property
    def full_year_wan(self) -> str:
        return s2(self.full_year / TEN_THOUSAND)

    @property
    def executed_wan(self) -> str:
        return s2(self.executed / TEN_THOUSAND)

    @property
    def initial_wan(self) -> str:
        return s2(self.initial / TEN_THOUSAND)

    @property
    def adjustments_wan(self) -> str:
        return s2(self.adjustments / TEN_THOUSAND)

    @property
    def carry_in_wan(self) -> str:
        return s2(self.carry_in / TEN_THOUSAND)

    @property
    def available_wan(self) -> str:
        return s2(self.available / TEN_THOUSAND)


def _row(scope, label, totals: BudgetTotals, as_of, mode) -> MonitorRow:
    """Rate over the available budget (上年结转 included); spending beyond it and zero spending are flagged."""
    base = totals.available
    rate = q2(totals.executed * HUNDRED / base) if base else None
    progress = time_progress(as_of, mode)
    gap = None if rate is None else progress - rate
    level, level_label = warning_level(gap)
    notes = []
    if totals.executed > base:
        level, level_label = OVER
        notes.append(f"执行数超过可用预算 {s2((totals.executed - base) / TEN_THOUSAND)} 万元")
    elif base and not totals.executed and progress > 0:
        notes.append(NOT_STARTED)
        if level == NORMAL[0]:
            level, level_label = "yellow", "黄色预警"
    return MonitorRow(
        scope, label, totals.full_year, totals.executed, rate, progress, gap, level, level_label,
        totals.initial, totals.adjustments, totals.carry_in, base, tuple(notes),
    )  # fmt: skip


def monitor(year: FiscalYear, as_of: date, mode: str = "month") -> list[MonitorRow]:
    """Department first, then each project, then each budget line (per-line totals read once)."""
    lines = list(BudgetLine.objects.filter(year=year).order_by("code"))
    per_line = line_totals(BudgetLine.objects.filter(year=year), as_of)
    rows = [_row("department", "部门整体", sum_totals(per_line.values()), as_of, mode)]
    for project in year.projects.order_by("code"):
        mine = (per_line[line.pk] for line in lines if line.project_id == project.pk)
        rows.append(_row("project", project.name, sum_totals(mine), as_of, mode))
    for line in lines:
        rows.append(_row("line", f"{line.code} {line.name}", per_line[line.pk], as_of, mode))
    return rows


def indicator_progress(indicator, as_of: date, mode: str = "month") -> dict:
    """Mid-year target tracking: rates (%) compare directly, counts against target × 序时进度."""
    target, progress = parse_quantity(indicator.target), parse_quantity(indicator.mid_year_progress)
    if target is None or progress is None:
        return {"expected": None, "on_track": None, "needs_action": False}
    expected = (
        target[0]
        if (indicator.unit or target[1]) == "%"
        else q2(target[0] * time_progress(as_of, mode) / HUNDRED)
    )
    on_track = progress[0] <= expected if indicator.operator in ("<=", "<") else progress[0] >= expected
    return {
        "expected": expected,
        "on_track": on_track,
        "needs_action": not on_track and not indicator.corrective_action,
    }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(q2(value))


def export_xlsx(rows: list[MonitorRow], as_of: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{as_of:%Y年%m月}预算执行监控"
    ws.append(["范围", "名称", "全年预算数（万元）", "上年结转（万元）", "可用预算（万元）", "累计执行数（万元）",
               "执行率（%）", "序时进度（%）", "差距（百分点）", "预警", "说明"])  # fmt: skip
    scope = {"department": "部门", "project": "项目", "line": "预算指标"}
    for r in rows:
        ws.append([scope[r.scope], r.label, _num(r.full_year / TEN_THOUSAND), _num(r.carry_in / TEN_THOUSAND),
                   _num(r.available / TEN_THOUSAND), _num(r.executed / TEN_THOUSAND), _num(r.rate),
                   _num(r.progress), _num(r.gap), r.level_label, "；".join(r.notes)])  # fmt: skip
        for cell in ws[ws.max_row][2:9]:
            cell.number_format = "0.00"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
