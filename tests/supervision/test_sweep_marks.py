"""The sweep marks every running step at risk (≤ 3 working days) or overdue, and letters awaiting feedback."""

from datetime import date

import pytest

from tests.factories import make_case, make_user
from tests.supervision.helpers import handling_case
from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role
from xinfang.supervision.letters import issue_letter
from xinfang.supervision.models import DeadlineMark
from xinfang.supervision.sweep import mark_deadlines

DAY = date(2026, 4, 29)


def marks():
    return {(m.step, m.case_id): m.state for m in DeadlineMark.objects.all()}


@pytest.mark.django_db
def test_every_step_is_marked_at_risk_or_overdue(district):
    unit = district.units[0]
    triage = make_case(current_step="triage", due_date=date(2026, 4, 28))
    acceptance = make_case(
        unit=unit, status=Status.FORWARDED, current_step="acceptance", due_date=date(2026, 5, 7)
    )
    handling = handling_case(unit, date(2026, 5, 8))  # four working days away: not yet
    review = make_case(unit=unit, status=Status.REVIEW_REQUESTED, current_step="review", due_date=DAY)
    closed = make_case(status=Status.COMPLETED, current_step="triage", due_date=date(2026, 4, 1))
    officer = make_user(Role.SUPERVISOR, district.bureau)
    letter = issue_letter(
        actor=officer,
        kind="urge",
        unit=unit,
        case=handling,
        content="督办",
        issued_on=date(2026, 3, 2),
        feedback_due_on=date(2026, 4, 1),
    )
    mark_deadlines(DAY)
    assert marks() == {
        ("triage", triage.pk): "overdue",
        ("acceptance", acceptance.pk): "at_risk",
        ("review", review.pk): "at_risk",
        ("letter", handling.pk): "overdue",
    }
    assert closed.pk not in {c for _, c in marks()}
    assert DeadlineMark.objects.get(step="letter").subject_id == letter.pk
    # The next day the review is overdue; the acceptance step was done and its mark goes.
    Case.objects.filter(pk=acceptance.pk).update(
        status=Status.ACCEPTED, current_step="handling", due_date=date(2026, 7, 1)
    )
    result = mark_deadlines(date(2026, 4, 30))
    assert marks()[("review", review.pk)] == "overdue"
    assert ("acceptance", acceptance.pk) not in marks()
    assert result["marks_removed"] == 1
    assert mark_deadlines(date(2026, 4, 30)) == {"marks_written": 0, "marks_removed": 0}
