"""The self-evaluation report (.docx). Sections are data (``SECTIONS``): a heading and either a narrative key
(text written by people) or a generated block. The checker's findings go to an appendix for the preparer and
never into 存在问题, which is written by people. One total and one grade, printed once in 自评结论.
"""

from __future__ import annotations

import io
from decimal import Decimal

from xinfang.documents.docx_style import (
    add_body,
    add_heading_cn,
    add_signature,
    add_table,
    add_title,
    new_document,
)

from .labels import finding_label
from .money import s2
from .report_data import (
    ReportData,
    budget_breakdown,
    coverage,
    deviations,
    expenditure_rows,
    income_rows,
    indicator_rows,
    pct,
    wan,
)

# (heading, heading level, block): block "n:key" prints the narrative text, "auto:name" a generated block.
SECTIONS = {
    "department": [
        ("一、部门（单位）基本情况", 1, None),
        ("（一）部门职能", 2, "n:functions"),
        ("（二）机构设置及人员情况", 2, "auto:staff"),
        ("（三）年度总体工作和重点工作任务", 2, "n:key_work"),
        ("（四）部门整体收支情况", 2, "auto:money"),
        ("二、绩效自评情况", 1, None),
        ("（一）自评结论", 2, "auto:conclusion"),
        ("（二）绩效目标及完成情况", 2, "auto:goals"),
        ("（三）项目自评覆盖率", 2, "auto:coverage"),
        ("（四）偏离原因", 2, "auto:deviations"),
        ("（五）履职效能分析", 2, "n:effectiveness"),
        ("（六）管理效率分析", 2, "n:efficiency"),
        ("三、存在问题及改进措施", 1, None),
        ("（一）存在的主要问题", 2, "n:problems"),
        ("（二）改进措施", 2, "n:measures"),
        ("四、结果应用", 1, "n:results_use"),
        ("五、其他需要说明的情况", 1, "n:other"),
        ("六、附表", 1, "auto:tables"),
    ],
    "project": [
        ("一、项目基本情况", 1, None),
        ("（一）项目概况", 2, "n:functions"),
        ("（二）项目资金情况", 2, "auto:money"),
        ("二、绩效自评情况", 1, None),
        ("（一）自评结论", 2, "auto:conclusion"),
        ("（二）绩效目标及完成情况", 2, "auto:goals"),
        ("（三）偏离原因", 2, "auto:deviations"),
        ("（四）项目管理情况", 2, "n:efficiency"),
        ("三、存在问题及改进措施", 1, None),
        ("（一）存在的主要问题", 2, "n:problems"),
        ("（二）改进措施", 2, "n:measures"),
        ("四、结果应用", 1, "n:results_use"),
        ("五、其他需要说明的情况", 1, "n:other"),
        ("六、附表", 1, "auto:tables"),
    ],
}
PLACEHOLDER = "（请填写）"
INDICATOR_HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施"]  # fmt: skip
BUDGET_HEADERS = [
    "",
    "年初预算数（万元）",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "分值",
    "执行率",
    "得分",
]


def _m(value) -> str:
    return "—" if value is None else s2(value)


def _cell(value, fmt: str) -> str:
    if value is None:
        return ""
    if fmt == "0.00%":
        return pct(value * 100)
    return str(value) if fmt == "0" else s2(value)


def _narrative(doc, data: ReportData, key: str) -> None:
    text = data.text(key)
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()] or [PLACEHOLDER]
    for p in paragraphs:
        add_body(doc, p)


def _staff(doc, data):
    _narrative(doc, data, "organisation")
    y = data.evaluation.year
    rate = pct(y.actual_headcount * 100 / Decimal(y.authorised_headcount)) if y.authorised_headcount else "—"
    add_body(doc, f"本部门编制数 {y.authorised_headcount} 名，实际在职人数 {y.actual_headcount} 名，"
                  f"在职人员控制率 {rate}；退休人员 {y.retirees} 名。")  # fmt: skip


