"""Guards: what the engine would refuse for a case is never offered, and what it offers it takes."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_case, make_user
from tests.workflow.conftest import new_case, opinion, to_replied, today_is
from xinfang.audit.models import AuditEvent
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine, rulings
from xinfang.cases.workflow import table as wf
from xinfang.cases.workflow.codes import ActionCode
from xinfang.core.errors import ServiceError
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _offered(case, user) -> set[str]:
    return {a.code for a in engine.allowed_actions(case, user)}


def test_every_guard_names_its_article_and_every_refusal_an_effect_makes_is_listed_as_a_check():
    for action in wf.ACTIONS.values():
        for guard in action.guards:
            assert guard.article.startswith("第"), guard
    # The rows whose effects check typed values say so in the table.
    for code in ("forward", "assign", "extend", "hearing", "reply", "request_review", "merge"):
        assert wf.ACTIONS[code].checks, code


def test_conclude_is_offered_only_after_a_rereview_opinion(people):
    with today_is(2026, 3, 10):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 9))
    with today_is(2026, 4, 9):  # the review window (to 04-08) has lapsed: still no 终结, the job 办结s it
        assert ActionCode.CONCLUDE not in _offered(case, people.registrar)
        assert ActionCode.COMPLETE not in _offered(case, people.registrar)
    with today_is(2026, 3, 20):
        case = tr.request_review(
            case, people.registrar, version=case.version, body=people.district, received_on=date(2026, 3, 12),
            reason="不服处理意见",
        )  # fmt: skip
        case = tr.review_case(case, people.district_head, version=case.version, **opinion())
        case = tr.request_rereview(
            case, people.registrar, version=case.version, body=people.city, received_on=date(2026, 3, 20),
            reason="不服复查意见",
        )  # fmt: skip
        assert ActionCode.CONCLUDE not in _offered(case, people.registrar)
        case = tr.rereview_case(case, people.city_head, version=case.version, **opinion())
        assert ActionCode.CONCLUDE in _offered(case, people.registrar)
        case = tr.conclude_case(case, people.registrar, version=case.version)
    assert case.status == "concluded"


def test_a_second_extension_is_not_offered(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 3)
        )
        case = tr.accept_case(case, people.handler, version=case.version, on=date(2026, 3, 4))
        assert ActionCode.EXTEND in _offered(case, people.head)
        case = tr.extend_deadline(case, people.head, version=case.version, days=30, reason="需要现场鉴定")
        assert ActionCode.EXTEND not in _offered(case, people.head)
        assert ActionCode.REPLY in _offered(case, people.head)
        with pytest.raises(ServiceError, match="只能延长一次"):
            tr.extend_deadline(case, people.head, version=case.version, days=5, reason="再延")


def test_the_objection_is_offered_within_five_working_days_only(people):
    with today_is(2026, 3, 3):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
        assert ActionCode.OBJECT in _offered(case, people.handler)
    with today_is(2026, 3, 11):  # received 03-03 (Tue): the fifth working day is 03-10
        assert ActionCode.OBJECT not in _offered(case, people.handler)
        with pytest.raises(ServiceError, match="异议期限已过"):
            tr.object_case(case, people.handler, version=case.version, reason="不属本单位")


def test_a_direct_receipt_ruling_writes_its_event_and_audit_row_and_bumps_the_version(people):
    clerk = make_user(Role.ADMIN, people.unit)
    with today_is(2026, 11, 2):
        case = make_case(registered_by=clerk, received=date(2026, 11, 2))
        version = case.version
        rulings.apply(case, clerk)
    case.refresh_from_db()
    assert case.version == version + 1
    event = case.events.get(action=ActionCode.DIRECT_RECEIPT)
    assert event.to_status == "registered" and "第二十三条第二款" in event.note
    assert AuditEvent.objects.filter(action="case.direct_receipt", object_id=str(case.pk)).count() == 1
    # The unit then accepts it like any routed case: the engine offers it and takes it.
    handler = make_user(Role.HANDLER, people.unit)
    with today_is(2026, 11, 3):
        assert ActionCode.ACCEPT in _offered(case, handler)
        case = tr.accept_case(case, handler, version=case.version)
    assert case.status == "accepted"
