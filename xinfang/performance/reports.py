"""Report generation: one service (``generate``) used by the page's background job and by
``manage.py perf_report``. Sections and layout live in report_docx.py / report_xlsx.py; the figures in
report_data.py. The files are stored on the job, so what was generated stays as generated (values frozen).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record

from .models import Evaluation, ReportJob
from .money import s2
from .report_data import ReportData, collect
from .report_docx import SECTIONS, build_docx
from .report_xlsx import build_xlsx

__all__ = [
    "SECTIONS",
    "ReportData",
    "build_docx",
    "build_xlsx",
    "collect",
    "generate",
    "report_filename",
    "run_job",
]


def generate(evaluation: Evaluation, *, actor=None) -> tuple[bytes, bytes, ReportData]:
    """The .docx report and the .xlsx 附表 of one evaluation."""
    data = collect(evaluation, actor=actor)
    return build_docx(data), build_xlsx(data), data


def _summary(data: ReportData) -> str:
    if data.result.total is None:
        return "没有可计分的绩效指标，不计总分和等级"
    return f"总分 {s2(data.result.total)}，等级 {data.result.grade}"


def run_job(job: ReportJob) -> ReportJob:
    """Claim a pending job (conditional UPDATE, so two pollers never both run it) and generate both files."""
    if not ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.PENDING).update(
        status=ReportJob.Status.RUNNING, progress=10
    ):
        job.refresh_from_db()
        return job
    try:
        docx, xlsx, data = generate(job.evaluation, actor=job.actor)
        with transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.DONE, progress=100, docx=docx, xlsx=xlsx, message=_summary(data)
            )
            record("performance.report", actor=job.actor, obj=job.evaluation,
                   after={"job": job.pk, "total": s2(data.result.total)})  # fmt: skip
    except Exception as exc:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, message=f"生成失败：{exc}"[:200]
        )
    job.refresh_from_db()
    return job


def report_filename(evaluation: Evaluation, ext: str) -> str:
    owner = evaluation.project.name if evaluation.project_id else "部门整体"
    kind = "支出绩效自评报告" if ext == "docx" else "支出绩效自评附表"
    return f"{evaluation.year.year}年度{owner}{kind}{timezone.localdate():%Y%m%d}.{ext}"
