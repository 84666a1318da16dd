"""Issue 10 items 5-7 through the JSON API: a six-signatory joint letter registers, and a higher body's
registration of a matter in handling is refused under art.19 ¶3 with its written notice."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.test_workflow_api import Api
from tests.factories import leaf_category, make_user
from tests.workflow.conftest import new_case, to_handling, today_is
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _payload(**extra) -> dict:
    return {
        "channel": "letter", "title": "联名反映小区停车收费", "content": "小区停车收费标准上调，业主联名请求核查。",
        "category": leaf_category().pk, "nature": "appeal", "received_date": "2026-03-20",
        "petitioners": [{"name": f"联名人{i}"} for i in range(6)], **extra,
    }  # fmt: skip


def test_a_joint_letter_with_six_signatories_registers_over_the_api(people):
    with today_is(2026, 3, 20):
        r = Api(people.registrar).post("/api/cases/", _payload())
    assert r.status_code == 201, r.content.decode()
    assert len(r.json()["petitioners"]) == 6 and r.json()["is_collective"]


def test_a_higher_body_registering_a_matter_in_handling_gets_the_art19_ruling_over_the_api(people, district):
    with today_is(2026, 3, 20):
        first = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        same_level = Api(people.registrar).post("/api/cases/", _payload(related_case=first.pk))
        city_registrar = make_user(Role.REGISTRAR, district.city_bureau)
        higher = Api(city_registrar).post("/api/cases/", _payload(related_case=first.pk))
    assert same_level.status_code == 201 and same_level.json()["status"] == "registered"
    assert higher.status_code == 201 and higher.json()["status"] == "not_accepted"
    case = Case.objects.get(pk=higher.json()["id"])
    assert case.documents.filter(doc_type="non_acceptance_notice").exists()
    assert "第十九条第三款" in higher.json()["timeline"][-1]["note"]