def _money(doc, data):
    b, r = data.ev.budget, data.result
    add_body(doc, f"{data.ev.year}年年初预算数 {_m(b.initial)} 万元，全年预算数 {_m(b.full_year)} 万元，"
                  f"全年执行数 {_m(b.executed)} 万元，预算执行率 {pct(r.execution_rate)}。")  # fmt: skip
    if data.ev.kind == "project":
        return
    incomes = income_rows(data)
    if incomes:
        total = sum((row["amount"] for row in incomes), Decimal(0))
        parts = []
        for row in incomes:
            if row["change_pct"] is None:
                trend = "上年基数为 0，不可比"
            else:
                trend = (
                    f"{'增加' if row['change'] >= 0 else '减少'} {s2(abs(row['change']))} 万元，"
                    f"{'增长' if row['change'] >= 0 else '下降'} {s2(abs(row['change_pct']))}%"
                )
            parts.append(f"{row['label']} {s2(row['amount'])} 万元，比上年决算数{trend}")
        add_body(doc, f"1. 收入情况：本年收入 {s2(total)} 万元。其中" + "；".join(parts) + "。")
    spend = expenditure_rows(data)
    if spend:
        text = "；".join(
            f"{row['label']} {_m(row['executed'])} 万元，占 {pct(row['share'])}" for row in spend
        )
        add_body(doc, f"2. 支出情况：{text}。")
    tp = data.ledgers.three_public if data.ledgers else []
    if tp:
        budget = sum((t[2] for t in tp), Decimal(0))
        final = sum((t[3] for t in tp), Decimal(0))
        items = "；".join(f"{t[0]} {_m(wan(t[3]))} 万元" for t in tp)
        add_body(doc, f"3. 三公经费：预算 {_m(wan(budget))} 万元，决算 {_m(wan(final))} 万元。其中{items}。")
    y = data.evaluation.year
    if y.procurement_planned or y.procurement_actual:
        rate = pct(y.procurement_actual * 100 / y.procurement_planned) if y.procurement_planned else "—"
        add_body(doc, f"4. 政府采购：计划 {_m(wan(y.procurement_planned))} 万元，实际 {_m(wan(y.procurement_actual))} 万元，"
                      f"执行率 {rate}。")  # fmt: skip


def _conclusion(doc, data):
    r = data.result
    if r.total is None:
        add_body(doc, "本年度没有可计分的绩效指标（未设置或均未计分），不计自评总分和等级。")
    else:
        add_body(doc, f"经自评，{data.ev.year}年度预算执行率 {pct(r.execution_rate)}，执行率得分 {_m(r.execution_score)} 分；"
                      f"自评总分 {s2(r.total)} 分，评价等级为“{r.grade}”。")  # fmt: skip
    _optional(doc, data, "conclusion")


def _optional(doc, data, key):
    for p in (data.text(key) or "").splitlines():
        if p.strip():
            add_body(doc, p.strip())


def _goals(doc, data):
    _optional(doc, data, "goals")
    rows = indicator_rows(data)
    add_body(doc, f"本年度共设置绩效指标 {len(rows)} 项。")
    for n, row in enumerate(rows, 1):
        score = "未计分" if row["score"] is None else f"{s2(row['score'])} 分（分值 {_m(row['weight'])}）"
        add_body(
            doc,
            f"{n}. {row['level3']}：年度指标值 {row['target'] or '—'}，实际完成值 {row['actual'] or '—'}，得分 {score}。",
        )
    if data.ledgers:
        add_body(doc, "共性指标：" + "；".join(f"{c.name} {pct(c.rate)}" for c in data.ledgers.common) + "。")


def _coverage(doc, data):
    c = coverage(data)
    add_body(doc, f"本年度共有项目 {c['projects']} 个，已开展绩效自评 {c['evaluated']} 个，按项目个数覆盖率 "
                  f"{pct(c['by_count'])}；按项目预算 {_m(c['budget'])} 万元计，已自评 {_m(c['evaluated_budget'])} 万元，"
                  f"覆盖率 {pct(c['by_budget'])}。")  # fmt: skip


