"""信访形势研判报告: the monthly analysis report as .docx (公文 layout from documents.docx_style).

Built from the statistics service (exact figures from the cases) for one month, compared with the month before
(环比) and the same month a year earlier (同比). Each composition has a bar chart (this month against the last,
drawn by report_charts with Pillow and the packaged Noto CJK font) above its table.

Targets the text compares against are the ones Panyu set itself (domain/petition.md §4.3, [seed]) and are
settings: XINFANG["REPORT_TARGETS"].
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import BinaryIO

from django.conf import settings
from docx.shared import Cm

from xinfang.documents.docx_style import (
    add_body,
    add_heading_cn,
    add_signature,
    add_table,
    add_title,
    new_document,
)

from .periods import month_bounds
from .ranking import unit_ranking, worst_units
from .report_charts import bars_png
from .scope import Scope
from .stats import StatsQuery, compute_stats
from .tables import FIGURE_ORDER, display_value

DEFAULT_TARGETS = {"timely_acceptance_rate": "98", "on_time_conclusion_rate": "98", "satisfaction_rate": "90"}


def parse_month(raw: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError with a Chinese message otherwise."""
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError("月份格式应为 YYYY-MM") from None


def _month(first: date, scope: Scope) -> dict:
    return compute_stats(StatsQuery(*month_bounds(first), scope))


def _change(now: int, before: int) -> str:
    if not before:
        return "—" if not now else "新增"
    pct = (now - before) * 100 / before
    return f"{'上升' if pct > 0 else '下降' if pct < 0 else '持平'}{abs(pct):.1f}%" if pct else "持平"


def _dimension_rows(key: str, this: dict, last: dict) -> list[list]:
    before = {r["key"]: r["count"] for r in last[key]["value"]}
    total = sum(r["count"] for r in this[key]["value"]) or 1
    return [
        [
            r["label"],
            r["count"],
            f"{100 * r['count'] / total:.1f}%",
            before.get(r["key"], 0),
            _change(r["count"], before.get(r["key"], 0)),
        ]  # fmt: skip
        for r in this[key]["value"]
    ]


def findings(this: dict, last: dict) -> list[str]:
    """研判: what moved and what falls short, each sentence from a figure."""
    out = []
    targets = {**DEFAULT_TARGETS, **settings.XINFANG.get("REPORT_TARGETS", {})}
    for key, target in targets.items():
        value = this[key]["value"]
        if value is not None and float(value) < float(target):
            out.append(f"{this[key]['label']}为 {value}%，低于 {target}% 的工作目标，需重点督促。")
    before = {r["key"]: r["count"] for r in last["by_category"]["value"]}
    rising = [(r["count"] - before.get(r["key"], 0), r) for r in this["by_category"]["value"]]
    rising = [(d, r) for d, r in rising if d > 0]
    if rising:
        d, r = max(rising, key=lambda x: x[0])
        out.append(
            f"“{r['label']}”类信访增加最多（{r['count']} 件，比上月多 {d} 件），应关注其成因并提前化解。"
        )
    for key in ("overdue_unaccepted_count", "overdue_unconcluded_count"):
        if this[key]["value"]:
            out.append(f"{this[key]['label'].removesuffix('件数')} {this[key]['value']} 件，应逐件督办。")
    if this["collective_batches"]["value"]:
        out.append(f"集体访 {this['collective_batches']['value']} 批 {this['collective_people']['value']} 人次，"
                   "应落实领导包案和属地稳控。")  # fmt: skip
    return out or ["本月各项指标平稳，未发现需要特别关注的异常变化。"]


def build(first: date, scope: Scope, out: BinaryIO, signer: str = "") -> None:
    """Write the report of the month starting `first` to `out`."""
    this = _month(first, scope)
    last = _month(month_bounds(first - timedelta(days=1))[0], scope)
    year_ago = _month(date(first.year - 1, first.month, 1), scope)
    unit_name = scope.unit.name if scope.unit else "全区"
    doc = new_document()
    add_title(doc, f"{unit_name}{first.year}年{first.month}月信访形势研判报告")
    total, prev, ago = (s["total_count"]["value"] for s in (this, last, year_ago))
    add_heading_cn(doc, "一、总体情况")
    add_body(doc, f"{first.year}年{first.month}月共登记信访事项 {total} 件，环比{_change(total, prev)}，"
                  f"同比{_change(total, ago)}。其中初件 {this['first_petition_count']['value']} 件、"
                  f"重件 {this['repeat_count']['value']} 件；集体访 {this['collective_batches']['value']} 批 "
                  f"{this['collective_people']['value']} 人次；越级访 {this['level_skipping_count']['value']} 件，"
                  f"进京访 {this['to_beijing_count']['value']} 件。")  # fmt: skip
    add_heading_cn(doc, "二、主要指标")
    rows = []
    for key in FIGURE_ORDER:
        f, p = this[key], last[key]
        ratio = f"{f['numerator']} / {f['denominator']}" if "denominator" in f else ""
        rows.append([f["label"], display_value(key, f["value"]), ratio, display_value(key, p["value"])])
    add_table(doc, ["指标", "本月", "分子 / 分母", "上月"], rows)
    sections = (("by_channel", "信访形式"), ("by_category", "内容分类"), ("by_nature", "信访目的"),
                ("by_place", "问题属地（镇街）"))  # fmt: skip
    add_heading_cn(doc, "三、信访构成")
    for i, (key, label) in enumerate(sections, 1):
        add_heading_cn(doc, f"（{'一二三四'[i - 1]}）按{label}", level=2)
        table_rows = _dimension_rows(key, this, last)
        chart = bars_png(f"按{label}（本月与上月件数）", [(r[0], r[1], r[3]) for r in table_rows])
        doc.add_picture(io.BytesIO(chart), width=Cm(15))
        add_table(doc, [label, "本月件数", "占比", "上月件数", "环比"], table_rows)
    add_heading_cn(doc, "四、责任单位办理情况")
    ranked, aside = unit_ranking(StatsQuery(*month_bounds(first), scope))
    add_table(doc, ["名次", "单位", "综合得分", "及时受理率", "按期办结率", "满意率"], [
        [s.rank, s.unit.name, s.score_str, *(f"{r['value']}%" if r["value"] else "—" for r in s.rates.values())]
        for s in ranked
    ])  # fmt: skip
    worst = worst_units(ranked)
    if worst:
        add_body(
            doc, "排名靠后的单位：" + "、".join(f"{s.unit.name}（{s.score_str}分）" for s in worst) + "。"
        )
    if aside:
        add_body(doc, "办件量不足、未参与排名的单位：" + "、".join(s.unit.name for s in aside) + "。")
    add_heading_cn(doc, "五、研判与建议")
    for i, text in enumerate(findings(this, last), 1):
        add_body(doc, f"{i}. {text}")
    add_signature(doc, signer or "信访局", month_bounds(first)[1] + timedelta(days=1))
    doc.save(out)


def filename(first: date) -> str:
    return f"信访形势研判报告-{first:%Y-%m}.docx"
