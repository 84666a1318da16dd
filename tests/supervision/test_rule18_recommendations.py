"""Rule 18: a recommendation stays open until written feedback; overdue after the profile window (30 days)."""

from datetime import date

import pytest

from tests.factories import make_case, make_user
from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import Nature
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision.letters import (
    is_overdue,
    issue_recommendation,
    overdue_recommendations,
    record_feedback,
)
from xinfang.supervision.models import FeedbackStatus, Letter, RecommendationKind

ISSUED = date(2026, 3, 2)


@pytest.fixture
def officer(district):
    return make_user(Role.REGISTRAR, district.bureau)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", RecommendationKind.values)
def test_rule18_each_kind_stays_open_until_feedback_and_is_overdue_after_30_days(district, officer, kind):
    rec = issue_recommendation(
        actor=officer, kind=kind, unit=district.units[0], content="建议改进", issued_on=ISSUED
    )
    assert rec.feedback_due == date(2026, 4, 1)
    assert (rec.kind, rec.recommendation_kind, rec.number) == ("recommendation", kind, "建议〔2026〕1号")
    assert not is_overdue(rec, date(2026, 4, 1))
    assert is_overdue(rec, date(2026, 4, 2))
    assert list(overdue_recommendations(date(2026, 4, 1))) == []
    assert list(overdue_recommendations(date(2026, 4, 2))) == [rec]
    # Late feedback still closes it; a closed recommendation is never overdue.
    closed = record_feedback(
        rec, actor=officer, text="已采纳，正在整改", received_on=date(2026, 4, 10), adopted=True
    )
    assert (closed.status, closed.adopted, closed.feedback_on) == (
        FeedbackStatus.CLOSED,
        True,
        date(2026, 4, 10),
    )
    assert list(overdue_recommendations(date(2026, 5, 1))) == []
    assert not is_overdue(closed, date(2026, 5, 1))
    assert AuditEvent.objects.filter(action="letter.feedback").count() == 1


@pytest.mark.django_db
def test_rule18_feedback_window_comes_from_settings(district, officer, settings):
    settings.XINFANG = {**settings.XINFANG, "RECOMMENDATION_FEEDBACK_DAYS": 10}
    rec = issue_recommendation(
        actor=officer, kind="improve_work", unit=district.units[0], content="建议", issued_on=ISSUED
    )
    assert rec.feedback_due == date(2026, 3, 12)


@pytest.mark.django_db
def test_rule18_empty_feedback_or_missing_adoption_keeps_it_open(district, officer):
    rec = issue_recommendation(
        actor=officer, kind="improve_policy", unit=district.units[0], content="完善政策", issued_on=ISSUED
    )
    with pytest.raises(ValidationFailed) as exc:
        record_feedback(rec, actor=officer, text="   ", adopted=True)
    assert exc.value.field == "feedback"
    with pytest.raises(ValidationFailed) as exc:
        record_feedback(rec, actor=officer, text="收到")
    assert exc.value.field == "adopted"
    assert Letter.objects.get(pk=rec.pk).status == FeedbackStatus.OPEN
    record_feedback(rec, actor=officer, text="不予采纳，理由如下", adopted=False, received_on=ISSUED)
    with pytest.raises(ServiceError, match="不能重复记录"):
        record_feedback(rec, actor=officer, text="再次反馈", adopted=True)


@pytest.mark.django_db
def test_bad_recommendation_input_is_refused_in_chinese_and_nothing_is_stored(district, officer):
    with pytest.raises(ValidationFailed) as exc:
        issue_recommendation(actor=officer, kind="praise", unit=district.units[0], content="")
    assert set(exc.value.errors) == {"kind", "content"}
    assert "改进工作建议" in exc.value.errors["kind"][0]
    accused = district.units[1]
    case = make_case(registered_by=officer, nature=Nature.ACCUSATION, accused_organisation=accused)
    with pytest.raises(ServiceError) as exc:
        issue_recommendation(actor=officer, kind="accountability", unit=accused, content="追责", case=case)
    assert exc.value.code == ErrorCode.ACCUSED_UNIT
    assert not Letter.objects.exists()
