"""Issue 11 item 1: the repeat hint never names a case its reader may not see (the link is rendered per reader)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.cases.helpers import VALID_ID, registration
from tests.factories import make_user
from tests.workflow.conftest import today_is
from xinfang.cases.registration import PetitionerInput
from xinfang.cases.repeats import find_earlier_cases
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_a_unit_reading_a_repeat_never_sees_the_earlier_accusation_it_may_not_see(people):
    accused = people.unit
    with today_is(2026, 3, 2):
        accusation = register_case(
            actor=people.registrar,
            data=registration(
                nature="accusation", accused_organisation=accused.pk, title="举报区第1局科长受贿",
                received_date=date(2026, 3, 2),
            ),
        )  # fmt: skip
    with today_is(2026, 3, 10):
        repeat = register_case(
            actor=people.registrar, data=registration(title="反映噪声", received_date=date(2026, 3, 10))
        )
        repeat = tr.forward_case(repeat, people.registrar, version=repeat.version, unit=accused)
    assert repeat.is_repeat_suspect
    assert accusation.number not in repeat.repeat_reason and "受贿" not in repeat.repeat_reason
    assert all(accusation.number not in e.note for e in repeat.events.all())
    handler = make_user(Role.HANDLER, accused)
    client = Client()
    client.force_login(handler)
    page = client.get(f"/cases/{repeat.pk}/").content.decode()
    assert "疑似重复信访" in page and accusation.number not in page and "受贿" not in page
    from xinfang.api.auth import issue_token

    api = client.get(f"/api/cases/{repeat.pk}", HTTP_AUTHORIZATION=f"Bearer {issue_token(handler, '测试')}")
    assert api.status_code == 200 and "在先信访件" in api.json()["repeat_reason"]
    assert accusation.number not in api.content.decode()
    # The bureau, who may see the earlier case, gets its link.
    registrar = Client()
    registrar.force_login(people.registrar)
    assert accusation.number in registrar.get(f"/cases/{repeat.pk}/").content.decode()


def test_the_earlier_cases_box_lists_only_what_the_registrar_may_see(people):
    officer = make_user(Role.REGISTRAR, people.registrar.organisation)
    with today_is(2026, 11, 2):
        secret = register_case(actor=officer, data=registration(is_confidential=True))
    who = [PetitionerInput(name="张伟", id_number=VALID_ID)]
    assert [e.case for e in find_earlier_cases(who, viewer=officer)] == [secret]
    assert find_earlier_cases(who, viewer=people.registrar) == []
