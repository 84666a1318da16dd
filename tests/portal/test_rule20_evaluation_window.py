"""Rule 20: the evaluation window closes 30 days (configurable) after the reply is served; then 超期未评价."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_case, make_user
from xinfang.analytics.metrics import METRICS
from xinfang.audit.models import AuditEvent
from xinfang.cases.workflow import hooks
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.portal.models import Evaluation, EvaluationStatus
from xinfang.portal.services import expire_evaluations, open_evaluation, submit_evaluation

REPLY_DAY = date(2026, 6, 1)
CLOSES = date(2026, 7, 1)  # 30 days after the reply


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def replied_case(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    return make_case(registered_by=registrar, received=date(2026, 4, 1), replied_at=at(REPLY_DAY, 16))


@pytest.mark.django_db
def test_rule20_window_closes_30_days_after_reply_and_last_day_is_open(replied_case):
    ev = open_evaluation(replied_case)
    assert (ev.reply_date, ev.window_closes, ev.status) == (REPLY_DAY, CLOSES, EvaluationStatus.PENDING)
    ev = submit_evaluation(replied_case, "basically", " 处理及时 ", at(CLOSES, 23))
    assert (ev.status, ev.result, ev.comment) == (EvaluationStatus.EVALUATED, "basically", "处理及时")


@pytest.mark.django_db
def test_rule20_submission_after_the_window_is_refused_and_changes_nothing(replied_case):
    open_evaluation(replied_case)
    with pytest.raises(ServiceError) as exc:
        submit_evaluation(replied_case, "satisfied", "", at(CLOSES + timedelta(days=1), 0))
    assert exc.value.code == ErrorCode.DEADLINE_PASSED
    assert "2026-07-01" in exc.value.message
    ev = Evaluation.objects.get(case=replied_case)
    assert (ev.status, ev.result, ev.evaluated_at) == (EvaluationStatus.PENDING, "", None)


@pytest.mark.django_db
def test_rule20_unevaluated_case_moves_to_expired_and_counts_for_participation_only(replied_case, district):
    other = make_case(
        registered_by=replied_case.registered_by, received=date(2026, 4, 1), replied_at=at(REPLY_DAY)
    )
    open_evaluation(replied_case)
    open_evaluation(other)
    submit_evaluation(other, "unsatisfied", "", at(REPLY_DAY + timedelta(days=2)))

    assert expire_evaluations(at(CLOSES, 20)) == 0  # the last day is still inside the window
    with time_machine.travel(at(CLOSES + timedelta(days=1), 1), tick=False):
        out = io.StringIO()
        call_command("expire_evaluations", stdout=out)
    assert "已将 1 件" in out.getvalue()
    assert Evaluation.objects.get(case=replied_case).status == EvaluationStatus.EXPIRED
    assert AuditEvent.objects.filter(action="evaluation.expire").count() == 1

    period, now = (date(2026, 6, 1), date(2026, 7, 31)), at(date(2026, 8, 1))
    assert METRICS["participation_rate"].compute(*period, now=now) == Decimal("50.00")  # 1 / (1 + 1)
    assert METRICS["satisfaction_rate"].compute(*period, now=now) == Decimal(
        "0.00"
    )  # 0 / 1, expired not in it


@pytest.mark.django_db
def test_rule20_pending_past_window_counts_as_expired_even_before_the_job_runs(replied_case):
    open_evaluation(replied_case)
    now = at(date(2026, 8, 1))
    assert METRICS["participation_rate"].compute(date(2026, 7, 1), date(2026, 7, 31), now=now) == Decimal(
        "0.00"
    )
    assert METRICS["satisfaction_rate"].compute(date(2026, 7, 1), date(2026, 7, 31), now=now) is None


@pytest.mark.django_db
def test_rule20_window_length_comes_from_settings(replied_case, settings):
    settings.XINFANG = {**settings.XINFANG, "EVALUATION_WINDOW_DAYS": 15}
    assert open_evaluation(replied_case).window_closes == date(2026, 6, 16)


@pytest.mark.django_db
def test_reply_transition_signal_opens_the_evaluation_once(replied_case):
    for _ in range(2):
        hooks.run(
            case=replied_case,
            actor=None,
            action="reply",
            from_status="handling",
            to_status="replied",
        )
    assert Evaluation.objects.filter(case=replied_case).count() == 1
    hooks.run(case=replied_case, actor=None, action="accept", from_status="x", to_status="accepted")
    # acceptance opens its own stage, never a second handling-result evaluation
    assert Evaluation.objects.filter(case=replied_case, stage="result").count() == 1
    assert Evaluation.objects.filter(case=replied_case, stage="acceptance").count() == 1
    assert AuditEvent.objects.filter(action="evaluation.open").count() == 2


@pytest.mark.django_db
def test_bad_result_unreplied_case_and_double_submission_are_refused_in_chinese(replied_case, district):
    with pytest.raises(ServiceError, match="尚未答复"):
        submit_evaluation(replied_case, "satisfied", "", at(REPLY_DAY))
    open_evaluation(replied_case)
    with pytest.raises(ValidationFailed) as exc:
        submit_evaluation(replied_case, "great", "", at(REPLY_DAY))
    assert exc.value.field == "result" and "满意、基本满意、不满意" in exc.value.message
    submit_evaluation(replied_case, "satisfied", "", at(REPLY_DAY))
    with pytest.raises(ServiceError, match="不能重复评价"):
        submit_evaluation(replied_case, "unsatisfied", "", at(REPLY_DAY))
    assert Evaluation.objects.get(case=replied_case).result == "satisfied"
