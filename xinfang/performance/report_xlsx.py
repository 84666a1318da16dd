"""The 附表 workbook (.xlsx): money (万元) and rates as numbers with number formats, a title row, a unit row and
merged headers, so the tables can be submitted after light editing (domain/performance.md §7.3)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .models import Nature
from .report_data import ReportData, budget_breakdown, indicator_rows, wan

MONEY_FMT, PCT_FMT, INT_FMT, SCORE_FMT = "#,##0.00", "0.00%", "0", "0.00"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def basic_rows(data: ReportData) -> list[tuple]:
    """(项目, 明细, 上年决算数, 本年预算数, 本年决算数, format) rows of the 基础数据表."""
    y = data.evaluation.year
    rate = Decimal(y.actual_headcount) / y.authorised_headcount if y.authorised_headcount else None
    rows = [
        ("财政供养人员情况", "编制数（人）", None, None, y.authorised_headcount, INT_FMT),
        ("", "实际在职人数（人）", None, None, y.actual_headcount, INT_FMT),
        ("", "在职人员控制率", None, None, rate, PCT_FMT),
    ]
    led = data.ledgers
    if led:
        for n, (label, prior, budget, final) in enumerate(led.three_public):
            rows.append(("三公经费" if n == 0 else "", label, wan(prior), wan(budget), wan(final), MONEY_FMT))
        if led.three_public:
            sums = [sum((t[i] for t in led.three_public), Decimal(0)) for i in (1, 2, 3)]
            rows.append(("", "三公经费合计", *(wan(s) for s in sums), MONEY_FMT))
        for n, nature in enumerate((Nature.PERSONNEL, Nature.PUBLIC, Nature.PROJECT)):
            t = led.by_nature.get(nature)
            label = Nature(nature).label.split("-")[-1]
            rows.append(("支出情况" if n == 0 else "", label, None, wan(t.full_year) if t else None,
                         wan(t.executed) if t else None, MONEY_FMT))  # fmt: skip
        basic_adj = sum((led.by_nature[n].adjustments for n in (Nature.PERSONNEL, Nature.PUBLIC) if n in led.by_nature),
                        Decimal(0))  # fmt: skip
        rows.append(("部门基本支出预算调整", "调整数", None, wan(basic_adj), None, MONEY_FMT))
    rows.append(
        ("政府采购", "政府采购金额", None, wan(y.procurement_planned), wan(y.procurement_actual), MONEY_FMT)
    )
    return rows


def _title(ws, text: str, width: int, unit_left: str) -> None:
    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=16), CENTER
    ws.row_dimensions[1].height = 30
    ws.append([unit_left] + [None] * (width - 2) + ["单位：万元"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width - 1)


def _put(ws, row: int, col: int, value, fmt: str | None = None, bold=False):
    cell = ws.cell(row=row, column=col, value=float(value) if isinstance(value, Decimal) else value)
    cell.border, cell.alignment = (
        BOX,
        CENTER if not isinstance(value, Decimal | int | float) else Alignment(vertical="center"),
    )
    if fmt and value is not None:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(ws, row: int, labels: list[str], start: int = 1) -> None:
    for i, label in enumerate(labels):
        _put(ws, row, start + i, label, bold=True)


def _basic_sheet(ws, data: ReportData) -> None:
    _title(ws, "部门整体支出绩效评价基础数据表", 5, f"填报单位：{data.ev.organisation}")
    _header(ws, 3, ["项目", "明细", "经费控制情况", "", ""])
    _header(ws, 4, ["", "", "上年决算数", "本年预算数", "本年决算数"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    for r, (a, b, *values, fmt) in enumerate(basic_rows(data), start=5):
        _put(ws, r, 1, a)
        _put(ws, r, 2, b)
        for c, v in enumerate(values, start=3):
            _put(ws, r, c, v, fmt)
    _footer(ws, data, ws.max_row + 2)
    _widths(ws, [22, 22, 14, 14, 14])


def _footer(ws, data: ReportData, row: int) -> None:
    ws.cell(row=row, column=1, value=f"填表人：{data.preparer}")
    ws.cell(row=row, column=3, value=f"联系电话：{data.text('phone')}")
    ws.cell(row=row, column=5, value=f"填报日期：{data.generated_on:%Y年%m月%d日}")


def _widths(ws, widths) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _evaluation_sheet(ws, data: ReportData) -> None:
    _title(ws, data.table_title, 8, f"预算单位名称：{data.ev.organisation}")
    r = 3
    if data.ev.kind == "project":
        from .report_docx import project_header

        _header(ws, r, ["项目名称", "", "", "主管部门", "", "实施单位", "", ""])
        name, dept, unit = project_header(data)
        for c, v in ((1, name), (4, dept), (6, unit)):
            _put(ws, r + 1, c, v)
        for a, b in (("A", "C"), ("D", "E"), ("F", "H")):
            ws.merge_cells(f"{a}{r}:{b}{r}")
            ws.merge_cells(f"{a}{r + 1}:{b}{r + 1}")
        r += 2
    _put(ws, r, 1, "年度预算申请（万元）", bold=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    _header(ws, r + 1, ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    b, res = data.ev.budget, data.result
    rate = None if res.execution_rate is None else res.execution_rate / 100
    _put(ws, r + 2, 1, "年度资金总额")
    for c, (v, fmt) in enumerate([(b.initial, MONEY_FMT), (b.full_year, MONEY_FMT), (b.executed, MONEY_FMT),
                                  (data.ev.execution_weight, SCORE_FMT), (rate, PCT_FMT),
                                  (res.execution_score, SCORE_FMT)], start=2):  # fmt: skip
        _put(ws, r + 2, c, v, fmt)
    r += 3
    for label, initial, full, executed, part_rate in budget_breakdown(data):
        _put(ws, r, 1, label)
        for c, (v, fmt) in enumerate([(initial, MONEY_FMT), (full, MONEY_FMT), (executed, MONEY_FMT), (None, None),
                                      (None if part_rate is None else part_rate / 100, PCT_FMT), (None, None)],
                                     start=2):  # fmt: skip
            _put(ws, r, c, v, fmt)
        r += 1
    r += 1
    _header(ws, r, ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""])
    _put(ws, r + 1, 2, data.text("annual_goal"))
    _put(ws, r + 1, 5, data.text("goal_outcome"))
    ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
    for row in (r, r + 1):
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=8)
    r += 3
    _header(ws, r, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因分析及改进措施"])  # fmt: skip
    for row in indicator_rows(data):
        r += 1
        for c, v in enumerate(
            [row["level1"], row["level2"], row["level3"], row["target"], row["actual"]], start=1
        ):
            _put(ws, r, c, v)
        _put(ws, r, 6, row["weight"], SCORE_FMT)
        _put(ws, r, 7, row["score"] if row["score"] is not None else "未计分", SCORE_FMT)
        _put(ws, r, 8, row["reason"])
    if res.total is not None:
        r += 1
        _put(ws, r, 1, "总分", bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        _put(ws, r, 7, res.total, SCORE_FMT, bold=True)
        _put(ws, r, 8, f"等级：{res.grade}", bold=True)
    _footer(ws, data, r + 2)
    _widths(ws, [14, 16, 28, 14, 14, 10, 10, 36])


def build_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    if data.ev.kind == "department":
        _basic_sheet(wb.active, data)
        wb.active.title = "基础数据表"
        ws = wb.create_sheet(data.table_title)
    else:
        ws = wb.active
        ws.title = data.table_title
    _evaluation_sheet(ws, data)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
