"""Excel exports: the case list (any size, openpyxl write-only) and any statistics table.

The case list goes row by row from a database iterator into a write-only workbook (openpyxl keeps each sheet
in a temporary file, not in memory), then the file is streamed back; there is no row cap. Identity numbers
and phones are masked, dates and numbers are typed cells, and every export is audited.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xinfang.cases.identity import mask_id, mask_phone

from .tables import FIGURE_ORDER, PERCENT_KEYS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_COLUMNS = (
    ("信访件编号", 20), ("登记时间", 18), ("收到日期", 12), ("信访形式", 10), ("标题", 36), ("信访人", 14),
    ("证件号码", 22), ("联系电话", 14), ("人数", 6), ("内容分类", 24), ("信访目的", 10), ("责任单位", 20),
    ("状态", 10), ("分流期限", 12), ("办结期限", 12), ("答复时间", 18), ("初信初访", 8), ("集体", 6),
)  # fmt: skip
CHUNK = 2000


def _local(moment: datetime | None) -> datetime | None:
    """A naive local datetime: Excel cells carry no time zone."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _header(ws, titles: Iterable[str]) -> None:
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)


def _typed(ws, value, number_format: str | None = None):
    cell = WriteOnlyCell(ws, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def case_rows(qs: QuerySet) -> Iterator[list]:
    cases = qs.select_related("category", "category__parent", "responsible_unit").prefetch_related(
        "parties__petitioner"
    )
    for case in cases.order_by("-registered_at", "-id").iterator(chunk_size=CHUNK):
        parties = sorted(case.parties.all(), key=lambda cp: (not cp.is_primary, cp.pk))
        first = parties[0].petitioner if parties else None
        yield [
            case.number,
            _local(case.registered_at),
            case.received_date,
            case.get_channel_display(),
            case.title,
            (first.name + (f" 等{len(parties)}人" if len(parties) > 1 else "")) if first else "",
            mask_id(first.id_number) if first else "",
            mask_phone(first.phone) if first else "",
            case.headcount,
            str(case.category),
            case.get_nature_display(),
            case.responsible_unit.name if case.responsible_unit else "",
            case.get_status_display(),
            case.triage_due_date,
            case.handling_due_date,
            _local(case.replied_at),
            "是" if case.is_first else "否",
            "是" if case.is_collective else "否",
        ]


DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def write_cases(qs: QuerySet, out) -> int:
    """Write the cases to `out` (a binary file) as .xlsx; returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信访事项")
    for i, (_, width) in enumerate(CASE_COLUMNS):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    _header(ws, (title for title, _ in CASE_COLUMNS))
    n = 0
    for row in case_rows(qs):
        cells = []
        for value in row:
            if isinstance(value, datetime):
                cells.append(_typed(ws, value, DATETIME_FORMAT))
            elif hasattr(value, "isoformat"):
                cells.append(_typed(ws, value, DATE_FORMAT))
            else:
                cells.append(value)
        ws.append(cells)
        n += 1
    wb.save(out)
    return n


def cases_file(qs: QuerySet) -> tuple[tempfile.SpooledTemporaryFile, int]:
    """The .xlsx in a temporary file (in memory up to 8 MB, then on disk), rewound, and its row count."""
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    n = write_cases(qs, out)
    out.seek(0)
    return out, n


def write_stats(stats: dict, out) -> None:
    """The statistics object as a workbook: one sheet of figures, one per dimension table."""
    wb = Workbook(write_only=True)
    period = stats["period"]
    ws = wb.create_sheet("主要指标")
    ws.column_dimensions["A"].width = 18
    ws.append(
        [
            f"统计期间：{period['from']} 至 {period['to']}；单位：{period['unit_name']}；分类：{period['category_name']}"
        ]
    )
    _header(ws, ("指标", "数值", "单位", "分子", "分母"))
    for key in FIGURE_ORDER:
        figure = stats[key]
        value = figure["value"]
        number = float(value) if isinstance(value, str) else value
        unit = "%" if key in PERCENT_KEYS else ("天" if key == "average_handling_days" else "件")
        numerator = figure.get("numerator")
        numerator = float(numerator) if isinstance(numerator, str) else numerator
        ws.append([figure["label"], _typed(ws, number, "0.00" if unit != "件" else "0"), unit, numerator,
                   figure.get("denominator")])  # fmt: skip
    for key in ("by_channel", "by_category", "by_nature", "by_place", "by_unit", "by_month"):
        sheet = wb.create_sheet(stats[key]["label"][:31])
        sheet.column_dimensions["A"].width = 24
        _header(sheet, ("项目", "件数"))
        for row in stats[key]["value"]:
            sheet.append([row["label"], row["count"]])
    wb.save(out)


def filename(prefix: str, suffix: str = "xlsx") -> str:
    return f"{prefix}-{timezone.localtime():%Y%m%d-%H%M}.{suffix}"