def _deviations(doc, data):
    items = deviations(data)
    for n, text in enumerate(items, 1):
        add_body(doc, f"{n}. {text}")
    if not items:
        add_body(doc, "各项绩效指标均已完成，无偏离。")
    _optional(doc, data, "deviation")


def _tables(doc, data):
    from .report_xlsx import basic_rows

    n = 1
    if data.ev.kind == "department":
        add_body(doc, f"附表{n}：部门整体支出绩效评价基础数据表（单位：万元）")
        add_table(doc, ["项目", "明细", "上年决算数", "本年预算数", "本年决算数"],
                  [[a, b, *(_cell(v, fmt) for v in values)] for a, b, *values, fmt in basic_rows(data)])  # fmt: skip
        n += 1
    add_body(doc, f"附表{n}：{data.table_title}")
    if data.ev.kind == "project":
        add_table(doc, ["项目名称", "主管部门", "实施单位"], [project_header(data)])
    b, r = data.ev.budget, data.result
    breakdown = [
        [label, _m(i), _m(f), _m(e), "", pct(rate), ""] for label, i, f, e, rate in budget_breakdown(data)
    ]
    add_table(doc, BUDGET_HEADERS, [["年度资金总额", _m(b.initial), _m(b.full_year), _m(b.executed),
                                     s2(data.ev.execution_weight), pct(r.execution_rate), _m(r.execution_score)],
                                    *breakdown])  # fmt: skip
    add_table(doc, ["年度总体目标", "预期目标", "实际完成情况"],
              [["", data.text("annual_goal") or PLACEHOLDER, data.text("goal_outcome") or PLACEHOLDER]])  # fmt: skip
    rows = [[row["level1"], row["level2"], row["level3"], row["target"], row["actual"], _m(row["weight"]),
             "未计分" if row["score"] is None else s2(row["score"]), row["reason"]] for row in indicator_rows(data)]  # fmt: skip
    if data.result.total is not None:
        rows.append(["总分", "", "", "", "", "", s2(data.result.total), f"等级：{data.result.grade}"])
    add_table(doc, INDICATOR_HEADERS, rows)
    add_body(doc, f"填表人：{data.preparer or '          '}    联系电话：{data.text('phone') or '          '}    "
                  f"填报日期：{data.generated_on:%Y年%m月%d日}")  # fmt: skip


def project_header(data: ReportData) -> list[str]:
    project = data.evaluation.project
    return [data.ev.project or "", data.ev.organisation,
            (project.implementing_unit if project else "") or data.ev.organisation]  # fmt: skip


BLOCKS = {"staff": _staff, "money": _money, "conclusion": _conclusion, "goals": _goals, "coverage": _coverage,
          "deviations": _deviations, "tables": _tables}  # fmt: skip


def _appendix(doc, data):
    add_heading_cn(doc, "附录：系统校核发现（供填报人核对，定稿前删除）", 1)
    if not data.findings:
        add_body(doc, "未发现需更正的问题。")
    for n, f in enumerate(data.findings, 1):
        add_body(doc, f"{n}. 【{finding_label(f.code)}】{f.message}")


def build_docx(data: ReportData, *, appendix: bool = True) -> bytes:
    doc = new_document()
    add_title(doc, data.title)
    for heading, level, block in SECTIONS[data.ev.kind]:
        add_heading_cn(doc, heading, level)
        if block and block.startswith("n:"):
            _narrative(doc, data, block[2:])
        elif block:
            BLOCKS[block[5:]](doc, data)
    add_signature(doc, data.ev.organisation or "（预算单位）", data.generated_on)
    if appendix:
        _appendix(doc, data)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def section_headings(kind: str) -> list[str]:
    return [heading for heading, _, _ in SECTIONS[kind]]
