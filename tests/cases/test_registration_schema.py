"""One declaration of the registration fields: the form, the API schema and the labels follow the model."""

import pytest

from xinfang.api.errors import field_label
from xinfang.cases.api import CaseIn, PetitionerIn
from xinfang.cases.forms import PetitionerForm, RegistrationForm
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.registration import PetitionerInput, RegistrationInput, label, specs

# The API's JSON field names are a contract with other systems.
CASE_FIELDS = {
    "channel", "received_date", "title", "content", "requests", "category", "nature", "petitioners",
    "upstream_ref", "upstream_level", "accused_organisation", "place_organisation", "place_address",
    "headcount", "is_first", "is_level_skipping", "is_to_beijing", "is_major_urgent", "is_confidential",
    "related_case",
}  # fmt: skip
PETITIONER_FIELDS = {"name", "id_type", "id_number", "phone", "address", "is_representative"}


def test_the_api_keeps_its_json_field_names_and_required_fields():
    schema = CaseIn.model_json_schema()
    assert set(schema["properties"]) == CASE_FIELDS
    assert set(schema["required"]) == {
        "channel", "received_date", "title", "content", "category", "nature", "petitioners"
    }  # fmt: skip
    person = PetitionerIn.model_json_schema()
    assert set(person["properties"]) == PETITIONER_FIELDS and person["required"] == ["name"]


def test_form_fields_are_the_declared_fields():
    assert set(RegistrationForm.base_fields) == CASE_FIELDS - {"petitioners"}
    assert set(PetitionerForm.base_fields) == PETITIONER_FIELDS


@pytest.mark.parametrize(
    ("model", "name"), [(Case, "title"), (Case, "upstream_ref"), (Petitioner, "name"), (Petitioner, "phone")]
)
def test_max_length_comes_from_the_model(model, name):
    limit = model._meta.get_field(name).max_length
    form = RegistrationForm if model is Case else PetitionerForm
    schema = CaseIn if model is Case else PetitionerIn
    assert form.base_fields[name].max_length == limit
    assert schema.model_json_schema()["properties"][name]["maxLength"] == limit


def test_labels_are_the_models_verbose_names_unless_declared_otherwise():
    for spec in specs(RegistrationInput):
        if spec.name != "headcount":
            assert spec.label == Case._meta.get_field(spec.name).verbose_name
    assert label("headcount") == "来访人数" and label("id_number") == "身份证号码"
    assert RegistrationForm.base_fields["title"].label == "标题"
    assert label("petitioners") == "信访人"


def test_api_error_labels_come_from_the_registration_schema():
    for spec in specs(PetitionerInput):
        assert field_label(spec.name) == spec.label
    assert field_label("version") == "版本号"
