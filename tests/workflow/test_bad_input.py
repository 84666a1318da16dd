"""Bad input (issue 3): each gets a Chinese error and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.conftest import new_case, opinion, to_handling, today_is
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.cases.workflow import actions as tr
from xinfang.core.errors import ConflictError, ErrorCode, ServiceError, ValidationFailed

pytestmark = pytest.mark.django_db


def _same(case: Case, audits: int) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (case.status, case.version)
    assert fresh.events.count() == case.events.count() and AuditEvent.objects.count() == audits


def test_action_not_allowed_from_the_state(people):
    case = new_case(people, date(2026, 3, 2))
    audits = AuditEvent.objects.count()
    with today_is(2026, 3, 3), pytest.raises(ServiceError) as err:
        tr.reply_case(case, people.head, version=case.version, **opinion())
    assert err.value.code == ErrorCode.NOT_ALLOWED and "已登记" in err.value.message
    _same(case, audits)


def test_action_not_allowed_for_the_role(people):
    case = new_case(people, date(2026, 3, 2))
    with today_is(2026, 3, 3), pytest.raises(ServiceError) as err:
        tr.forward_case(case, people.handler, version=case.version, unit=people.unit)
    assert err.value.code == ErrorCode.FORBIDDEN and "承办人" in err.value.message


def test_another_units_handler_cannot_act(people):
    with today_is(2026, 3, 3):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
        with pytest.raises(ServiceError) as err:
            tr.accept_case(case, people.other_handler, version=case.version)
    assert "责任单位" in err.value.message


def test_a_date_before_the_previous_event(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 5))
        audits = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed) as err:
            tr.forward_case(
                case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 4)
            )
    assert err.value.field == "on" and "2026-03-05" in err.value.message
    _same(case, audits)


def test_a_date_in_the_future(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 5))
        with pytest.raises(ValidationFailed) as err:
            tr.forward_case(
                case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 11)
            )
    assert "不得晚于今天" in err.value.message


def test_a_stale_version_is_a_conflict_with_a_chinese_message(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 5))
        stale = case.version
        tr.forward_case(case, people.registrar, version=stale, unit=people.unit)
        with pytest.raises(ConflictError) as err:
            tr.withdraw_case(case, people.registrar, version=stale, reason="信访人撤回")
    assert "已被他人修改" in err.value.message and err.value.code == ErrorCode.CONFLICT


def test_missing_reason_names_the_field(people):
    with today_is(2026, 3, 10):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        with pytest.raises(ValidationFailed) as err:
            tr.extend_deadline(case, people.head, version=case.version, days=10, reason=" ")
    assert err.value.field == "reason" and "理由" in err.value.message


def test_assign_requires_a_later_due_date_and_a_result_report_on_reply(people):
    with today_is(2026, 3, 20):
        case = new_case(people, date(2026, 3, 2))
        with pytest.raises(ValidationFailed) as err:
            tr.assign_case(case, people.registrar, version=case.version, unit=people.unit,
                           result_due=date(2026, 3, 1), on=date(2026, 3, 3))  # fmt: skip
        assert err.value.field == "result_due"
        case = tr.assign_case(case, people.registrar, version=case.version, unit=people.unit,
                              result_due=date(2026, 4, 15), on=date(2026, 3, 3))  # fmt: skip
        case = tr.accept_case(case, people.handler, version=case.version, on=date(2026, 3, 4))
        assert case.handling_due_date == date(2026, 4, 15)
        with pytest.raises(ValidationFailed) as err:
            tr.reply_case(case, people.head, version=case.version, **opinion())
        assert err.value.field == "result_report"
        case = tr.reply_case(
            case, people.head, version=case.version, result_report="已责令停工。", **opinion()
        )
    assert case.opinions.get().result_report == "已责令停工。"


def test_a_first_level_reply_is_never_concluded_and_is_completed_once_the_review_window_lapses(people):
    with today_is(2026, 3, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        case = tr.reply_case(
            case, people.head, version=case.version, served_on=date(2026, 3, 20), **opinion()
        )
        with pytest.raises(ServiceError, match="不能执行“终结”"):  # art.36 ¶3: 终结 follows a 复核 only
            tr.conclude_case(case, people.registrar, version=case.version)
        with pytest.raises(ServiceError) as err:
            tr.complete_case(case, version=case.version)
        assert "2026-04-20" in err.value.message
        with pytest.raises(ServiceError, match="系统"):  # nobody completes it by hand
            tr.execute("complete", case, people.registrar, version=case.version)
    with today_is(2026, 4, 20):
        assert tr.complete_lapsed_cases() == 0  # the last day to ask for 复查 is still open
    with today_is(2026, 4, 21):
        assert tr.complete_lapsed_cases() == 1
        assert tr.complete_lapsed_cases() == 0
    case.refresh_from_db()
    assert case.status == "completed" and case.concluded_at is None and case.due_date is None
    assert case.events.latest("at").action == "complete"


def test_back_dated_steps_on_the_same_day_keep_the_timeline_order(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 4))  # registered 03-04 09:00; now is 15:00
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 5)
        )
        case = tr.accept_case(case, people.handler, version=case.version, on=date(2026, 3, 5))
        case = tr.start_handling(case, people.handler, version=case.version, on=date(2026, 3, 5))
    assert list(case.events.values_list("action", flat=True)) == [
        "register",
        "forward",
        "accept",
        "start_handling",
    ]
    ats = list(case.events.values_list("at", flat=True))
    assert ats == sorted(ats) and len(set(ats)) == 4
