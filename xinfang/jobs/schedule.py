"""The daily jobs (a declarative table) and the scheduler that enqueues each one at most once a day.

`manage.py schedule_jobs` runs from cron every few minutes, possibly on several servers. For every job
whose time of day has come, it inserts the day's DailyRun and enqueues the task in one transaction.
The unique (job, day) constraint decides between schedulers racing for the same job: the loser's
insert fails and it enqueues nothing. The task is enqueued inside that transaction on purpose: with the
database queue the task row commits together with the DailyRun, or neither does (an enqueue after
commit could be lost and leave a run that never starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from . import tasks
from .models import DailyRun, RunStatus


@dataclass(frozen=True)
class DailyJob:
    name: str
    title: str
    task: Task
    at: time  # local time (settings.TIME_ZONE) from which the job is due each day


DAILY_JOBS: tuple[DailyJob, ...] = (
    DailyJob("expire_evaluations", "满意度评价期届满处理", tasks.expire_evaluations_task, time(0, 30)),
    DailyJob("rebuild_rollups", "重建近期每日统计汇总", tasks.rebuild_rollups_task, time(1, 0)),
    DailyJob("compute_hotspots", "信访热点计算", tasks.compute_hotspots_task, time(2, 0)),
    DailyJob("complete_lapsed", "复查（复核）期限届满办结", tasks.complete_lapsed_task, time(2, 30)),
    DailyJob("supervise", "督办巡查（临期超期标记、督办函、预警）", tasks.supervise_task, time(3, 0)),
    DailyJob("purge_stale", "清理过期的公众访问计数和未提交的附件", tasks.purge_stale_task, time(4, 0)),
    # Next year's partitions of the cases and events (PostgreSQL), made a year before they are needed.
    DailyJob("ensure_partitions", "年度分区维护（本年与下一年）", tasks.ensure_partitions_task, time(4, 30)),
    # Messages to the public go out in the morning, not at night.
    DailyJob("remind_evaluations", "满意度评价提醒", tasks.remind_evaluations_task, time(8, 0)),
)
JOBS: dict[str, DailyJob] = {job.name: job for job in DAILY_JOBS}


class UnknownJob(ValueError):
    def __init__(self, name: str) -> None:
        known = "、".join(f"{j.name}（{j.title}）" for j in DAILY_JOBS)
        super().__init__(f"没有名为“{name}”的每日任务。可用的任务：{known}")


def get_job(name: str) -> DailyJob:
    try:
        return JOBS[name]
    except KeyError:
        raise UnknownJob(name) from None


def job_title(name: str) -> str:
    job = JOBS.get(name)
    return job.title if job else name


def due_jobs(now: datetime) -> list[DailyJob]:
    local = timezone.localtime(now).time()
    return [job for job in DAILY_JOBS if local >= job.at]


def schedule_due(now: datetime | None = None) -> list[DailyRun]:
    """Enqueue every job due today that has no DailyRun yet; return the runs this call enqueued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    runs = []
    for job in due_jobs(now):
        run = _enqueue_once(job, day, now)
        if run is not None:
            runs.append(run)
    return runs


def _already_scheduled(name: str, day: date) -> bool:
    # A cheap read first, so that a scheduler running every few minutes does not hit the constraint
    # (and log a duplicate-key error on PostgreSQL) for every job; the constraint stays the arbiter.
    return DailyRun.objects.filter(job=name, day=day).exists()


def _enqueue_once(job: DailyJob, day: date, now: datetime) -> DailyRun | None:
    if _already_scheduled(job.name, day):
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = DailyRun.objects.create(job=job.name, day=day, enqueued_at=now)
        except IntegrityError:
            return None  # another scheduler inserted (job, day) first
        _enqueue(job, run)
    return run


def _enqueue(job: DailyJob, run: DailyRun) -> None:
    result = job.task.enqueue(run.day.isoformat())
    DailyRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()


def _stuck(run: DailyRun, now: datetime) -> bool:
    hours = settings.XINFANG.get("JOB_STUCK_AFTER_HOURS", 6)
    return (
        run.status == RunStatus.RUNNING
        and run.started_at is not None
        and now - run.started_at > timedelta(hours=hours)
    )


@dataclass(frozen=True)
class RunNow:
    run: DailyRun
    enqueued: bool


def run_now(name: str, now: datetime | None = None) -> RunNow:
    """Enqueue today's run of one job now, whatever the time of day. A run that failed today, or one stuck
    as running past JOB_STUCK_AFTER_HOURS, is queued again; one that is queued, running or done is left
    alone (still at most one success a day)."""
    job = get_job(name)
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        run = DailyRun.objects.select_for_update().filter(job=name, day=day).first()
        if run is None:
            try:
                with transaction.atomic():
                    run = DailyRun.objects.create(job=name, day=day, enqueued_at=now)
            except IntegrityError:
                return RunNow(DailyRun.objects.get(job=name, day=day), enqueued=False)
        elif run.status == RunStatus.FAILED or _stuck(run, now):
            run.status, run.enqueued_at, run.error, run.result = RunStatus.QUEUED, now, "", None
            run.started_at = run.finished_at = None
            run.save(update_fields=["status", "enqueued_at", "error", "result", "started_at", "finished_at"])
        else:
            return RunNow(run, enqueued=False)
        _enqueue(job, run)
    return RunNow(run, enqueued=True)
