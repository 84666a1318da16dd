"""The registration schema is declared once: the service's input, the page's form and the API's schema
share its fields, labels and the model's length limits."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.cases.api import CaseIn, PetitionerIn
from xinfang.cases.forms import PetitionerForm, RegistrationForm
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.registration import (
    CASE_ITEMS,
    LABELS,
    PETITIONER_ITEMS,
    PetitionerInput,
    RegistrationInput,
)
from xinfang.orgs.roles import Role


def test_the_form_the_api_and_the_input_have_the_same_fields():
    names = {i.name for i in CASE_ITEMS}
    assert set(RegistrationForm.items and {i.name for i in RegistrationForm.items}) == names
    assert set(CaseIn.model_fields) == names | {"petitioners"}
    assert set(RegistrationInput.__dataclass_fields__) == names | {"petitioners"}
    people = {i.name for i in PETITIONER_ITEMS}
    assert set(PetitionerIn.model_fields) == people == set(PetitionerInput.__dataclass_fields__)
    assert {i.name for i in PetitionerForm.items} == people


@pytest.mark.django_db
def test_labels_and_limits_come_from_the_model():
    assert LABELS["title"] == str(Case._meta.get_field("title").verbose_name) == "标题"
    assert LABELS["phone"] == str(Petitioner._meta.get_field("phone").verbose_name)
    assert (
        CaseIn.model_json_schema()["properties"]["title"]["maxLength"]
        == Case._meta.get_field("title").max_length
    )
    assert (
        RegistrationForm().fields["title"].max_length == 200
        and RegistrationForm().fields["title"].label == "标题"
    )


@pytest.mark.django_db
def test_an_over_long_name_is_a_422_naming_the_field_and_nothing_is_stored():
    d = make_district()
    token = issue_token(make_user(Role.REGISTRAR, d.bureau), "测试")
    payload = {
        "channel": "letter", "title": "标" * 201, "content": "内容", "category": 1, "nature": "appeal",
        "received_date": "2026-03-02", "petitioners": [{"name": "张" * 5000}],
    }  # fmt: skip
    r = Client().post(
        "/api/cases/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert any("标题" in m for m in errors["title"]) and any(
        "姓名" in m for ms in errors.values() for m in ms
    )
    assert not Case.objects.exists()
