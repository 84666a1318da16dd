"""Running a daily job a second time on the same day changes nothing."""

from datetime import date, timedelta

import pytest
import time_machine

from tests.factories import make_case
from xinfang.analytics.models import DailyCaseRollup
from xinfang.audit.models import AuditEvent
from xinfang.jobs import services, tasks
from xinfang.jobs.models import DailyRun, RunStatus
from xinfang.portal.models import Evaluation, EvaluationStatus
from xinfang.triage.models import HotSpot

from .conftest import local, make_pending_evaluation

DAY = date(2026, 3, 2)
EXTRAS = ["影响休息", "孩子无法学习", "老人睡不着", "多次投诉无果"]


def evaluations() -> list[tuple]:
    return list(Evaluation.objects.order_by("pk").values_list("pk", "status", "window_closes"))


@pytest.mark.django_db
def test_expire_evaluations_twice_on_the_same_day_changes_nothing_the_second_time(district):
    overdue = make_pending_evaluation(DAY - timedelta(days=40))
    open_one = make_pending_evaluation(DAY - timedelta(days=5))
    with time_machine.travel(local(DAY, 0, 30), tick=False):
        assert services.expire_evaluations(DAY) == {"expired": 1}
        after_first, audit_after_first = evaluations(), AuditEvent.objects.count()
        assert services.expire_evaluations(DAY) == {"expired": 0}
    assert evaluations() == after_first
    assert AuditEvent.objects.count() == audit_after_first
    assert Evaluation.objects.get(pk=overdue.pk).status == EvaluationStatus.EXPIRED
    assert Evaluation.objects.get(pk=open_one.pk).status == EvaluationStatus.PENDING


@pytest.mark.django_db
def test_the_same_days_task_delivered_twice_runs_the_job_once(district):
    make_pending_evaluation(DAY - timedelta(days=40))
    with time_machine.travel(local(DAY, 0, 30), tick=False):
        first = tasks.expire_evaluations_task.enqueue(DAY.isoformat())
        audit_after_first = AuditEvent.objects.count()
        second = tasks.expire_evaluations_task.enqueue(DAY.isoformat())
    assert first.return_value == {"expired": 1}
    assert second.return_value == {"skipped": "该任务当日已运行或正在运行"}
    assert AuditEvent.objects.count() == audit_after_first
    run = DailyRun.objects.get()
    assert (run.job, run.day, run.status, run.attempts) == ("expire_evaluations", DAY, RunStatus.SUCCEEDED, 1)


@pytest.mark.django_db
def test_hot_spots_are_computed_once_a_day(district):
    for i, extra in enumerate(EXTRAS):
        make_case(
            received=DAY - timedelta(days=1),
            title="幸福小区旁工地夜间施工噪声扰民",
            content=f"我是幸福小区{i + 1}栋居民，小区旁工地每天夜间施工，噪声扰民，{extra}。",
        )
    with time_machine.travel(local(DAY, 2), tick=False):
        tasks.compute_hotspots_task.enqueue(DAY.isoformat())
        batch, audit = list(HotSpot.objects.values_list("pk", flat=True)), AuditEvent.objects.count()
        tasks.compute_hotspots_task.enqueue(DAY.isoformat())
    assert batch  # the noise complaints form a hot spot
    assert list(HotSpot.objects.values_list("pk", flat=True)) == batch
    assert AuditEvent.objects.count() == audit
    assert DailyRun.objects.get().result["hotspots"] == len(batch)


@pytest.mark.django_db
def test_rebuilding_the_rollups_twice_gives_the_same_rows(district):
    for offset in (1, 2, 3, 9):
        make_case(received=DAY - timedelta(days=offset))
    DailyCaseRollup.objects.all().delete()  # the factory bypasses the services and their counters

    def rows() -> list[tuple]:
        return list(
            DailyCaseRollup.objects.order_by("day", "unit_id", "channel").values_list(
                "day", "unit_id", "category_id", "channel", "registered", "replied", "replied_on_time"
            )
        )

    first = services.rebuild_rollups(DAY)
    after_first = rows()
    assert services.rebuild_rollups(DAY) == first
    assert rows() == after_first
    assert first == {"rows": 3, "start": "2026-02-23", "end": "2026-03-01"}  # 7 days ending yesterday
    assert sorted({r[0] for r in after_first}) == [DAY - timedelta(days=d) for d in (3, 2, 1)]


@pytest.mark.django_db
def test_supervise_job_runs_the_sweep_once_a_day_and_a_repeat_changes_nothing(district):
    from tests.supervision.helpers import handling_case
    from xinfang.supervision.models import DeadlineMark, Letter

    handling_case(district.units[0], DAY - timedelta(days=1))
    with time_machine.travel(local(DAY, 3, 0), tick=False):
        result = tasks.supervise_task.call(DAY.isoformat())
        assert result["urges"] == 1
        state = (
            list(Letter.objects.values_list("pk", "number")),
            DeadlineMark.objects.count(),
            AuditEvent.objects.count(),
        )
        assert tasks.supervise_task.call(DAY.isoformat()) == {"skipped": "该任务当日已运行或正在运行"}
        assert services.supervise(DAY)["urges"] == 0  # the body itself is idempotent too
    assert (
        list(Letter.objects.values_list("pk", "number")),
        DeadlineMark.objects.count(),
        AuditEvent.objects.count(),
    ) == state
    assert DailyRun.objects.get(job="supervise").status == RunStatus.SUCCEEDED


@pytest.mark.django_db
def test_evaluation_reminders_go_out_once_a_day_for_windows_closing_in_five_days(
    district, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.XINFANG = {
        **settings.XINFANG,
        "PORTAL_NOTIFY_BACKEND": "xinfang.portal.notifications.FileBackend",
        "PORTAL_NOTIFY_FILE": str(tmp_path / "sent.jsonl"),
    }
    closing = make_pending_evaluation(DAY - timedelta(days=25))  # 30-day window: closes in 5 days
    make_pending_evaluation(DAY - timedelta(days=10))  # closes later: no reminder yet
    assert closing.window_closes == DAY + timedelta(days=5)
    with time_machine.travel(local(DAY, 8), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = tasks.remind_evaluations_task.call(DAY.isoformat())
        second = tasks.remind_evaluations_task.call(DAY.isoformat())
    assert first == {"reminded": 1}
    assert second == {"skipped": "该任务当日已运行或正在运行"}
    sent = (tmp_path / "sent.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(sent) == 1 and "evaluation_reminder" in sent[0]


@pytest.mark.django_db
def test_the_throttle_purge_drops_only_hits_outside_every_window(district):
    from xinfang.portal import throttle
    from xinfang.portal.models import ThrottleHit

    with time_machine.travel(local(DAY, 4) - timedelta(days=2), tick=False):
        throttle.hit("lookup_fail", "10.0.0.1")
        throttle.hit("submit_id", "110101199001011234")
    with time_machine.travel(local(DAY, 4) - timedelta(hours=3), tick=False):
        throttle.hit("submit_addr", "10.0.0.1")  # still inside the day's window
    with time_machine.travel(local(DAY, 4), tick=False):
        assert tasks.purge_stale_task.call(DAY.isoformat()) == {"deleted": 2, "pending_uploads": 0}
        assert throttle.is_limited("submit_addr", "10.0.0.1") is False
    assert list(ThrottleHit.objects.values_list("scope", flat=True)) == ["submit_addr"]
