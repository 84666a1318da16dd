"""Issue 10 items 5-7: art.19 ¶3 for higher levels only, the art.20 cap for visits only, every notice issued."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.helpers import registration
from tests.factories import make_case, make_user
from tests.statutory.helpers import doc_text
from tests.workflow.conftest import new_case, opinion, to_handling, to_replied, today_is
from xinfang.cases.choices import Status
from xinfang.cases.registration import PetitionerInput
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import rulings
from xinfang.cases.workflow.codes import ART31_ROUTES
from xinfang.documents.case_documents import DOC_TYPES
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_art19_applies_to_a_higher_body_not_to_the_same_level_bureau(people, district):
    with today_is(2026, 3, 20):
        first = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        again = make_case(registered_by=people.registrar, received=date(2026, 3, 20), related_case=first)
        assert rulings.apply(again, people.registrar) is None  # the district bureau is the same level
        city_clerk = make_user(Role.REGISTRAR, district.city_bureau)
        higher = make_case(registered_by=city_clerk, received=date(2026, 3, 20), related_case=first)
        assert rulings.apply(higher, city_clerk) == Status.NOT_ACCEPTED
    assert again.status == Status.REGISTERED
    assert "第十九条第三款" in doc_text(higher, "non_acceptance_notice")


def test_art31_1_reads_as_the_article_does():
    assert ART31_ROUTES["31(1)"].startswith("审判机关诉讼程序或者复议程序")
    assert "以外" not in ART31_ROUTES["31(1)"]


def test_a_joint_letter_and_an_online_petition_with_six_signatories_register(people):
    signers = [PetitionerInput(name=f"联名人{i}") for i in range(6)]
    with today_is(2026, 11, 2):
        letter = register_case(actor=people.registrar, data=registration(petitioners=signers, headcount=6))
        online = register_case(
            actor=people.registrar, data=registration(petitioners=signers, headcount=6, channel="online")
        )
    assert letter.parties.count() == 6 and online.parties.count() == 6
    assert letter.is_collective


def test_inform_issues_a_written_notice_naming_the_route(people):
    with today_is(2026, 3, 3):
        case = new_case(people, date(2026, 3, 2))
        case = tr.inform_case(case, people.registrar, version=case.version, route="31(2)")
    assert "仲裁程序" in doc_text(case, "inform_notice")


def test_registration_rulings_issue_their_notices(people, district):
    with today_is(2026, 6, 1):
        first = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 9))
        first = tr.request_review(
            first, people.registrar, version=first.version, body=people.district, received_on=date(2026, 3, 20),
            reason="不服",
        )  # fmt: skip
        first = tr.review_case(first, people.district_head, version=first.version, **opinion())
        first = tr.request_rereview(
            first, people.registrar, version=first.version, body=people.city, received_on=date(2026, 6, 1),
            reason="不服",
        )  # fmt: skip
        first = tr.rereview_case(first, people.city_head, version=first.version, **opinion())
        again = make_case(registered_by=people.registrar, received=date(2026, 6, 1), related_case=first)
        assert rulings.apply(again, people.registrar) == Status.NOT_REACCEPTED
    assert "不再受理" in doc_text(again, "not_reaccept_notice")


def test_the_acceptance_notice_gives_the_date_the_unit_received_the_case(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 2))  # the bureau received it on 03-02
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 5)
        )
        case = tr.accept_case(case, people.handler, version=case.version, on=date(2026, 3, 9))
    text = doc_text(case, "acceptance_notice")
    assert "已于二〇二六年三月五日收到" in text and "三月二日" not in text


def test_the_review_route_names_the_last_day_and_the_government_and_that_day_is_accepted(people):
    with today_is(2026, 3, 10):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 9))
    text = doc_text(case, "handling_opinion")
    assert "最迟于2026年04月08日" in text and "示例区人民政府" in text
    with today_is(2026, 4, 8):  # the last day itself
        case = tr.request_review(
            case, people.registrar, version=case.version, body=people.district, received_on=date(2026, 4, 8),
            reason="不服处理意见",
        )  # fmt: skip
    assert case.status == "review_requested"


def test_no_notice_promises_a_query_code_service():
    from xinfang.documents.case_documents import load_template

    for doc_type in DOC_TYPES:
        assert "查询码" not in str(load_template(doc_type)), doc_type
