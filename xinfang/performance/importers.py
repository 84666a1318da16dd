"""All-or-nothing .xlsx imports of budget lines, adjustments and execution entries (amounts in 元).

Every row is validated first; any error rejects the whole file with a row-level list of Chinese messages and
nothing is written. Rows are keyed naturally (line: year + 编码; adjustment: line + date + amount + 文号;
execution: line + 凭证号 + 明细序号), so importing the same file again adds nothing. A voucher that pays several
details of one line keeps every detail (序号 from the column, else 1, 2, … in file order). Re-importing a row
whose amount changed updates it and says so (old → new); an unchanged row is counted as unchanged.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook, load_workbook

from xinfang.audit.services import record
from xinfang.core.dates import parse_date
from xinfang.core.text import clean_text

from . import importers_year
from .models import (
    BudgetAdjustment,
    BudgetLine,
    ExecutionEntry,
    FiscalYear,
    FundSource,
    ImportBatch,
    Nature,
    Project,
)
from .money import to_decimal

COLUMNS = {
    "budget_lines": ["预算指标编码", "名称", "资金来源", "支出性质", "功能分类", "经济分类", "项目编码", "项目名称",
                     "年初预算数（元）", "上年结转（元）"],
    "adjustments": ["预算指标编码", "调整日期", "调整金额（元）", "调整原因", "批复文号"],
    "executions": ["预算指标编码", "支付日期", "金额（元）", "支付凭证号", "支付方式", "明细序号"],
}  # fmt: skip
TITLES = {"budget_lines": "预算指标", "adjustments": "预算调整", "executions": "执行记录"}
COLUMNS.update(importers_year.COLUMNS)
TITLES.update(importers_year.TITLES)
REQUIRED = {
    "budget_lines": {"预算指标编码", "名称", "资金来源", "支出性质", "年初预算数（元）"},
    "adjustments": {"预算指标编码", "调整日期", "调整金额（元）", "调整原因"},
    "executions": {"预算指标编码", "支付日期", "金额（元）", "支付凭证号"},
    **importers_year.REQUIRED,
}


class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class ImportOutcome:
    rows: int
    created: int
    updated: int
    already_imported: bool = False
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)  # "第3行：凭证 V1 金额 30,000.00 → 35,000.00"


def template(kind: str) -> bytes:
    """The downloadable template: one header row with the expected columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = TITLES[kind]
    ws.append(COLUMNS[kind])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _choice(choices, value: str) -> str | None:
    for key, label in choices.choices:
        if value in (key, label):
            return key
    return None


def _money(value, col, errors, where) -> Decimal | None:
    try:
        amount = to_decimal(value)
    except ValueError:
        errors.append(f"{where}“{col}”的值“{value}”不是有效金额")
        return None
    if amount is not None and amount.as_tuple().exponent < -2:
        errors.append(f"{where}“{col}”最多保留两位小数")
        return None
    return amount


def _date(value, col, errors, where) -> date | None:
    day = parse_date(value)
    if day is None:
        errors.append(f"{where}“{col}”的值“{value}”不是有效日期（可写 2025-03-01、2025/3/1 或 2025年3月1日）")
    return day


