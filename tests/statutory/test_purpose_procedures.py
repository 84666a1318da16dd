"""Issue 10 item 1: 信访目的 decides the procedure (art.29 建议意见, art.30 检举控告, art.31 申诉求决)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_org, make_user
from tests.statutory.helpers import doc_text, state
from tests.workflow.conftest import new_case, opinion, today_is
from xinfang.cases.choices import Nature
from xinfang.cases.permissions import is_accused_org, visible_cases
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _codes(case, user) -> set[str]:
    return {a.code for a in engine.allowed_actions(case, user)}


def test_a_suggestion_is_studied_and_answered_without_opinion_or_review(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 2), nature=Nature.SUGGESTION, title="建议增设社区公交线路")
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 3)
        )
        case = tr.accept_case(case, people.handler, version=case.version, on=date(2026, 3, 4))
        notice = doc_text(case, "acceptance_notice")
        assert "第二十九条" in notice and "第三十一条第六项" not in notice and "处理意见书" not in notice
        assert case.handling_route == "29"
        offered = _codes(case, people.head)
        assert "answer_suggestion" in offered and "reply" not in offered and "extend" not in offered
        with pytest.raises(ServiceError, match="不出具处理意见书"):
            tr.reply_case(case, people.head, version=case.version, **opinion())
        case = tr.execute(
            "answer_suggestion", case, people.head, version=case.version, adoption="partly_adopted",
            answer="拟在明年线网优化中增设支线，高峰时段加密班次。",
        )  # fmt: skip
    assert case.status == "completed" and case.outcome == "partly_adopted" and case.replied_at is not None
    assert not case.documents.filter(doc_type="handling_opinion").exists()
    assert "部分采纳" in doc_text(case, "suggestion_reply")
    assert _codes(case, people.registrar) == set()  # no 复查, no 终结: the procedure has ended


def test_an_accusation_goes_to_discipline_inspection_and_ends_with_feedback(people, district):
    discipline = make_org("区纪委监委", OrgKind.DEPARTMENT, district.root)
    inspector = make_user(Role.UNIT_HEAD, discipline)
    accused = people.unit
    sub_unit = make_org("区第1局下属中心", OrgKind.DEPARTMENT, accused)
    with today_is(2026, 3, 10):
        case = new_case(
            people, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=accused,
            title="举报某局干部违规收受礼金",
        )  # fmt: skip
        with pytest.raises(ServiceError, match="被反映单位"):  # its sub-unit is in the chain too
            tr.forward_case(case, people.registrar, version=case.version, unit=sub_unit)
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=discipline, on=date(2026, 3, 3)
        )
        case = tr.accept_case(case, inspector, version=case.version, on=date(2026, 3, 4))
        notice = doc_text(case, "acceptance_notice")
        assert "第三十条" in notice and "第三十一条第六项" not in notice
        offered = _codes(case, inspector)
        assert "answer_accusation" in offered and "reply" not in offered
        case = tr.execute(
            "answer_accusation",
            case,
            inspector,
            version=case.version,
            feedback="经核查，已依规依纪处理，现予反馈。",
        )
    assert case.status == "completed" and case.outcome == "accusation_answered"
    assert not case.documents.filter(doc_type="handling_opinion").exists()
    assert "反馈" in doc_text(case, "accusation_feedback")
    assert _codes(case, people.registrar) == set()
    # The accused unit, its parent chain short of the district, and its own sub-units never see it.
    sub_user = make_user(Role.HANDLER, sub_unit)
    assert is_accused_org(case, sub_unit) and is_accused_org(case, accused)
    assert not is_accused_org(case, district.root)
    assert not visible_cases(sub_user).filter(pk=case.pk).exists()


def test_an_accusation_over_the_api_refuses_a_handling_opinion_and_writes_nothing(cast, district):
    p = cast.people
    discipline = make_org("区纪委监委", OrgKind.DEPARTMENT, district.root)
    inspector = make_user(Role.UNIT_HEAD, discipline)
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=p.other_unit)
        case = tr.forward_case(case, p.registrar, version=case.version, unit=discipline, on=date(2026, 3, 3))
        case = tr.accept_case(case, inspector, version=case.version, on=date(2026, 3, 4))
        from tests.api.test_workflow_api import Api

        api = Api(inspector)
        before = state(case)
        r = api.act(case.pk, "reply", version=case.version, **opinion(served_on="2026-03-09"))
        assert r.status_code == 409 and "处理意见书" in r.json()["message"]
        assert state(case) == before
        r = api.act(case.pk, "answer_accusation", version=case.version, feedback="已查实，已处理。")
        assert r.status_code == 200, r.content.decode()
        assert r.json()["case"]["status"] == "completed"
