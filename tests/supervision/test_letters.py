"""Supervision letters (提醒函/督办函/问责建议函): issued by hand with a reason, numbered per kind and year,
with a feedback deadline of 30 days on the calendar, tracked to closure."""

from datetime import date

import pytest

from tests.factories import make_case, make_user
from xinfang.audit.models import AuditEvent
from xinfang.core.errors import ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision.letters import issue_letter, overdue_letters, record_feedback
from xinfang.supervision.models import FeedbackStatus, Letter

ISSUED = date(2026, 3, 2)


@pytest.fixture
def officer(district):
    return make_user(Role.REGISTRAR, district.bureau)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["reminder", "urge", "accountability"])
def test_letter_is_overdue_after_its_due_date_until_the_reply_is_recorded(district, officer, kind):
    case = make_case(registered_by=officer, unit=district.units[0])
    letter = issue_letter(
        actor=officer,
        kind=kind,
        unit=district.units[0],
        case=case,
        content="请于期限内书面回复",
        reason="承办单位逾期未答复",
        issued_on=ISSUED,
    )
    assert letter.feedback_due == date(2026, 4, 1)  # default 30 days
    assert letter.reason == "承办单位逾期未答复"
    assert list(overdue_letters(date(2026, 4, 1))) == []
    assert list(overdue_letters(date(2026, 4, 2))) == [letter]
    record_feedback(letter, actor=officer, text="已整改完毕", received_on=date(2026, 4, 3))
    letter.refresh_from_db()
    assert (letter.status, letter.feedback, letter.feedback_on) == (
        FeedbackStatus.CLOSED,
        "已整改完毕",
        date(2026, 4, 3),
    )
    assert list(overdue_letters(date(2026, 4, 1))) == []
    assert AuditEvent.objects.filter(action__in=["letter.issue", "letter.feedback"]).count() == 2


@pytest.mark.django_db
def test_letter_due_date_must_follow_issue_date_and_feedback_cannot_predate_it(district, officer):
    with pytest.raises(ValidationFailed) as exc:
        issue_letter(
            actor=officer,
            kind="urge",
            unit=district.units[0],
            content="督办",
            issued_on=ISSUED,
            feedback_due_on=ISSUED,
        )
    assert exc.value.field == "feedback_due" and "反馈期限" in exc.value.message
    assert not Letter.objects.exists()
    letter = issue_letter(
        actor=officer,
        kind="reminder",
        unit=district.units[0],
        content="提醒",
        issued_on=ISSUED,
        feedback_due_on=date(2026, 3, 9),
    )
    with pytest.raises(ValidationFailed) as exc:
        record_feedback(letter, actor=officer, text="回复", received_on=date(2026, 3, 1))
    assert exc.value.field == "feedback_on"
    assert Letter.objects.get(pk=letter.pk).status == FeedbackStatus.OPEN


@pytest.mark.django_db
def test_feedback_due_on_a_holiday_rolls_to_the_next_working_day(district, officer):
    # 2 Sep + 30 days = 2 Oct, in the National Day holiday (1–7 Oct 2026): due Thu 8 Oct.
    letter = issue_letter(
        actor=officer, kind="reminder", unit=district.units[0], content="提醒", issued_on=date(2026, 9, 2)
    )
    assert letter.feedback_due == date(2026, 10, 8)


@pytest.mark.django_db
def test_numbers_run_per_kind_and_year(district, officer):
    def issue(kind, day):
        return issue_letter(
            actor=officer, kind=kind, unit=district.units[0], content="函", issued_on=day
        ).number

    assert issue("urge", date(2025, 12, 30)) == "督办〔2025〕1号"
    assert issue("urge", date(2026, 1, 5)) == "督办〔2026〕1号"
    assert issue("reminder", date(2026, 1, 5)) == "提醒〔2026〕1号"
    assert issue("urge", date(2026, 1, 6)) == "督办〔2026〕2号"


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_when_many_supervisors_issue_at_once(district):
    import threading

    from django.db import connection

    officer = make_user(Role.SUPERVISOR, district.bureau)
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(3):
                for attempt in range(
                    20
                ):  # SQLite may report the database busy; PostgreSQL queues on the row lock
                    try:
                        issue_letter(
                            actor=officer,
                            kind="urge",
                            unit=district.units[0],
                            content="督办",
                            issued_on=ISSUED,
                        )
                        break
                    except Exception as exc:
                        if "locked" not in str(exc) or attempt == 19:
                            raise
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    numbers = sorted(Letter.objects.values_list("seq", flat=True))
    assert numbers == list(range(1, 19))


def test_a_second_pending_letter_of_one_kind_on_one_case_is_refused_until_the_first_is_answered(
    district, officer
):
    from xinfang.core.errors import ServiceError

    unit = district.units[0]
    case = make_case(unit=unit)
    first = issue_letter(
        actor=officer, kind="urge", unit=unit, content="请加快办理", case=case, reason="超期"
    )
    with pytest.raises(ServiceError, match=first.number):
        issue_letter(actor=officer, kind="urge", unit=unit, content="请加快办理", case=case, reason="再催")
    assert Letter.objects.filter(case=case).count() == 1
    issue_letter(actor=officer, kind="reminder", unit=unit, content="请注意期限", case=case, reason="临期")
    record_feedback(first, actor=make_user(Role.UNIT_HEAD, unit), text="已办结并答复信访人")
    issue_letter(actor=officer, kind="urge", unit=unit, content="请加快办理", case=case, reason="再次超期")
    assert Letter.objects.filter(case=case, kind="urge").count() == 2
