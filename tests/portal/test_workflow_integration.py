"""The workflow engine's real reply_case opens the evaluation, dated from the served reply (rule 20)."""

from datetime import date

import pytest

from tests.analytics.helpers import at
from tests.workflow.conftest import new_case, people, to_replied, today_is  # noqa: F401  (people is a fixture)
from xinfang.analytics.rollups import totals
from xinfang.portal.models import Evaluation, EvaluationStatus
from xinfang.portal.services import submit_evaluation


@pytest.mark.django_db
def test_reply_case_opens_evaluation_from_the_served_date_and_rolls_up(people):  # noqa: F811
    with today_is(2026, 3, 25):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 20))
    ev = Evaluation.objects.get(case=case, stage="result")
    assert (ev.status, ev.reply_date, ev.window_closes) == (
        EvaluationStatus.PENDING,
        date(2026, 3, 20),
        date(2026, 4, 19),
    )
    assert totals(date(2026, 3, 1), date(2026, 3, 31))["replied"] == 1
    with today_is(2026, 4, 19):
        submit_evaluation(case, "satisfied", "", at(date(2026, 4, 19), 20))
    assert Evaluation.objects.get(case=case, stage="result").status == EvaluationStatus.EVALUATED
    case.refresh_from_db()
    assert case.status == "evaluated"  # the workflow's system action `evaluate`, run by the service
