"""What each daily job does (it calls the domain services) and the bookkeeping of one run in DailyRun.

A job body takes the day it runs for and returns a small JSON-able summary. `run_job` wraps a body:
it claims the day's DailyRun with a conditional UPDATE (only a queued run starts, so a second delivery
of the same task does nothing), runs the body in its own transaction, and records the outcome. A
failure is stored on the run, appended to the audit trail (a system action, like the services' own
events) and re-raised so the task queue marks its task failed too.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinfang.analytics import rollups
from xinfang.audit.services import record
from xinfang.cases import uploads as case_uploads
from xinfang.cases.workflow import actions as workflow_actions
from xinfang.core import partitions
from xinfang.portal import services as portal_services
from xinfang.portal import throttle as portal_throttle
from xinfang.supervision import sweep as supervision_sweep
from xinfang.triage import hotspot_service

from .models import DailyRun, RunStatus

logger = logging.getLogger(__name__)

JobBody = Callable[[date], dict]


# --- job bodies -------------------------------------------------------------------------------------


def expire_evaluations(day: date) -> dict:
    """Evaluations whose window closed before today become 超期未评价 (a second run finds none left)."""
    return {"expired": portal_services.expire_evaluations()}


def remind_evaluations(day: date) -> dict:
    """Remind the petitioners whose evaluation window closes in PORTAL_REMIND_DAYS_BEFORE days (sent after
    the job's commit; the DailyRun keeps it to one reminder a day)."""
    return {"reminded": portal_services.remind_evaluations(day)}


def purge_stale(day: date) -> dict:
    """Drop the public throttle counts that no longer fall in any window (the table would grow forever) and
    the files of registration forms nobody came back to save within a day."""
    return {"deleted": portal_throttle.purge(), "pending_uploads": case_uploads.purge_pending()}


def complete_lapsed(day: date) -> dict:
    """Answered cases whose 复查/复核 window lapsed unused become 办结 (each through the workflow engine)."""
    return {"completed": workflow_actions.complete_lapsed_cases()}


def supervise(day: date) -> dict:
    """Mark cases at risk and overdue at every step, drive the 督办 ladder and raise warnings (after the
    hot spots of the day, which it reads)."""
    return supervision_sweep.sweep(day)


def compute_hotspots(day: date) -> dict:
    """Cluster the last 30 days of cases into ranked hot spots (one stored batch per successful run)."""
    spots = hotspot_service.compute_case_hotspots()
    return {"hotspots": len(spots), "warnings": sum(1 for s in spots if s.is_warning)}


def ensure_partitions(day: date) -> dict:
    """PostgreSQL: this year's and next year's partitions of the cases and events exist (months ahead of the
    first registration that needs them); nothing on SQLite."""
    created = [name for year in (day.year, day.year + 1) for name in partitions.ensure_year(year)]
    return {"created": created}


def rebuild_rollups(day: date) -> dict:
    """Recompute the daily rollups of the last ROLLUP_REBUILD_DAYS days ending yesterday (delete + rebuild,
    so a repeat gives the same rows). Today is left to the live counters, which are still moving."""
    days = int(settings.XINFANG.get("ROLLUP_REBUILD_DAYS", 7))
    start, end = day - timedelta(days=days), day - timedelta(days=1)
    rows = rollups.rebuild_rollups(start, end)
    return {"rows": rows, "start": start.isoformat(), "end": end.isoformat()}


# --- one run ----------------------------------------------------------------------------------------


def run_job(name: str, day: date, body: JobBody) -> dict:
    """Run `body` for (name, day) at most once successfully; record success or failure on the DailyRun."""
    run = _claim(name, day)
    if run is None:
        return {"skipped": "该任务当日已运行或正在运行"}
    try:
        with transaction.atomic():  # a failure rolls back the body's writes, never the bookkeeping
            result = body(day)
    except Exception as exc:
        _record_failure(run, exc)
        raise
    DailyRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now(), result=result, error=""
    )
    return result


def _claim(name: str, day: date) -> DailyRun | None:
    now = timezone.now()
    with transaction.atomic():
        # A task enqueued by hand (not by the scheduler) has no row yet: create it on the way.
        run, _ = DailyRun.objects.get_or_create(job=name, day=day, defaults={"enqueued_at": now})
        claimed = DailyRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=now, finished_at=None, attempts=F("attempts") + 1
        )
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def _record_failure(run: DailyRun, exc: Exception) -> None:
    message = "".join(traceback.format_exception_only(exc)).strip()[:4000]
    logger.error("每日任务 %s（%s）失败：%s", run.job, run.day, message)  # the queue logs the traceback
    with transaction.atomic():
        DailyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=message, result=None
        )
        record(
            "jobs.failed",
            object_type="jobs.dailyrun",
            object_id=run.pk,
            after={"job": run.job, "title": run.title, "day": run.day, "error": message},
        )
