"""All-or-nothing .xlsx imports of 绩效目标 (indicator targets) and 基础数据 (收入, 三公经费, 人员, 政府采购).

Rows are validated first with Chinese row errors; nothing is written unless every row is valid (the caller,
``importers.import_xlsx``, owns the transaction, the file digest and the audit record).

绩效目标: one row per indicator; 项目编码 blank = the department-wide evaluation. The evaluation is created
when missing (its project must exist). A row whose 三级指标 already exists in that evaluation updates its
target fields (results typed on screen are kept) and bumps its version, so an open edit form cannot overwrite it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Max

from .editing import DEFINITION_FIELDS
from .exchange import OPERATORS
from .frameworks import DEFAULT_FRAMEWORK, framework_for
from .library import tree
from .models import Evaluation, FiscalYear, FundSource, IncomeRecord, Indicator, Project, ThreePublicExpense
from .money import to_decimal

COLUMNS = {
    "targets": ["项目编码", "一级指标", "二级指标", "三级指标", "运算符", "年度指标值", "度量单位", "分值", "评分标准",
                "指标解释"],
    "basic_data": ["类别", "项目", "本年预算数（元）", "本年数（元/人）", "上年决算数（元）"],
}  # fmt: skip
REQUIRED = {
    "targets": {"一级指标", "二级指标", "三级指标", "运算符", "年度指标值", "分值"},
    "basic_data": {"类别", "项目"},
}
TITLES = {"targets": "绩效目标", "basic_data": "基础数据（收入、三公经费、人员、政府采购）"}
STAFF = {"编制数": "authorised_headcount", "实际在职人数": "actual_headcount", "退休人员": "retirees"}
PROCUREMENT = {"政府采购预算": "procurement_planned", "政府采购实际": "procurement_actual"}
CATEGORIES = ("收入", "三公经费", "人员", "政府采购")


def _owner(year, code, where, errors, projects) -> Project | None | bool:
    if not code:
        return None
    if code not in projects:
        errors.append(f"{where}项目编码“{code}”在{year.year}年度不存在，请先导入预算指标")
        return False
    return projects[code]


def _score(raw, where, errors) -> Decimal | None:
    try:
        value = to_decimal(raw)
    except ValueError:
        value = None
    if value is None or value < 0 or value > 100 or value.as_tuple().exponent < -2:
        errors.append(f"{where}“分值”的值“{raw}”不是有效数字（0–100，最多两位小数）")
        return None
    return value


def validate_targets(year: FiscalYear, rows, errors, money) -> list[dict]:
    projects = {p.code: p for p in year.projects.all()}
    seen: dict[tuple, int] = {}
    parsed = []
    for number, cells in rows:
        where = f"第{number}行："
        code = str(cells.get("项目编码") or "").strip()
        project = _owner(year, code, where, errors, projects)
        kind = "project" if code else "department"
        allowed = tree(framework_for(kind, DEFAULT_FRAMEWORK[kind]).cost_branch)
        l1, l2, l3 = (str(cells.get(c) or "").strip() for c in ("一级指标", "二级指标", "三级指标"))
        if l1 not in allowed:
            errors.append(f"{where}一级指标“{l1}”无效，可选：{'、'.join(allowed)}")
        elif l2 not in allowed[l1]:
            errors.append(f"{where}二级指标“{l2}”不属于一级指标“{l1}”")
        operator = OPERATORS.get(str(cells.get("运算符") or "").strip())
        if operator is None:
            errors.append(f"{where}运算符“{cells.get('运算符')}”无效，可选：≥、≤、=、＞、＜、定性")
        weight = _score(cells.get("分值"), where, errors)
        key = (code, l3)
        if key in seen:
            errors.append(f"{where}三级指标“{l3}”与第{seen[key]}行重复")
        seen[key] = number
        parsed.append({"project": project, "level1": l1, "level2": l2, "level3": l3, "operator": operator,
                       "target": str(cells.get("年度指标值")).strip(), "unit": str(cells.get("度量单位") or "").strip(),
                       "weight": weight, "scoring_note": str(cells.get("评分标准") or "").strip(),
                       "definition": str(cells.get("指标解释") or "").strip()})  # fmt: skip
    return parsed


def write_targets(year: FiscalYear, parsed, numbers) -> tuple[int, int, int, list[str]]:
    created = updated = unchanged = 0
    changes: list[str] = []
    for row, number in zip(parsed, numbers, strict=True):
        project = row.pop("project")
        kind = Evaluation.Kind.PROJECT if project else Evaluation.Kind.DEPARTMENT
        evaluation, _ = Evaluation.objects.get_or_create(
            year=year, project=project, defaults={"kind": kind, "framework": DEFAULT_FRAMEWORK[kind]}
        )
        values = {f: row[f] for f in DEFINITION_FIELDS if f in row}
        existing = evaluation.indicators.filter(level3=row["level3"]).first()
        if existing is None:
            order = (evaluation.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
            Indicator.objects.create(evaluation=evaluation, order=order, **values)
            created += 1
            continue
        moved = {k: (getattr(existing, k), v) for k, v in values.items() if getattr(existing, k) != v}
        if not moved:
            unchanged += 1
            continue
        Indicator.objects.filter(pk=existing.pk).update(**values, version=F("version") + 1)
        changes += [f"第{number}行：指标“{row['level3']}”{Indicator._meta.get_field(k).verbose_name} {old} → {new}"
                    for k, (old, new) in moved.items()]  # fmt: skip
        updated += 1
    return created, updated, unchanged, changes


def validate_basic(year: FiscalYear, rows, errors, money) -> list[dict]:
    sources = {label: key for key, label in FundSource.choices} | {key: key for key in FundSource.values}
    items = {label: key for key, label in ThreePublicExpense.Item.choices}
    parsed, seen = [], {}
    for number, cells in rows:
        where = f"第{number}行："
        category, item = str(cells["类别"]).strip(), str(cells["项目"]).strip()
        budget = money(cells.get("本年预算数（元）"), "本年预算数（元）", errors, where)
        amount = money(cells.get("本年数（元/人）"), "本年数（元/人）", errors, where)
        prior = money(cells.get("上年决算数（元）"), "上年决算数（元）", errors, where)
        names = {"收入": sources, "三公经费": items, "人员": STAFF, "政府采购": PROCUREMENT}.get(category)
        if names is None:
            errors.append(f"{where}类别“{category}”无效，可选：{'、'.join(CATEGORIES)}")
            continue
        if item not in names:
            choices = [k for k in names if k not in FundSource.values]
            errors.append(f"{where}{category}的项目“{item}”无效，可选：{'、'.join(choices)}")
            continue
        if category == "人员" and amount is not None and amount != amount.to_integral_value():
            errors.append(f"{where}人数应为整数")
        if (category, names[item]) in seen:
            errors.append(f"{where}“{category}-{item}”与第{seen[(category, names[item])]}行重复")
        seen[(category, names[item])] = number
        parsed.append(
            {"category": category, "key": names[item], "budget": budget, "amount": amount, "prior": prior}
        )
    return parsed


def write_basic(year: FiscalYear, parsed) -> tuple[int, int, int, list[str]]:
    created = updated = 0
    z = Decimal(0)
    year_fields = {}
    for row in parsed:
        if row["category"] == "收入":
            _, made = IncomeRecord.objects.update_or_create(
                year=year, fund_source=row["key"],
                defaults={"amount": row["amount"] or z, "prior_year_final": row["prior"] or z})  # fmt: skip
        elif row["category"] == "三公经费":
            _, made = ThreePublicExpense.objects.update_or_create(
                year=year, item=row["key"],
                defaults={"budget": row["budget"] or z, "final": row["amount"] or z, "prior_final": row["prior"] or z})  # fmt: skip
        else:
            value = row["amount"] or z
            year_fields[row["key"]] = int(value) if row["category"] == "人员" else value
            made = False
        created += made
        updated += not made
    if year_fields:
        FiscalYear.objects.filter(pk=year.pk).update(**year_fields, version=F("version") + 1)
    return created, updated, 0, []
