"""The scheduler: jobs are enqueued once their time of day has come, and at most once a day."""

import io
import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xinfang.jobs import schedule
from xinfang.jobs.models import DailyRun, RunStatus
from xinfang.jobs.schedule import run_now, schedule_due

from .conftest import local

DAY = date(2026, 3, 2)


def names(runs) -> list[str]:
    return [r.job for r in runs]


@pytest.mark.django_db
def test_nothing_is_enqueued_before_the_first_job_time(stub_bodies):
    with time_machine.travel(local(DAY, 0, 29), tick=False):
        assert schedule_due() == []
    assert not DailyRun.objects.exists()
    assert stub_bodies == []


@pytest.mark.django_db
def test_each_job_is_enqueued_once_its_local_time_of_day_has_come(stub_bodies):
    with time_machine.travel(local(DAY, 0, 30), tick=False):
        assert names(schedule_due()) == ["expire_evaluations"]
    with time_machine.travel(local(DAY, 1, 15), tick=False):
        assert names(schedule_due()) == ["rebuild_rollups"]
    with time_machine.travel(local(DAY, 1, 59), tick=False):
        assert schedule_due() == []
    with time_machine.travel(local(DAY, 2, 0), tick=False):
        assert names(schedule_due()) == ["compute_hotspots"]
    with time_machine.travel(local(DAY, 2, 30), tick=False):
        assert names(schedule_due()) == ["complete_lapsed"]
    with time_machine.travel(local(DAY, 3, 0), tick=False):
        assert names(schedule_due()) == ["supervise"]
    with time_machine.travel(local(DAY, 4, 0), tick=False):
        assert names(schedule_due()) == ["purge_stale"]
    with time_machine.travel(local(DAY, 4, 30), tick=False):
        assert names(schedule_due()) == ["ensure_partitions"]
    with time_machine.travel(local(DAY, 7, 59), tick=False):
        assert schedule_due() == []
    with time_machine.travel(local(DAY, 8, 0), tick=False):
        assert names(schedule_due()) == ["remind_evaluations"]
    with time_machine.travel(local(DAY, 23, 59), tick=False):
        assert schedule_due() == []
    assert stub_bodies == [
        ("expire_evaluations", DAY), ("rebuild_rollups", DAY), ("compute_hotspots", DAY), ("complete_lapsed", DAY),
        ("supervise", DAY), ("purge_stale", DAY), ("ensure_partitions", DAY), ("remind_evaluations", DAY),
    ]  # fmt: skip
    assert set(DailyRun.objects.values_list("status", flat=True)) == {RunStatus.SUCCEEDED}


@pytest.mark.django_db
def test_times_are_local_not_utc(stub_bodies):
    # 00:45 in Shanghai is 16:45 UTC the day before: the run belongs to the local day.
    (run,) = schedule_due(now=local(DAY, 0, 45))
    assert (run.job, run.day) == ("expire_evaluations", DAY)


@pytest.mark.django_db
def test_the_scheduler_run_every_few_minutes_enqueues_each_job_once_a_day(stub_bodies):
    for minutes in range(0, 24 * 60, 5):
        schedule_due(now=local(DAY, 0) + timedelta(minutes=minutes))
    assert len(stub_bodies) == 8
    assert DailyRun.objects.filter(day=DAY).count() == 8
    assert names(schedule_due(now=local(DAY + timedelta(days=1), 3))) == [
        "expire_evaluations",
        "rebuild_rollups",
        "compute_hotspots",
        "complete_lapsed",
        "supervise",
    ]
    assert len(stub_bodies) == 13  # by 03:00 the next day, the five night jobs


