"""Importing a year's holiday schedule from CSV (`date,is_working_day,name`), all or nothing."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from xinfang.audit.services import record
from xinfang.core.text import clean_text, decode_csv

from .models import HolidayOverride
from .services import clear_cache, set_year_complete

COLUMNS = ("date", "is_working_day", "name")
NAME_MAX = HolidayOverride._meta.get_field("name").max_length
TRUE_WORDS = frozenset({"1", "true", "是", "工作日", "上班"})
FALSE_WORDS = frozenset({"0", "false", "否", "休息日", "休息"})
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ROWS = 2000


class ImportFailed(Exception):
    """The file was rejected; `errors` lists every problem as a Chinese line naming the row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    date: datetime.date
    is_working_day: bool
    name: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    years: list[int] = field(default_factory=list)
    marked: list[int] = field(default_factory=list)  # years marked complete by this import

    def summary(self) -> str:
        years = "、".join(str(y) for y in self.years)
        text = f"导入完成（{years}年）：新增 {len(self.created)} 条，更新 {len(self.updated)} 条，未变 {self.unchanged} 条"
        if self.marked:
            text += f"；已将{'、'.join(str(y) for y in self.marked)}年节假日安排标记为已完整"
        return text


def decode(data: bytes | str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which is what Excel saves on Chinese Windows."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    text = decode_csv(data)
    if text is None:
        raise ImportFailed(["文件编码无法识别，请保存为 UTF-8 编码的 CSV 文件"])
    return text


def _parse_flag(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _parse_row(line: int, cells: list[str], seen: dict[datetime.date, int]) -> tuple[Row | None, list[str]]:
    prefix = f"第{line}行："
    if len(cells) != len(COLUMNS):
        return None, [f"{prefix}应有 3 列（日期、是否工作日、名称），实际 {len(cells)} 列"]
    raw_date, raw_flag, name = (clean_text(c) for c in cells)
    errors = []
    day = None
    if not DATE_RE.match(raw_date):
        errors.append(f"{prefix}日期格式不正确（应为 YYYY-MM-DD）")
    else:
        try:
            day = datetime.date.fromisoformat(raw_date)
        except ValueError:
            errors.append(f"{prefix}日期不存在：{raw_date}")
    if day is not None and day in seen:
        errors.append(f"{prefix}日期 {raw_date} 与第{seen[day]}行重复")
    flag = _parse_flag(raw_flag)
    if flag is None:
        errors.append(f"{prefix}是否工作日取值不正确（可填 1/0、true/false、是/否、工作日/休息日）")
    if len(name) > NAME_MAX:
        errors.append(f"{prefix}名称过长（最多 {NAME_MAX} 个字）")
    if errors:
        return None, errors
    seen[day] = line
    return Row(line, day, flag, name), []


def parse_csv(text: str) -> list[Row]:
    """Validate every row; raise ImportFailed listing all problems, or return the rows."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [c.strip().lower() for c in header] != list(COLUMNS):
        raise ImportFailed(["第1行：表头应为 date,is_working_day,name"])
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[datetime.date, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row, row_errors = _parse_row(line, cells, seen)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append("文件中没有数据行")
    if len(rows) > MAX_ROWS:
        errors.append(f"一次最多导入 {MAX_ROWS} 行")
    if errors:
        raise ImportFailed(errors)
    return rows


@transaction.atomic
def import_holidays(
    data: bytes | str,
    *,
    actor=None,
    source: str = "",
    mark_complete: bool = False,
) -> ImportResult:
    """Create or update one override per row; nothing changes unless every row is valid.

    With mark_complete every year in the file is then marked complete (set_year_complete) in the same
    transaction, so a rejected file marks nothing.
    """
    rows = parse_csv(decode(data))
    existing = {
        o.date: o for o in HolidayOverride.objects.select_for_update().filter(date__in=[r.date for r in rows])
    }
    result = ImportResult(years=sorted({r.date.year for r in rows}))
    changes = []
    for row in rows:
        current = existing.get(row.date)
        if current is None:
            obj = HolidayOverride.objects.create(
                date=row.date, is_working_day=row.is_working_day, name=row.name
            )
            result.created.append(row.date.isoformat())
            changes.append({"before": None, "after": obj.snapshot()})
        elif (current.is_working_day, current.name) != (row.is_working_day, row.name):
            before = current.snapshot()
            current.is_working_day, current.name = row.is_working_day, row.name
            current.save(update_fields=["is_working_day", "name", "updated_at"])
            result.updated.append(row.date.isoformat())
            changes.append({"before": before, "after": current.snapshot()})
        else:
            result.unchanged += 1
    record(
        "calendar.import",
        actor=actor,
        object_type=HolidayOverride._meta.label_lower,
        object_id=",".join(str(y) for y in result.years),
        after={"source": source, "rows": len(rows), "unchanged": result.unchanged, "changes": changes},
    )
    if mark_complete:
        for year in result.years:
            set_year_complete(year, True, actor=actor, via=f"import:{source}" if source else "import")
        result.marked = list(result.years)
    clear_cache()
    transaction.on_commit(clear_cache)
    return result
