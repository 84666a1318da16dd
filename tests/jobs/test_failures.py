"""A failing job: its error is recorded on the run and in the audit trail, its writes roll back, and the
other jobs still run."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from xinfang.audit.models import AuditEvent
from xinfang.audit.services import verify_chain
from xinfang.jobs import services
from xinfang.jobs.models import DailyRun, RunStatus
from xinfang.jobs.schedule import schedule_due
from xinfang.portal import services as portal_services
from xinfang.portal.models import EvaluationStatus

from .conftest import local, make_pending_evaluation

DAY = date(2026, 3, 2)


REAL_EXPIRE = portal_services.expire_evaluations


def expire_then_fail(now=None) -> int:
    REAL_EXPIRE(now)  # the service commits its writes (to the job's savepoint), then the job crashes
    raise RuntimeError("评价库维护中")


@pytest.fixture
def failing_expiry(monkeypatch):
    monkeypatch.setattr(portal_services, "expire_evaluations", expire_then_fail)


@pytest.mark.django_db
def test_failure_is_recorded_with_its_error_and_the_other_jobs_still_run(district, failing_expiry):
    ev = make_pending_evaluation(DAY - timedelta(days=40))
    runs = schedule_due(now=local(DAY, 3))
    assert len(runs) == 5  # the scheduler went on past the failure

    by_job = {r.job: r for r in DailyRun.objects.all()}
    failed = by_job["expire_evaluations"]
    assert failed.status == RunStatus.FAILED
    assert failed.error == "RuntimeError: 评价库维护中"
    assert failed.finished_at is not None and failed.result is None
    assert by_job["rebuild_rollups"].status == RunStatus.SUCCEEDED
    assert by_job["compute_hotspots"].status == RunStatus.SUCCEEDED

    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.PENDING  # the job's own writes were rolled back
    event = AuditEvent.objects.get(action="jobs.failed")
    assert (event.object_type, event.object_id, event.actor_label) == (
        "jobs.dailyrun",
        str(failed.pk),
        "系统",
    )
    assert event.after == {
        "job": "expire_evaluations",
        "title": "满意度评价期届满处理",
        "day": "2026-03-02",
        "error": "RuntimeError: 评价库维护中",
    }
    assert not AuditEvent.objects.filter(action="evaluation.expire").exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_failed_run_is_not_retried_by_the_scheduler_but_by_run_now(district, failing_expiry, monkeypatch):
    ev = make_pending_evaluation(DAY - timedelta(days=40))
    schedule_due(now=local(DAY, 0, 45))
    assert schedule_due(now=local(DAY, 0, 50)) == []  # still failed: once a day, no automatic retry

    monkeypatch.setattr(portal_services, "expire_evaluations", REAL_EXPIRE)  # the cause is fixed
    out = io.StringIO()
    with time_machine.travel(local(DAY, 9), tick=False):
        call_command("schedule_jobs", "--run-now", "expire_evaluations", stdout=out)
    assert out.getvalue().startswith("已加入队列：满意度评价期届满处理（expire_evaluations）")

    run = DailyRun.objects.get(job="expire_evaluations")
    assert (run.status, run.error, run.attempts, run.result) == (RunStatus.SUCCEEDED, "", 2, {"expired": 1})
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.EXPIRED


@pytest.mark.django_db
def test_run_job_reraises_so_the_task_queue_marks_the_task_failed(district, failing_expiry):
    with pytest.raises(RuntimeError, match="评价库维护中"):
        services.run_job("expire_evaluations", DAY, services.expire_evaluations)
    assert DailyRun.objects.get().status == RunStatus.FAILED
