"""The registrars' ledger (台账) import: many cases from one .xlsx or .csv, all or nothing.

Every row becomes a `RegistrationInput` and goes through `validate_registration`, the rules the registration
page uses (the category and organisations read once, `Preloaded`); any error rejects the whole file with a
row-level list of Chinese messages (第N行：…) and nothing is written. Rows are keyed naturally: the 上级交办编号
when the row has one (case-insensitive, against every case, however registered), else a hash of the row's
normalised values (kept in the register event's data); a row whose key is already there is skipped, so
importing the same file twice adds nothing. Valid rows are written by `ledger_write` (COPY on PostgreSQL).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xinfang.core.dates import parse_date
from xinfang.core.errors import ValidationFailed
from xinfang.core.text import decode_csv

from .choices import Channel, IdType, Nature, UpstreamLevel
from .models import Category
from .registration import PetitionerInput, RegistrationInput
from .validation import Preloaded, Resolved, validate_registration

# (header, field): case fields by RegistrationInput name, the petitioner's prefixed "person.".
COLUMNS = (
    ("收到日期", "received_date"),
    ("信访形式", "channel"),
    ("标题", "title"),
    ("反映内容", "content"),
    ("诉求", "requests"),
    ("内容分类", "category"),
    ("信访目的", "nature"),
    ("问题属地", "place_organisation"),
    ("问题发生地址", "place_address"),
    ("被反映单位", "accused_organisation"),
    ("人数", "headcount"),
    ("信访人姓名", "person.name"),
    ("证件号码", "person.id_number"),
    ("联系电话", "person.phone"),
    ("地址", "person.address"),
    ("上级交办编号", "upstream_ref"),
    ("交办层级", "upstream_level"),
)
HEADERS = tuple(h for h, _ in COLUMNS)
HEADER_OF = {field: header for header, field in COLUMNS}  # a validation error's field → its column
REQUIRED = ("收到日期", "信访形式", "标题", "反映内容", "内容分类", "信访目的", "信访人姓名")
# The instructions sheet's example row; its category is the first one in the database (see template()).
EXAMPLE = (
    "2026-03-02", "来信", "反映小区噪声扰民", "翠湖雅苑旁工地夜间施工，噪声扰民，请求处理。", "请求停止夜间施工",
    None, "申诉求决", "", "翠湖雅苑3栋", "", 1, "张伟", "11010519491231002X", "13800138000",
    "示例区某街道1号", "", "",
)  # fmt: skip
TEXT_COLUMNS = (
    "证件号码",
    "联系电话",
    "上级交办编号",
)  # formatted as text: Excel keeps 15 digits of a number
CHANNEL_HINT = f"（可选：{'、'.join(Channel.labels)}）"
NATURE_HINT = f"（可选：{'、'.join(Nature.labels)}）"
MAX_ROWS = 500_000
MAX_ERRORS = 200  # messages listed; the count says how many more


class LedgerRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors[:5]))
        self.errors = errors


@dataclass
class LedgerRow:
    """One valid row: its line number in the file, the resolved registration and its natural key."""

    line: int
    resolved: Resolved
    key: str


@dataclass
class LedgerOutcome:
    rows: int
    created: int
    skipped: list[int] = field(default_factory=list)  # line numbers already imported
    first_number: str = ""
    last_number: str = ""
    overdue: int = 0  # new cases already past their triage deadline (an old ledger's rows)

    def summary(self) -> list[tuple[str, bool]]:
        """What the page and the command say, a sentence each, with whether it is a warning."""
        if not self.created:
            return [(f"文件中的 {self.rows} 行此前均已导入，未登记新件。", False)]
        lines = [
            (
                f"导入成功：共 {self.rows} 行，新登记 {self.created} 件，编号 {self.first_number} 至 {self.last_number}。",
                False,
            )
        ]
        if self.overdue:
            lines.append((f"其中 {self.overdue} 件按收到日期计算已超过分流期限，请尽快转送或交办。", True))
        if self.skipped:
            shown = "、".join(str(n) for n in self.skipped[:20]) + ("等" if len(self.skipped) > 20 else "")
            lines.append((f"已跳过此前导入过的 {len(self.skipped)} 行（第{shown}行）。", False))
        return lines


# --- the template -------------------------------------------------------------------------------


def template() -> bytes:
    """The downloadable template: an empty data sheet (the headers, required ones marked * and in red, the ID
    and phone columns formatted as text) and a sheet of instructions with an example row, the values the choice
    columns accept and every content category (code and 一级/二级 name) this database knows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "信访台账"
    ws.append([f"{h}*" if h in REQUIRED else h for h in HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="C00000" if cell.value.endswith("*") else "000000")
    widths = (12, 10, 24, 40, 20, 20, 10, 12, 16, 14, 6, 10, 20, 14, 20, 16, 8)
    for i, (header, width) in enumerate(zip(HEADERS, widths, strict=True), start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        if header in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):  # a column style alone is not applied by every spreadsheet program
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"

    guide = wb.create_sheet("填写说明")
    leaves = list(
        Category.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent")
        .order_by("code")
    )
    example = list(EXAMPLE)
    example[HEADERS.index("内容分类")] = f"{leaves[0].parent.name}/{leaves[0].name}" if leaves else ""
    lines = [
        ["在“信访台账”工作表中从第2行起每行填写一件信访事项；标 * 的列必填。本工作表仅供参考，不会被导入。"],
        [
            "任何一行有误，整个文件都不会导入，页面会列出每一行的问题；同一文件再次导入时，已导入的行自动跳过。"
        ],
        [
            "证件号码、联系电话请以文本格式填写（模板中已设为文本）：Excel 会把18位数字改成科学计数法并丢失末几位。"
        ],
        ["收到日期可写 2026-03-02、2026/3/2 或 2026年3月2日；办理期限从收到日期起算。"],
        [],
        ["示例行（示范格式：复制到“信访台账”工作表即可导入，正式导入时请改为实际登记内容，切勿原样保留）："],
        list(HEADERS),
        example,
        [],
        ["信访形式可填：", "、".join(Channel.labels)],
        ["信访目的可填：", "、".join(Nature.labels)],
        ["交办层级可填：", "、".join(UpstreamLevel.labels), "（仅上级交办件）"],
        [],
        ["内容分类（填编码或“一级/二级”名称）："],
        ["编码", "一级分类", "二级分类"],
        *([c.code, c.parent.name, c.name] for c in leaves),
    ]
    for line in lines:
        guide.append(line)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["C"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- reading the file ---------------------------------------------------------------------------


def read_rows(content: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """(line number, {header: value}) for every non-empty data row of an .xlsx or .csv file."""
    if content[:4] == b"PK\x03\x04":
        table = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # Named as a workbook but not one (an old .xls, or another file renamed): say so, not "missing columns".
        raise LedgerRejected(["文件不是有效的 .xlsx 工作簿（不支持旧版 .xls，请在 Excel 中另存为 .xlsx）"])
    else:
        table = list(csv.reader(io.StringIO(_decode(content), newline="")))
    if not table:
        raise LedgerRejected(["文件为空"])
    header = [str(c).strip().rstrip("*＊").strip() if c is not None else "" for c in table[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise LedgerRejected([f"第1行：缺少列“{'”“'.join(missing)}”，请使用导入模板"])
    places = [(i, h) for i, h in enumerate(header) if h in HEADERS]
    out = []
    for line, values in enumerate(table[1:], start=2):
        cells = {h: values[i] for i, h in places if i < len(values) and values[i] not in (None, "")}
        if any(str(v).strip() for v in cells.values()):
            out.append((line, cells))
    if len(out) > MAX_ROWS:
        raise LedgerRejected([f"文件超过{MAX_ROWS}行，请分批导入"])
    return out


def _xlsx_rows(content: bytes) -> list[tuple]:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise LedgerRejected(["文件不是有效的 .xlsx 工作簿"]) from None
    return list(wb.active.iter_rows(values_only=True))


def _decode(content: bytes) -> str:
    text = decode_csv(content)
    if text is None:
        raise LedgerRejected(["无法识别文件编码：请保存为 .xlsx，或 UTF-8 / GBK 编码的 .csv"])
    return text


# --- cells to a registration --------------------------------------------------------------------


class Names:
    """What a ledger may name, read once: choices by code or label, categories by code, 一级/二级 name path
    or a name that is unique, organisations by code or a unique name."""

    def __init__(self, refs: Preloaded):
        self.channel = _choice_map(Channel)
        self.nature = _choice_map(Nature)
        self.level = _choice_map(UpstreamLevel)
        self.category = _unique_names(
            (c.pk, [c.code, c.name, f"{c.parent.name}/{c.name}" if c.parent_id else c.name])
            for c in refs.categories.values()
        )
        self.organisation = _unique_names((o.pk, [o.code or "", o.name]) for o in refs.organisations.values())


def _choice_map(choices) -> dict[str, str]:
    return {
        **{label: value for value, label in choices.choices},
        **{value: value for value in choices.values},
    }


def _unique_names(items) -> dict[str, int | None]:
    """name → pk; a name two rows share maps to None (ambiguous)."""
    out: dict[str, int | None] = {}
    for pk, names in items:
        for name in {n.strip() for n in names if n and n.strip()}:
            out[name] = pk if out.get(name, pk) == pk else None
    return out


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an ID number or phone typed as a number
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _named(table: dict, value, header: str, errors: list[str], hint: str = "") -> str | int | None:
    text = _text(value).replace(" / ", "/").replace("／", "/")
    if not text:
        return None
    found = table.get(text)
    if found is None:
        why = "名称不唯一，请填写编码" if text in table else f"无法识别{hint}"
        errors.append(f"“{header}”的值“{text}”{why}")
    return found


def to_input(cells: dict, names: Names, errors: list[str]) -> RegistrationInput:
    """The registration a row describes; what cannot be read is added to `errors` (without the row prefix)."""
    values = {f: cells.get(h) for h, f in COLUMNS}
    received = None
    if values["received_date"] is not None:
        received = parse_date(values["received_date"])
        if received is None:
            errors.append(
                f"“收到日期”的值“{_text(values['received_date'])}”不是有效日期（可写 2026-03-02、2026/3/2 或 2026年3月2日）"
            )
    headcount = 1
    if values["headcount"] is not None:
        try:
            headcount = int(float(_text(values["headcount"])))
        except ValueError:
            errors.append(f"“人数”的值“{_text(values['headcount'])}”不是整数")
    if isinstance(values["person.id_number"], int | float):
        # Excel stores an 18-digit number with 15 significant digits: the last ones are already lost.
        errors.append(
            "“证件号码”须以文本格式填写（Excel 把18位数字改成了科学计数法，末几位已丢失），请将该列设为文本后重新录入"
        )
        values["person.id_number"] = None
    person = PetitionerInput(
        name=_text(values["person.name"] or ""),
        id_type=IdType.RESIDENT_ID,
        id_number=_text(values["person.id_number"] or "").replace(" ", "").upper(),
        phone=_text(values["person.phone"] or "").replace(" ", ""),
        address=_text(values["person.address"] or ""),
    )
    return RegistrationInput(
        channel=_named(names.channel, values["channel"] or "", "信访形式", errors, CHANNEL_HINT) or "",
        title=_text(values["title"] or ""),
        content=_text(values["content"] or ""),
        requests=_text(values["requests"] or ""),
        category=_named(
            names.category, values["category"] or "", "内容分类", errors, "（填写编码或“一级/二级”名称）"
        ),
        nature=_named(names.nature, values["nature"] or "", "信访目的", errors, NATURE_HINT) or "",
        received_date=received,
        petitioners=[person],
        upstream_ref=_text(values["upstream_ref"] or ""),
        upstream_level=_named(
            names.level, values["upstream_level"] or "", "交办层级", errors, "（国家、省、市）"
        )
        or "",
        accused_organisation=_named(
            names.organisation, values["accused_organisation"] or "", "被反映单位", errors
        ),
        place_organisation=_named(names.organisation, values["place_organisation"] or "", "问题属地", errors),
        place_address=_text(values["place_address"] or ""),
        headcount=headcount,
    )


def natural_key(resolved: Resolved) -> str:
    """The row's identity across imports: its 上级交办编号, else a hash of its normalised values."""
    data = resolved.data
    if data.upstream_ref:
        return f"ref:{data.upstream_ref.upper()}"
    p = data.petitioners[0]
    values = [str(data.received_date), data.channel, data.title, data.content, data.requests,
              resolved.category.pk, data.nature, p.name, p.id_number.upper(), p.phone]  # fmt: skip
    digest = hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:32]
    return f"row:{digest}"


def validate_rows(rows: list[tuple[int, dict]], actor) -> list[LedgerRow]:
    """Every row through the registration rules; raises LedgerRejected listing every row's errors."""
    refs = Preloaded()
    names = Names(refs)
    errors: list[str] = []
    valid: list[LedgerRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        problems = [f"“{h}”不能为空" for h in REQUIRED if h not in cells]
        data = to_input(cells, names, problems)
        flagged = [h for h in HEADERS if any(m.startswith(f"“{h}”") for m in problems)]
        try:
            resolved = validate_registration(data, actor, refs=refs)
        except ValidationFailed as exc:
            for key, messages in exc.errors.items():
                if HEADER_OF.get(key.replace("petitioners.0.", "person.")) in flagged:
                    continue  # the column's own message (blank, or a name not found) already says it
                problems += [m.replace("第1名信访人的", "信访人") for m in messages]  # one petitioner a row
            resolved = None
        if resolved is not None and not problems:
            key = natural_key(resolved)
            if key in seen:
                what = "上级交办编号相同" if key.startswith("ref:") else "各项内容完全相同"
                problems.append(f"与第{seen[key]}行重复（{what}）")
            else:
                seen[key] = line
                valid.append(LedgerRow(line, resolved, key))
        errors += [f"第{line}行：{m}" for m in dict.fromkeys(problems)]
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(f"……另有 {len(errors) - MAX_ERRORS} 条错误未列出")
        raise LedgerRejected(shown)
    return valid
