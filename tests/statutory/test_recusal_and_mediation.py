"""Issue 10 item 9: 回避 (art.28 ¶3) on the case, 调解/和解 (art.33) as an outcome of handling."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_user
from tests.statutory.helpers import doc_text, state
from tests.workflow.conftest import new_case, to_handling, today_is
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_a_handler_who_recuses_can_take_no_further_action_and_a_colleague_can(cast):
    p = cast.people
    with today_is(2026, 3, 4):
        case = new_case(p, date(2026, 3, 2))
        case = tr.forward_case(case, p.registrar, version=case.version, unit=p.unit, on=date(2026, 3, 3))
        r = cast.handler.act(case.pk, "recuse", version=case.version, reason="信访人系本人近亲属")
        assert r.status_code == 200, r.content.decode()
        case.refresh_from_db()
        assert case.recusals.get().user == p.handler and case.status == "forwarded"
        assert engine.allowed_actions(case, p.handler) == []
        before = state(case)
        with pytest.raises(ServiceError, match="回避") as err:
            tr.accept_case(case, p.handler, version=case.version)
        assert err.value.code == ErrorCode.FORBIDDEN
        assert state(case) == before
        colleague = make_user(Role.HANDLER, p.unit)
        case = tr.accept_case(case, colleague, version=case.version)
    assert case.status == "accepted"


def test_a_mediated_agreement_ends_handling_without_review(cast):
    p = cast.people
    with today_is(2026, 3, 20):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        r = cast.head.act(
            case.pk, "mediate", version=case.version, kind="mediated",
            agreement="施工单位承诺夜间22时后停止施工，并补偿住户每户500元。",
        )  # fmt: skip
        assert r.status_code == 200, r.content.decode()
    case.refresh_from_db()
    assert case.status == "completed" and case.outcome == "mediated" and case.replied_at is not None
    assert "调解协议" in doc_text(case, "mediation_agreement")
    with today_is(2026, 3, 21):
        assert engine.allowed_actions(case, p.registrar) == []
