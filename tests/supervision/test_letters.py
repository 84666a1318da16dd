"""Supervision letters (提醒函/督办函/问责建议函): issued with a reply due date, tracked to closure."""

from datetime import date

import pytest

from tests.factories import make_case, make_user
from xinfang.audit.models import AuditEvent
from xinfang.core.errors import ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision.models import FeedbackStatus, LetterKind, SupervisionLetter
from xinfang.supervision.services import issue_letter, overdue_letters, record_feedback

ISSUED = date(2026, 3, 2)


@pytest.fixture
def officer(district):
    return make_user(Role.REGISTRAR, district.bureau)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LetterKind.values)
def test_letter_is_overdue_after_its_due_date_until_the_reply_is_recorded(district, officer, kind):
    case = make_case(registered_by=officer, unit=district.units[0])
    letter = issue_letter(
        actor=officer,
        kind=kind,
        unit=district.units[0],
        case=case,
        content="请于期限内书面回复",
        issued_on=ISSUED,
    )
    assert letter.reply_due == date(2026, 3, 17)  # default 15 days
    assert list(overdue_letters(date(2026, 3, 17))) == []
    assert list(overdue_letters(date(2026, 3, 18))) == [letter]
    record_feedback(letter, actor=officer, text="已整改完毕", received_on=date(2026, 3, 20))
    letter.refresh_from_db()
    assert (letter.status, letter.reply, letter.replied_on) == (
        FeedbackStatus.CLOSED,
        "已整改完毕",
        date(2026, 3, 20),
    )
    assert list(overdue_letters(date(2026, 4, 1))) == []
    assert AuditEvent.objects.filter(action__in=["letter.issue", "supervisionletter.feedback"]).count() == 2


@pytest.mark.django_db
def test_letter_due_date_must_follow_issue_date_and_feedback_cannot_predate_it(district, officer):
    with pytest.raises(ValidationFailed) as exc:
        issue_letter(
            actor=officer,
            kind="supervision",
            unit=district.units[0],
            content="督办",
            issued_on=ISSUED,
            reply_due=ISSUED,
        )
    assert exc.value.field == "reply_due" and "回复期限" in exc.value.message
    assert not SupervisionLetter.objects.exists()
    letter = issue_letter(
        actor=officer,
        kind="reminder",
        unit=district.units[0],
        content="提醒",
        issued_on=ISSUED,
        reply_due=date(2026, 3, 9),
    )
    with pytest.raises(ValidationFailed) as exc:
        record_feedback(letter, actor=officer, text="回复", received_on=date(2026, 3, 1))
    assert exc.value.field == "feedback_on"
    assert SupervisionLetter.objects.get(pk=letter.pk).status == FeedbackStatus.OPEN
