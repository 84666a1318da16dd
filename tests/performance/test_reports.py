import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.factories import make_case
from xinfang.performance.models import Evaluation, FiscalYear, Indicator, ReportJob
from xinfang.performance.reports import collect, run_job
from xinfang.performance.services import import_evaluation, save_narrative

from .helpers import evaluation, row

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for r in table.rows:
            parts.append(" | ".join(c.text for c in r.cells))
    return "\n".join(parts)


def xlsx_values(content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content))
    return [
        str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c is not None
    ]


def aware(d: date, hour=10) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour))


def test_report_docx_and_xlsx_contain_total_and_every_indicator():
    data = evaluation(
        row(claimed_score="15"),
        row(level2="质量指标", level3="群众满意率", target="90", unit="%", actual="97.42", weight=75),
        organisation="某区信访局",
    )
    ev = import_evaluation(data)
    save_narrative(ev, {"problems": "预算执行进度不均衡需继续改善。", "measures": "及时通报预算执行情况。"})
    job = run_job(ReportJob.objects.create(evaluation=ev))
    assert job.status == "done" and job.progress == 100
    text = docx_text(bytes(job.docx))
    assert "2025年度某区信访局部门整体支出绩效自评报告" in text
    assert "自评总分 99.90 分" in text and "预算执行率 99.00%" in text
    for heading in (
        "一、部门（单位）基本情况",
        "（一）自评结论",
        "（五）履职效能分析",
        "（六）管理效率分析",
        "三、存在问题及改进措施",
        "（二）改进措施",
        "六、附表",
    ):
        assert heading in text
    assert "预算执行进度不均衡需继续改善。" in text
    for level3 in ("区领导重点约访", "群众满意率"):
        assert level3 in text
    values = xlsx_values(bytes(job.xlsx))
    assert "99.9" in values and "区领导重点约访" in values and "群众满意率" in values
    assert load_workbook(io.BytesIO(bytes(job.xlsx))).sheetnames == ["基础数据表", "部门整体支出绩效自评表"]


def test_project_report_uses_project_table():
    ev = import_evaluation(evaluation(row(), kind="project", project="信访工作经费"))
    job = run_job(ReportJob.objects.create(evaluation=ev))
    assert load_workbook(io.BytesIO(bytes(job.xlsx))).sheetnames == ["项目支出绩效自评表"]
    text = docx_text(bytes(job.docx))
    assert "2025年度某区信访局信访工作经费项目支出绩效自评报告" in text
    assert "信访工作经费 | 某区信访局 | 某区信访局" in text and "基础数据表" not in text


def test_a_job_runs_once():
    ev = import_evaluation(evaluation(row()))
    job = ReportJob.objects.create(evaluation=ev)
    run_job(job)
    ReportJob.objects.filter(pk=job.pk).update(message="kept")
    assert run_job(job).message == "kept"  # already done: not regenerated


def test_on_time_conclusion_rate_bound_to_cases_appears_in_report():
    # Cohort: handling deadline in 2025. 3 replied on or before the deadline, 1 late, 1 still open → 3/5 = 60.00%.
    due = date(2025, 6, 30)
    for replied in (date(2025, 6, 1), date(2025, 6, 30), date(2025, 5, 2), date(2025, 7, 3)):
        make_case(received=date(2025, 5, 1), handling_due_date=due, replied_at=aware(replied))
    make_case(received=date(2025, 5, 1), handling_due_date=due)
    make_case(
        received=date(2024, 5, 1), handling_due_date=date(2024, 6, 30), replied_at=aware(date(2024, 6, 1))
    )
    year = FiscalYear.objects.create(year=2025)
    ev = Evaluation.objects.create(year=year)
    Indicator.objects.create(evaluation=ev, level1="效益指标", level2="社会效益指标", level3="信访事项按期办结率",
                             operator=">=", target="90", unit="%", weight=Decimal(90), actual="98",
                             binding="on_time_conclusion_rate", deviation_reason="超期件已督办")  # fmt: skip
    typed = collect(ev)  # the typed 98 is never silently replaced; the difference is flagged
    assert typed.ev.indicators[0].actual == "98" and typed.ev.indicators[0].bound_actual == "60.00"
    assert "bound_value_differs" in {f.code for f in typed.findings}
    Indicator.objects.filter(evaluation=ev).update(actual="")  # nothing typed: the statistic is used
    data = collect(ev)
    assert data.ev.indicators[0].actual == "60.00"
    assert data.result.indicators[0].score == Decimal("60.00")  # 60 / 90 × 90
    job = run_job(ReportJob.objects.create(evaluation=ev))
    text = docx_text(bytes(job.docx))
    assert "实际完成值 60.00%" in text and "信访事项按期办结率 | ≥90% | 60.00%" in text
    assert "60.00%" in xlsx_values(bytes(job.xlsx))


def test_generated_files_keep_the_values_of_the_moment_they_were_generated():
    ev = import_evaluation(evaluation(row(claimed_score="15")))
    job = run_job(ReportJob.objects.create(evaluation=ev))
    Indicator.objects.filter(evaluation=ev).update(actual="10")  # edited after generation
    job.refresh_from_db()
    assert "实际完成值 25名" in docx_text(bytes(job.docx))
    later = run_job(ReportJob.objects.create(evaluation=ev))
    assert "实际完成值 10名" in docx_text(bytes(later.docx))