def _read_rows(kind: str, content: bytes) -> list[tuple[int, dict]]:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportRejected(["文件不是有效的 .xlsx 工作簿"]) from None
    rows = list(wb.active.iter_rows(values_only=True))
    if not rows:
        raise ImportRejected(["工作表为空"])
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    missing = [c for c in COLUMNS[kind] if c in REQUIRED[kind] and c not in header]
    if missing:
        raise ImportRejected([f"第1行：缺少列“{'”“'.join(missing)}”，请使用导入模板"])
    out = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {h: v for h, v in zip(header, values, strict=False) if h}
        cells = {k: (clean_text(v) if isinstance(v, str) else v) for k, v in cells.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        out.append((number, cells))
    return out


def _check_required(kind, number, cells, errors) -> bool:
    where = f"第{number}行："
    blank = [c for c in COLUMNS[kind] if c in REQUIRED[kind] and cells.get(c) in (None, "")]
    for col in blank:
        errors.append(f"{where}“{col}”不能为空")
    return not blank


def _validate_line(year, number, cells, errors, seen) -> dict | None:
    where = f"第{number}行："
    code = str(cells["预算指标编码"])
    if code in seen:
        errors.append(f"{where}预算指标编码“{code}”与第{seen[code]}行重复")
    seen[code] = number
    fund = _choice(FundSource, str(cells["资金来源"]))
    nature = _choice(Nature, str(cells["支出性质"]))
    if fund is None:
        errors.append(f"{where}资金来源“{cells['资金来源']}”无效，可选：{'、'.join(FundSource.labels)}")
    if nature is None:
        errors.append(f"{where}支出性质“{cells['支出性质']}”无效，可选：{'、'.join(Nature.labels)}")
    project_code = str(cells.get("项目编码") or "")
    if nature == Nature.PROJECT and not project_code:
        errors.append(f"{where}项目支出必须填写“项目编码”")
    initial = _money(cells["年初预算数（元）"], "年初预算数（元）", errors, where)
    carry = _money(cells.get("上年结转（元）"), "上年结转（元）", errors, where) or Decimal(0)
    return {
        "code": code, "name": str(cells["名称"]), "fund_source": fund, "nature": nature,
        "functional_class": str(cells.get("功能分类") or ""), "economic_class": str(cells.get("经济分类") or ""),
        "project_code": project_code, "project_name": str(cells.get("项目名称") or project_code),
        "initial_amount": initial, "carry_in": carry,
    }  # fmt: skip


def _line_for(year, code, number, errors) -> BudgetLine | None:
    line = BudgetLine.objects.filter(year=year, code=code).first()
    if line is None:
        errors.append(f"第{number}行：预算指标编码“{code}”在{year.year}年度不存在，请先导入预算指标")
    return line


def _validate_money_row(kind, year, number, cells, errors) -> dict:
    where = f"第{number}行："
    line = _line_for(year, str(cells["预算指标编码"]), number, errors)
    if kind == "adjustments":
        day = _date(cells["调整日期"], "调整日期", errors, where)
        amount = _money(cells["调整金额（元）"], "调整金额（元）", errors, where)
        if amount == 0:
            errors.append(f"{where}调整金额不能为 0")
        row = {"line": line, "date": day, "amount": amount, "reason": str(cells["调整原因"]),
               "document": str(cells.get("批复文号") or "")}  # fmt: skip
    else:
        day = _date(cells["支付日期"], "支付日期", errors, where)
        amount = _money(cells["金额（元）"], "金额（元）", errors, where)
        row = {"line": line, "date": day, "amount": amount, "voucher_ref": str(cells["支付凭证号"]),
               "kind": str(cells.get("支付方式") or ""), "detail_no": _detail_no(cells, errors, where)}  # fmt: skip
    if day is not None and day.year != year.year:
        errors.append(f"{where}日期 {day} 不在{year.year}年度内")
    return row


def _detail_no(cells, errors, where) -> int | None:
    raw = cells.get("明细序号")
    if raw in (None, ""):
        return None
    try:
        number = int(str(raw).strip().split(".")[0])
        if number < 1:
            raise ValueError
    except ValueError:
        errors.append(f"{where}“明细序号”应为正整数")
        return None
    return number


def _number_details(parsed, numbers, errors) -> None:
    """1, 2, … per (line, voucher) in file order where the file gives no 序号; a repeated 序号 is an error."""
    taken: dict[tuple, int] = {}
    for row, number in zip(parsed, numbers, strict=True):
        voucher = (row["line"].pk if row["line"] else None, row["voucher_ref"])
        if row["detail_no"] is None:
            row["detail_no"] = 1 + max((n for (v, n) in taken if v == voucher), default=0)
        key = (voucher, row["detail_no"])
        if key in taken:
            errors.append(
                f"第{number}行：凭证“{row['voucher_ref']}”的明细序号 {row['detail_no']} 与第{taken[key]}行重复"
            )
        taken[key] = number


def _yuan(value) -> str:
    return f"{value:,.2f}"


def _upsert(model, lookup: dict, values: dict, number: int, what: str, changes: list[str]) -> str:
    """'created', 'updated' (with a line in ``changes`` naming old → new) or 'unchanged'."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return "created"
    moved = {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}
    if not moved:
        return "unchanged"
    for k, (old, new) in moved.items():
        label = model._meta.get_field(k).verbose_name
        shown = (_yuan(old), _yuan(new)) if isinstance(new, Decimal) else (old, new)
        changes.append(f"第{number}行：{what}{label} {shown[0]} → {shown[1]}")
        setattr(obj, k, new)
    obj.save(update_fields=list(moved))
    return "updated"


def _write(kind, year, parsed, numbers) -> tuple[int, int, int, list[str]]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    changes: list[str] = []
    for row, number in zip(parsed, numbers, strict=True):
        counts[_write_row(kind, year, row, number, changes)] += 1
    return counts["created"], counts["updated"], counts["unchanged"], changes


def _write_row(kind, year, row, number, changes) -> str:
    if kind == "executions":
        return _upsert(ExecutionEntry, {"line": row["line"], "voucher_ref": row["voucher_ref"],
                                        "detail_no": row["detail_no"]},
                       {"date": row["date"], "amount": row["amount"], "kind": row["kind"]}, number,
                       f"凭证“{row['voucher_ref']}”（明细{row['detail_no']}）", changes)  # fmt: skip
    if kind == "adjustments":
        lookup = {"line": row["line"], "date": row["date"], "document": row["document"]}
        values = {"amount": row["amount"], "reason": row["reason"]}
        if not row["document"] or BudgetAdjustment.objects.filter(**lookup).count() > 1:
            lookup["amount"] = values.pop("amount")  # without a 文号 the amount is part of the identity
        return _upsert(
            BudgetAdjustment, lookup, values, number, f"调整“{row['document'] or row['reason']}”", changes
        )
    project = None
    if row["project_code"]:
        project, _ = Project.objects.get_or_create(
            year=year, code=row["project_code"], defaults={"name": row["project_name"]}
        )
    fields = {k: row[k] for k in ("name", "fund_source", "nature", "functional_class", "economic_class",
                                  "initial_amount", "carry_in")}  # fmt: skip
    return _upsert(BudgetLine, {"year": year, "code": row["code"]}, {**fields, "project": project}, number,
                   f"预算指标“{row['code']}”", changes)  # fmt: skip


def import_xlsx(
    kind: str, year: FiscalYear, content: bytes, *, actor=None, filename: str = ""
) -> ImportOutcome:
    """Validate every row, then write all of them in one transaction; raise ImportRejected otherwise."""
    if kind not in COLUMNS:
        raise ImportRejected([f"不支持的导入类型“{kind}”"])
    digest = hashlib.sha256(content).hexdigest()
    rows = _read_rows(kind, content)
    if not rows:
        raise ImportRejected(["文件中没有数据行"])
    errors: list[str] = []
    parsed, seen, numbers = [], {}, []
    valid = [(n, c) for n, c in rows if _check_required(kind, n, c, errors)]
    if kind == "targets":
        parsed, numbers = importers_year.validate_targets(year, valid, errors, _money), [n for n, _ in valid]
    elif kind == "basic_data":
        parsed, numbers = importers_year.validate_basic(year, valid, errors, _money), [n for n, _ in valid]
    for number, cells in valid if kind not in ("targets", "basic_data") else ():
        numbers.append(number)
        if kind == "budget_lines":
            parsed.append(_validate_line(year, number, cells, errors, seen))
        else:
            parsed.append(_validate_money_row(kind, year, number, cells, errors))
    if kind == "executions" and not errors:
        _number_details(parsed, numbers, errors)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        if ImportBatch.objects.filter(kind=kind, year=year, digest=digest).exists():
            return ImportOutcome(rows=len(parsed), created=0, updated=0, already_imported=True)
        if kind == "targets":
            created, updated, unchanged, changes = importers_year.write_targets(year, parsed, numbers)
        elif kind == "basic_data":
            created, updated, unchanged, changes = importers_year.write_basic(year, parsed)
        else:
            created, updated, unchanged, changes = _write(kind, year, parsed, numbers)
        batch = ImportBatch.objects.create(
            kind=kind, year=year, digest=digest, filename=filename[:200], rows=len(parsed), created=created,
            actor=actor,
        )  # fmt: skip
        record("performance.import", actor=actor, obj=batch,
               after={"kind": kind, "year": year.year, "rows": len(parsed), "created": created,
                      "updated": updated, "changes": changes})  # fmt: skip
    return ImportOutcome(len(parsed), created, updated, unchanged=unchanged, changes=changes)
