"""Issue 11 item 2: a hidden case and a missing one get the same answer (no existence oracle)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.helpers import registration
from tests.factories import make_case, make_user
from tests.workflow.conftest import new_case, today_is
from xinfang.cases.models import Case
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.core.errors import ValidationFailed
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _message(call) -> dict:
    with pytest.raises(ValidationFailed) as err:
        call()
    return err.value.errors


def test_related_case_answers_alike_for_hidden_and_missing(people):
    officer = make_user(Role.REGISTRAR, people.registrar.organisation)
    secret = make_case(registered_by=officer, is_confidential=True)
    secret.confidential_officers.add(officer)
    with today_is(2026, 11, 2):
        hidden = _message(
            lambda: register_case(actor=people.registrar, data=registration(related_case=secret.pk))
        )
        missing = _message(
            lambda: register_case(actor=people.registrar, data=registration(related_case=10**9))
        )
        assert hidden == missing == {"related_case": ["关联信访件不存在或无权查看"]}
        # The officer who may see it links to it.
        assert register_case(actor=officer, data=registration(related_case=secret.pk)).related_case == secret


def test_merge_target_answers_alike_for_hidden_and_missing(people):
    officer = make_user(Role.REGISTRAR, people.registrar.organisation)
    secret = make_case(registered_by=officer, is_confidential=True, received=date(2026, 3, 1))
    secret.confidential_officers.add(officer)
    with today_is(2026, 3, 3):
        case = new_case(people, date(2026, 3, 2))
        hidden = _message(
            lambda: tr.merge_case(case, people.registrar, version=case.version, target=secret.number)
        )
        missing = _message(
            lambda: tr.merge_case(case, people.registrar, version=case.version, target="XF-2026-999999")
        )
        assert hidden == missing
    assert Case.objects.get(pk=case.pk).status == "registered"