@pytest.mark.django_db
def test_a_scheduler_that_missed_the_other_ones_row_is_stopped_by_the_unique_constraint(
    database_queue, monkeypatch
):
    now = local(DAY, 3)
    assert len(schedule_due(now=now)) == 5
    # A second scheduler that read "nothing scheduled" just before the first one committed.
    monkeypatch.setattr(schedule, "_already_scheduled", lambda name, day: False)
    assert schedule_due(now=now) == []
    assert DailyRun.objects.count() == 5
    assert DBTaskResult.objects.count() == 5  # no second task in the queue
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyRun.objects.create(job="expire_evaluations", day=DAY, enqueued_at=now)


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_enqueue_each_job_once(database_queue, monkeypatch):
    # The worst case: neither scheduler's first read sees the other's row, both try to insert.
    monkeypatch.setattr(schedule, "_already_scheduled", lambda name, day: False)
    now = local(DAY, 3)
    start = threading.Barrier(2)
    enqueued: list[list[str]] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            start.wait(timeout=10)
            enqueued.append(names(schedule_due(now=now)))
        except BaseException as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(sum(enqueued, [])) == [
        "complete_lapsed",
        "compute_hotspots",
        "expire_evaluations",
        "rebuild_rollups",
        "supervise",
    ]
    assert DailyRun.objects.count() == 5
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "xinfang.jobs.tasks.complete_lapsed_task",
        "xinfang.jobs.tasks.compute_hotspots_task",
        "xinfang.jobs.tasks.expire_evaluations_task",
        "xinfang.jobs.tasks.rebuild_rollups_task",
        "xinfang.jobs.tasks.supervise_task",
    ]


@pytest.mark.django_db
def test_run_now_enqueues_before_the_planned_time_and_counts_as_the_days_run(stub_bodies):
    with time_machine.travel(local(DAY, 0, 5), tick=False):
        outcome = run_now("compute_hotspots")
    assert outcome.enqueued and outcome.run.day == DAY
    assert DailyRun.objects.get(job="compute_hotspots").status == RunStatus.SUCCEEDED
    with time_machine.travel(local(DAY, 3), tick=False):
        assert names(schedule_due()) == [
            "expire_evaluations",
            "rebuild_rollups",
            "complete_lapsed",
            "supervise",
        ]
    assert [name for name, _ in stub_bodies].count("compute_hotspots") == 1


@pytest.mark.django_db
def test_run_now_does_not_repeat_a_run_that_is_queued_or_done(database_queue):
    first = run_now("expire_evaluations", now=local(DAY, 9))
    again = run_now("expire_evaluations", now=local(DAY, 10))
    assert first.enqueued and not again.enqueued
    assert again.run.status == RunStatus.QUEUED
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("started_hours_ago", "requeued"), [(7, True), (1, False)])
def test_run_now_requeues_a_run_stuck_as_running_only_after_the_stuck_limit(
    database_queue, started_hours_ago, requeued
):
    now = local(DAY, 12)
    DailyRun.objects.create(
        job="expire_evaluations",
        day=DAY,
        status=RunStatus.RUNNING,
        enqueued_at=now - timedelta(hours=started_hours_ago),
        started_at=now - timedelta(hours=started_hours_ago),
        attempts=1,
    )
    outcome = run_now("expire_evaluations", now=now)
    assert outcome.enqueued is requeued
    run = DailyRun.objects.get(job="expire_evaluations", day=DAY)
    assert run.status == (RunStatus.QUEUED if requeued else RunStatus.RUNNING)
    assert DBTaskResult.objects.count() == (1 if requeued else 0)


@pytest.mark.django_db
def test_command_prints_in_chinese_what_it_enqueued(stub_bodies):
    out = io.StringIO()
    with time_machine.travel(local(DAY, 1, 5), tick=False):
        call_command("schedule_jobs", stdout=out)
        call_command("schedule_jobs", stdout=out)
    text = out.getvalue()
    assert "已加入队列：满意度评价期届满处理（expire_evaluations），日期 2026-03-02，时间 01:05" in text
    assert "已加入队列：重建近期每日统计汇总（rebuild_rollups）" in text
    assert "信访热点计算" not in text  # due at 02:00
    assert "共 2 个任务已加入队列" in text
    assert text.rstrip().endswith("没有需要加入队列的每日任务（未到计划时间，或今日已加入队列）")


@pytest.mark.django_db
def test_command_run_now_enqueues_one_job_and_refuses_unknown_names(stub_bodies):
    out = io.StringIO()
    with time_machine.travel(local(DAY, 0, 1), tick=False):
        call_command("schedule_jobs", "--run-now", "compute_hotspots", stdout=out)
        call_command("schedule_jobs", "--run-now", "compute_hotspots", stdout=out)
        with pytest.raises(
            CommandError, match="没有名为“hotspots”的每日任务。可用的任务：expire_evaluations"
        ):
            call_command("schedule_jobs", "--run-now", "hotspots")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("已加入队列：信访热点计算（compute_hotspots），日期 2026-03-02")
    assert lines[1] == "信访热点计算（compute_hotspots）今日（2026-03-02）已完成，未重复加入队列"
    assert timezone.localdate(DailyRun.objects.get().enqueued_at) == DAY
