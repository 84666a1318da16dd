"""Issue 10 items 2-3: no bypass of the objection procedure, no gaming of deadlines, honest cohorts."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_case, make_user
from tests.statutory.helpers import state
from tests.workflow.conftest import new_case, to_handling, today_is
from xinfang.analytics.metrics import on_time_conclusion_breakdown, timely_acceptance_breakdown
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import rulings
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_a_unit_cannot_declare_a_forwarded_case_outside_its_remit_it_must_object(cast):
    p = cast.people
    with today_is(2026, 3, 4):
        case = new_case(p, date(2026, 3, 2))
        case = tr.forward_case(case, p.registrar, version=case.version, unit=p.unit, on=date(2026, 3, 3))
        before = state(case)
        with pytest.raises(ServiceError, match="第二十三条第三款") as err:
            tr.not_accept_case(case, p.handler, version=case.version, ground="not_remit")
        assert err.value.code == ErrorCode.NOT_ALLOWED
        r = cast.handler.act(case.pk, "not_accept", version=case.version, ground="not_remit")
        assert r.status_code == 409 and "异议" in r.json()["message"]
        assert state(case) == before
        # The statutory route remains: an objection within 5 working days.
        case = tr.object_case(case, p.handler, version=case.version, reason="属于区第2局职责")
    assert case.status == "objected"


def test_an_extension_after_the_handling_deadline_is_refused(cast):
    p = cast.people
    with today_is(2026, 3, 4):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
    assert case.handling_due_date == date(2026, 5, 6)
    with today_is(2026, 5, 7):
        before = state(case)
        with pytest.raises(ServiceError, match="办理期限已于2026-05-06届满"):
            tr.extend_deadline(case, p.head, version=case.version, days=10, reason="补充调查")
        r = cast.head.act(case.pk, "extend", version=case.version, days=10, reason="补充调查")
        assert r.status_code == 409 and "第三十四条" in r.json()["message"]
        assert "extend" not in [a["code"] for a in cast.head.actions(case.pk).json()["actions"]]
        assert state(case) == before


def test_an_assignment_deadline_beyond_the_statutory_maximum_is_refused(cast):
    p = cast.people
    with today_is(2026, 3, 3):
        case = new_case(p, date(2026, 3, 2))
        # 03-03 + 15 (notice) = 03-18; + 60 + 30 = 06-16.
        with pytest.raises(ValidationFailed, match="2026-06-16"):
            tr.assign_case(case, p.registrar, version=case.version, unit=p.unit, result_due=date(2026, 6, 17))
        r = cast.registrar.act(
            case.pk, "assign", version=case.version, unit=p.unit.pk, result_due="2026-06-17"
        )
        assert r.status_code == 422 and r.json()["field"] == "result_due"
        case = tr.assign_case(
            case, p.registrar, version=case.version, unit=p.unit, result_due=date(2026, 6, 16)
        )
    assert case.status == "assigned"


def test_withdrawn_and_diverted_cases_leave_the_on_time_cohort_and_the_breakdown_says_so(people):
    with today_is(2026, 1, 20):
        kept = to_handling(new_case(people, date(2026, 1, 5)), people, date(2026, 1, 6), date(2026, 1, 7))
        withdrawn = to_handling(
            new_case(people, date(2026, 1, 5)), people, date(2026, 1, 6), date(2026, 1, 7)
        )
        withdrawn = tr.withdraw_case(
            withdrawn, people.registrar, version=withdrawn.version, reason="信访人撤回"
        )
        diverted = new_case(people, date(2026, 1, 5))
        diverted = tr.forward_case(
            diverted, people.registrar, version=diverted.version, unit=people.unit, on=date(2026, 1, 6)
        )
        diverted = tr.accept_case(diverted, people.handler, version=diverted.version, on=date(2026, 1, 7))
        diverted = tr.inform_case(diverted, people.handler, version=diverted.version, route="31(4)")
        assert diverted.status == "informed" and diverted.documents.filter(doc_type="inform_notice").exists()
    assert {kept.handling_due_date, withdrawn.handling_due_date, diverted.handling_due_date} == {
        date(2026, 3, 9)
    }
    with today_is(2026, 3, 20):
        counts = on_time_conclusion_breakdown(*MARCH)
    assert counts["total"] == 1 and counts["open_overdue"] == 1
    assert counts["excluded_withdrawn"] == 1 and counts["excluded_diverted"] == 1


def test_direct_and_merged_cases_leave_the_bureaus_timely_acceptance_cohort(people):
    clerk = make_user(Role.ADMIN, people.unit)
    with today_is(2026, 3, 2):
        make_case(
            registered_by=people.registrar, received=date(2026, 3, 2), triage_due_date=date(2026, 3, 17)
        )
        direct = make_case(registered_by=clerk, received=date(2026, 3, 2), triage_due_date=date(2026, 3, 17))
        rulings.apply(direct, clerk)
        earlier = new_case(people, date(2026, 3, 1))
        dup = make_case(
            registered_by=people.registrar, received=date(2026, 3, 2), triage_due_date=date(2026, 3, 17)
        )
        tr.merge_case(dup, people.registrar, version=dup.version, target=earlier)
    with today_is(2026, 3, 31):
        counts = timely_acceptance_breakdown(*MARCH)
    assert counts["excluded_direct"] == 1 and counts["excluded_merged"] == 1
    assert counts["total"] == 1 and counts["overdue_unhandled"] == 1


def test_after_a_first_level_reply_the_api_offers_no_conclusion_and_nobody_completes_it_by_hand(cast):
    from tests.workflow.conftest import to_replied

    p = cast.people
    with today_is(2026, 3, 10):
        case = to_replied(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 9))
    with today_is(2026, 4, 20):  # the 复查 window (to 04-08) has lapsed
        offered = [a["code"] for a in cast.registrar.actions(case.pk).json()["actions"]]
        assert "conclude" not in offered and "complete" not in offered
        before = state(case)
        assert cast.registrar.act(case.pk, "conclude", version=case.version).status_code == 409
        assert cast.registrar.act(case.pk, "complete", version=case.version).status_code == 403
        assert state(case) == before
        assert tr.complete_lapsed_cases() == 1  # the daily job 办结s it
    case.refresh_from_db()
    assert case.status == "completed"


def test_a_case_withdrawn_before_triage_is_not_overdue_unaccepted(people):
    """The UI review: 超期未受理件数 listed three 已撤回 cases, and they weighed on 及时受理率."""
    with today_is(2026, 3, 2):
        open_one = new_case(people, date(2026, 3, 2), triage_due_date=date(2026, 3, 17))
        gone = new_case(people, date(2026, 3, 2), triage_due_date=date(2026, 3, 17))
        tr.withdraw_case(gone, people.registrar, version=gone.version, reason="信访人撤回")
    with today_is(2026, 3, 31):
        counts = timely_acceptance_breakdown(*MARCH)
        assert counts["total"] == 1 and counts["overdue_unhandled"] == 1 and counts["excluded_merged"] == 1
        assert open_one.pk != gone.pk
