"""The 部门整体 / 项目支出绩效自评报告 (.docx) and its 附件 tables (.xlsx), filled from one evaluation.

Section lists are data (``SECTIONS``, domain/performance.md §7); narrative blocks come from
``Evaluation.narrative`` (edited in the UI), figures and tables from the scored exchange dataclasses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from xinfang.audit.services import record
from xinfang.documents.docx_style import (
    add_body,
    add_heading_cn,
    add_signature,
    add_table,
    add_title,
    new_document,
)

from .exchange import SelfEvaluation
from .findings import Finding
from .models import Evaluation, ReportJob, ThreePublicExpense
from .money import s2, wan
from .results import run
from .scoring import Result
from .selectors import to_exchange

# (narrative key, heading) per report type; "auto" blocks are generated from data.
SECTIONS = {
    "department": [
        ("basic", "一、基本情况"),
        ("goals", "二、绩效目标"),
        ("conclusion", "三、自评结论"),
        ("effectiveness", "四、履职效能分析"),
        ("efficiency", "五、管理效率分析"),
        ("problems", "六、存在问题"),
        ("measures", "七、改进措施"),
    ],
    "project": [
        ("basic", "一、基本情况"),
        ("goals", "二、绩效目标"),
        ("conclusion", "三、自评结论"),
        ("effectiveness", "四、绩效指标分析"),
        ("efficiency", "五、项目管理情况"),
        ("problems", "六、存在问题"),
        ("measures", "七、改进措施"),
    ],
}
INDICATOR_HEADERS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
BASIC_HEADERS = ["项目", "明细", "上年决算数/数值", "本年预算数（万元）", "本年决算数（万元）"]
BUDGET_HEADERS = ["年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "分值", "执行率", "得分"]


@dataclass
class ReportData:
    evaluation: Evaluation
    ev: SelfEvaluation
    result: Result
    findings: list[Finding]

    @property
    def title(self) -> str:
        project = self.ev.project or ""
        owner = (
            (project if project.endswith("项目") else f"{project}项目")
            if self.ev.kind == "project"
            else "部门整体"
        )
        return f"{self.ev.year}年度{self.ev.organisation}{owner}支出绩效自评报告"

    @property
    def table_title(self) -> str:
        return "项目支出绩效自评表" if self.ev.kind == "project" else "部门整体支出绩效自评表"


def collect(evaluation: Evaluation) -> ReportData:
    ev = to_exchange(evaluation)
    result, findings = run(ev)
    return ReportData(evaluation, ev, result, findings)


def _amount(value) -> str:
    return "" if value is None else s2(value)


def _with_unit(value: str | None, unit: str) -> str:
    if not value:
        return ""
    return value if not value[-1].isdigit() else f"{value}{unit}"


def budget_row(data: ReportData) -> list[str]:
    b, r = data.ev.budget, data.result
    rate = f"{s2(r.execution_rate)}%" if r.execution_rate is not None else ""
    return [_amount(b.initial), _amount(b.full_year), _amount(b.executed), s2(data.ev.execution_weight), rate,
            _amount(r.execution_score)]  # fmt: skip


def indicator_rows(data: ReportData) -> list[list[str]]:
    rows = []
    for sc in data.result.indicators:
        ind = data.ev.indicators[sc.index]
        rows.append([
            ind.level1, ind.level2, ind.level3, _with_unit(ind.target, ind.unit),
            _with_unit(ind.actual, ind.actual_unit or ind.unit), s2(ind.weight) or "",
            s2(sc.score) if sc.score is not None else "未计分", ind.deviation_reason,
        ])  # fmt: skip
    return rows


def basic_data_rows(data: ReportData) -> list[list[str]]:
    year = data.evaluation.year
    rows = [
        ["财政供养人员情况", "编制数", str(year.authorised_headcount), "", ""],
        ["", "实际在职人数", str(year.actual_headcount), "", ""],
    ]
    if year.authorised_headcount:
        rate = s2(year.actual_headcount * 100 / Decimal(year.authorised_headcount))
        rows.append(["", "在职人员控制率", f"{rate}%", "", ""])
    for item in ThreePublicExpense.objects.filter(year=year).order_by("item"):
        rows.append(
            ["三公经费", item.get_item_display(), wan(item.prior_final), wan(item.budget), wan(item.final)]
        )
    if year.procurement_planned or year.procurement_actual:
        rows.append(
            ["政府采购", "政府采购金额", "", wan(year.procurement_planned), wan(year.procurement_actual)]
        )
    total = year.three_public.aggregate(b=Sum("budget"), f=Sum("final"))
    if total["b"] is not None:
        rows.append(["三公经费", "合计", "", wan(total["b"]), wan(total["f"])])
    return rows


def conclusion_text(data: ReportData) -> str:
    b, r = data.ev.budget, data.result
    text = (
        f"{data.ev.year}年全年预算数 {_amount(b.full_year)} 万元，执行数 {_amount(b.executed)} 万元，"
        f"预算执行率 {s2(r.execution_rate) or '—'}%，执行率得分 {_amount(r.execution_score)} 分。"
    )
    if r.total is not None:
        text += f"按评分规则计算，自评总分 {s2(r.total)} 分，评价等级为“{r.grade}”。"
    if r.claimed_total is not None:
        text += f"各项自评得分合计 {s2(r.claimed_total)} 分（{r.claimed_grade}）。"
    return text


def build_docx(data: ReportData) -> bytes:
    doc = new_document()
    add_title(doc, data.title)
    narrative = data.evaluation.narrative or {}
    for key, heading in SECTIONS[data.ev.kind]:
        add_heading_cn(doc, heading, 1)
        if key == "conclusion":
            add_body(doc, conclusion_text(data))
        if key == "goals" and data.ev.indicators:
            add_body(
                doc,
                f"本年度共设置绩效指标 {len(data.ev.indicators)} 项，执行率分值 {s2(data.ev.execution_weight)} 分。",
            )
        if key == "effectiveness":
            for sc in data.result.indicators:
                ind = data.ev.indicators[sc.index]
                add_body(doc, f"{sc.index + 1}. {ind.level3 or '（未命名）'}：年度指标值 {_with_unit(ind.target, ind.unit) or '—'}，"
                              f"实际完成值 {_with_unit(ind.actual, ind.actual_unit or ind.unit) or '—'}，"
                              f"得分 {s2(sc.score) if sc.score is not None else '未计分'}。")  # fmt: skip
        if key == "problems" and data.findings:
            add_body(doc, "经系统校核，发现以下需说明或更正的问题：")
            for n, f in enumerate(data.findings, 1):
                add_body(doc, f"（{n}）{f.message}。")
        for paragraph in (narrative.get(key) or "").splitlines():
            if paragraph.strip():
                add_body(doc, paragraph.strip())
    add_heading_cn(doc, "八、附件", 1)
    if data.ev.kind == "project":
        add_body(doc, f"附件：{data.table_title}")
        add_table(doc, ["项目名称", "主管部门", "实施单位"], [project_header(data)])
    else:
        add_body(doc, "附件1：部门整体支出绩效评价基础数据表")
        add_table(doc, BASIC_HEADERS, basic_data_rows(data))
        add_body(doc, f"附件2：{data.table_title}")
    add_table(doc, BUDGET_HEADERS, [budget_row(data)])
    add_table(
        doc,
        INDICATOR_HEADERS,
        indicator_rows(data) + [["总分", "", "", "", "", "", s2(data.result.total), ""]],
    )
    add_signature(doc, data.ev.organisation or "（预算单位）", timezone.localdate())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _sheet(wb, title, headers, rows, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    return ws


def project_header(data: ReportData) -> list[str]:
    project = data.evaluation.project
    return [
        data.ev.project or "",
        data.ev.organisation,
        (project.implementing_unit if project else "") or data.ev.organisation,
    ]


def build_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    if data.ev.kind == "project":
        ws = _sheet(
            wb, data.table_title, ["项目名称", "主管部门", "实施单位"], [project_header(data)], first=True
        )
    else:
        _sheet(wb, "基础数据表", BASIC_HEADERS, basic_data_rows(data), first=True)
        ws = _sheet(wb, data.table_title, ["预算单位名称", data.ev.organisation], [])
    ws.append(BUDGET_HEADERS)
    ws.append(budget_row(data))
    ws.append(INDICATOR_HEADERS)
    for row in indicator_rows(data):
        ws.append(row)
    ws.append(["总分", "", "", "", "", "", s2(data.result.total), data.result.grade])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run_job(job: ReportJob) -> ReportJob:
    """Claim a pending job (conditional UPDATE, so two pollers never both run it) and generate both files."""
    if not ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.PENDING).update(
        status=ReportJob.Status.RUNNING, progress=10
    ):
        job.refresh_from_db()
        return job
    try:
        data = collect(job.evaluation)
        ReportJob.objects.filter(pk=job.pk).update(progress=40)
        docx = build_docx(data)
        ReportJob.objects.filter(pk=job.pk).update(progress=70)
        xlsx = build_xlsx(data)
        with transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.DONE, progress=100, docx=docx, xlsx=xlsx,
                message=f"总分 {s2(data.result.total)}，等级 {data.result.grade}",
            )  # fmt: skip
            record("performance.report", actor=job.actor, obj=job.evaluation,
                   after={"job": job.pk, "total": s2(data.result.total)})  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - the page must show the failure instead of spinning forever
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, message=f"生成失败：{exc}"[:200]
        )
    job.refresh_from_db()
    return job


def report_filename(evaluation: Evaluation, ext: str) -> str:
    owner = evaluation.project.name if evaluation.project_id else "部门整体"
    return f"{evaluation.year.year}年度{owner}支出绩效自评报告{timezone.localdate():%Y%m%d}.{ext}"
