"""The database queue end to end: the scheduler's tasks are rows that `manage.py db_worker` runs.

These tests commit (transaction=True): the worker reads what another connection or process wrote."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import make_district
from tests.production.helpers import database_url
from xinfang.jobs.models import DailyRun, RunStatus
from xinfang.jobs.schedule import schedule_due
from xinfang.portal import services as portal_services
from xinfang.portal.models import Evaluation, EvaluationStatus

from .conftest import local, make_pending_evaluation

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_ARGS = ["--batch", "--no-reload", "--no-startup-delay", "--interval", "0"]


@pytest.fixture
def keep_signal_handlers():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_db_worker_process_runs_the_scheduled_jobs_from_the_database_queue(database_queue):
    make_district()
    today = timezone.localdate()
    ev = make_pending_evaluation(today - timedelta(days=40))
    runs = schedule_due(now=local(today, 3))
    assert [r.status for r in runs] == [RunStatus.QUEUED] * 5  # waiting in the queue, not run yet
    assert DBTaskResult.objects.filter(status="READY").count() == 5

    env = {**os.environ, "DATABASE_URL": database_url(), "XINFANG_LOG_LEVEL": "WARNING"}
    proc = subprocess.run(
        [sys.executable, "manage.py", "db_worker", *WORKER_ARGS],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * 5
    by_job = {r.job: r for r in DailyRun.objects.all()}
    assert {r.status for r in by_job.values()} == {RunStatus.SUCCEEDED}
    assert by_job["expire_evaluations"].result == {"expired": 1}
    assert by_job["expire_evaluations"].task_id == str(
        DBTaskResult.objects.get(task_path="xinfang.jobs.tasks.expire_evaluations_task").id
    )
    assert Evaluation.objects.get(pk=ev.pk).status == EvaluationStatus.EXPIRED


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_db_worker_records_a_failed_job_and_goes_on_with_the_others(
    database_queue, monkeypatch, keep_signal_handlers
):
    def broken(now=None):
        raise RuntimeError("评价库维护中")

    monkeypatch.setattr(portal_services, "expire_evaluations", broken)
    make_district()
    today = timezone.localdate()
    schedule_due(now=local(today, 3))

    call_command("db_worker", *WORKER_ARGS, verbosity=0)

    results = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    failed = results["expire_evaluations_task"]
    assert (failed.status, failed.exception_class_path) == ("FAILED", "builtins.RuntimeError")
    assert "评价库维护中" in failed.traceback
    assert results["rebuild_rollups_task"].status == "SUCCESSFUL"
    assert results["compute_hotspots_task"].status == "SUCCESSFUL"
    by_job = {r.job: r for r in DailyRun.objects.all()}
    assert (by_job["expire_evaluations"].status, by_job["expire_evaluations"].error) == (
        RunStatus.FAILED,
        "RuntimeError: 评价库维护中",
    )
    assert by_job["rebuild_rollups"].status == by_job["compute_hotspots"].status == RunStatus.SUCCEEDED
