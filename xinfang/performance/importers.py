"""All-or-nothing .xlsx imports of budget lines, adjustments and execution entries (amounts in 元).

Every row is validated first; any error rejects the whole file with a row-level list of Chinese messages and
nothing is written. Rows are keyed naturally (line: year + 编码; adjustment: line + date + amount + 文号;
execution: line + 凭证号), so importing the same file again adds nothing.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook, load_workbook

from xinfang.audit.services import record
from xinfang.core.text import clean_text

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
    "executions": ["预算指标编码", "支付日期", "金额（元）", "支付凭证号", "支付方式"],
}  # fmt: skip
TITLES = {"budget_lines": "预算指标", "adjustments": "预算调整", "executions": "执行记录"}
REQUIRED = {
    "budget_lines": {"预算指标编码", "名称", "资金来源", "支出性质", "年初预算数（元）"},
    "adjustments": {"预算指标编码", "调整日期", "调整金额（元）", "调整原因"},
    "executions": {"预算指标编码", "支付日期", "金额（元）", "支付凭证号"},
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
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(f"{where}“{col}”的值“{value}”不是有效日期（应为 2025-03-31 格式）")
        return None


def _read_rows(kind: str, content: bytes) -> list[tuple[int, dict]]:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a non-xlsx upload
        raise ImportRejected(["文件不是有效的 .xlsx 工作簿"]) from None
    rows = list(wb.active.iter_rows(values_only=True))
    if not rows:
        raise ImportRejected(["工作表为空"])
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    missing = [c for c in COLUMNS[kind] if c not in header]
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
               "kind": str(cells.get("支付方式") or "")}  # fmt: skip
    if day is not None and day.year != year.year:
        errors.append(f"{where}日期 {day} 不在{year.year}年度内")
    return row


def _write(kind, year, parsed) -> tuple[int, int]:
    created = updated = 0
    for row in parsed:
        if kind == "budget_lines":
            project = None
            if row["project_code"]:
                project, _ = Project.objects.get_or_create(
                    year=year, code=row["project_code"], defaults={"name": row["project_name"]}
                )
            fields = {k: row[k] for k in ("name", "fund_source", "nature", "functional_class", "economic_class",
                                          "initial_amount", "carry_in")}  # fmt: skip
            _, made = BudgetLine.objects.update_or_create(
                year=year, code=row["code"], defaults={**fields, "project": project}
            )
        elif kind == "adjustments":
            _, made = BudgetAdjustment.objects.get_or_create(
                line=row["line"], date=row["date"], amount=row["amount"], document=row["document"],
                defaults={"reason": row["reason"]},
            )  # fmt: skip
        else:
            _, made = ExecutionEntry.objects.get_or_create(
                line=row["line"], voucher_ref=row["voucher_ref"],
                defaults={"date": row["date"], "amount": row["amount"], "kind": row["kind"]},
            )  # fmt: skip
        created += made
        updated += not made
    return created, updated


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
    parsed, seen = [], {}
    for number, cells in rows:
        if not _check_required(kind, number, cells, errors):
            continue
        if kind == "budget_lines":
            parsed.append(_validate_line(year, number, cells, errors, seen))
        else:
            parsed.append(_validate_money_row(kind, year, number, cells, errors))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        if ImportBatch.objects.filter(kind=kind, year=year, digest=digest).exists():
            return ImportOutcome(rows=len(parsed), created=0, updated=0, already_imported=True)
        created, updated = _write(kind, year, parsed)
        batch = ImportBatch.objects.create(
            kind=kind, year=year, digest=digest, filename=filename[:200], rows=len(parsed), created=created,
            actor=actor,
        )  # fmt: skip
        record("performance.import", actor=actor, obj=batch,
               after={"kind": kind, "year": year.year, "rows": len(parsed), "created": created})  # fmt: skip
    return ImportOutcome(rows=len(parsed), created=created, updated=updated)
