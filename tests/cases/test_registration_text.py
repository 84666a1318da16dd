"""Registration pages and service: control characters pasted from Word are stored clean, text over the
model's length is refused with a Chinese message instead of reaching the database."""

import pytest
from django.test import Client

from tests.cases.helpers import registration
from tests.cases.test_pages import _client, _form
from tests.factories import make_district, make_user
from xinfang.cases.models import Case
from xinfang.cases.services import register_case
from xinfang.cases.validation import PetitionerInput
from xinfang.core.errors import ValidationFailed
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
DIRTY = "\x0b\x07\x0c\x00"


@pytest.fixture
def registrar():
    return make_user(Role.REGISTRAR, make_district().bureau)


def test_the_registration_page_stores_text_pasted_from_word_clean(registrar):
    client: Client = _client(registrar)
    response = client.post(
        "/cases/register/",
        _form(title=f"反映{DIRTY}噪声", content=f"工地{DIRTY}夜间施工。", **{"p-0-name": f"张{DIRTY}伟"}),
    )
    assert response.status_code == 302, response.content.decode()[:500]
    case = Case.objects.get()
    assert (case.title, case.content) == ("反映 噪声", "工地\n\n夜间施工。")
    assert case.parties.get().petitioner.name == "张 伟"


def test_the_page_refuses_an_absurd_headcount_in_chinese(registrar):
    body = _client(registrar).post("/cases/register/", _form(headcount="100000000000000000000")).content
    assert "确保该值小于或等于100000" in body.decode() and not Case.objects.exists()


def test_the_service_cleans_text_for_callers_other_than_form_and_api(registrar):
    data = registration(
        title=f"标题{DIRTY}", petitioners=[PetitionerInput(name=f"李{DIRTY}四", phone="13800138000")]
    )
    case = register_case(actor=registrar, data=data)
    assert case.title == "标题" and case.parties.get().petitioner.name == "李 四"


def test_the_service_refuses_text_longer_than_the_model_holds(registrar):
    data = registration(petitioners=[PetitionerInput(name="张" * 5000)], place_address="址" * 201)
    with pytest.raises(ValidationFailed) as err:
        register_case(actor=registrar, data=data)
    assert err.value.errors["petitioners.0.name"] == ["第1名信访人的姓名不能超过50字"]
    assert err.value.errors["place_address"] == ["问题发生地址不能超过200字"]


def test_the_service_refuses_a_headcount_the_database_cannot_hold(registrar):
    with pytest.raises(ValidationFailed) as err:
        register_case(actor=registrar, data=registration(headcount=10**20))
    # MAX_HEADCOUNT, below the column's 2147483647: the rollups add headcounts up in integer columns.
    assert err.value.errors["headcount"] == ["来访人数不能大于100000"]


def test_the_service_refuses_an_id_no_database_can_hold(registrar):
    with pytest.raises(ValidationFailed) as err:
        register_case(actor=registrar, data=registration(category=10**30, related_case=-(10**30)))
    assert err.value.errors["category"][0] == "所选内容分类不存在"
    assert err.value.errors["related_case"] == ["关联信访件不存在或无权查看"]
