"""Registration API: text pasted from Word is stored clean; absurd numbers, over-long text and broken
Unicode are 422 with a Chinese message, never 500, on SQLite and PostgreSQL alike."""

import json

import pytest
from django.test import Client

from tests.api.test_cases_api import _payload
from tests.factories import make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
DIRTY = "\x0b\x07\x0c\x00"


@pytest.fixture
def post():
    token = issue_token(make_user(Role.REGISTRAR, make_district().bureau), "测试")

    def send(body: str):
        return Client().post(
            "/api/cases/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return send


def _json(**overrides) -> str:
    return json.dumps(_payload(**overrides), ensure_ascii=False)


def test_control_characters_are_stored_clean(post):
    r = post(
        _json(
            title=f"反映{DIRTY}拖欠工资",
            content=f"某公司{DIRTY}拖欠工资。\r\n已三个月。",
            petitioners=[{"name": f"张{DIRTY}伟", "address": "翠湖\x00雅苑"}],
        )
    )
    assert r.status_code == 201, r.content
    case = Case.objects.get()
    assert case.title == "反映 拖欠工资"
    assert case.content == "某公司\n\n拖欠工资。\n已三个月。"
    person = case.parties.get().petitioner
    assert (person.name, person.address) == ("张 伟", "翠湖雅苑")


@pytest.mark.parametrize("headcount", ["1e20", "100000000000000000000000000000", "2147483648", "1e400"])
def test_an_absurd_headcount_is_422(post, headcount):
    r = post(_json().replace('"nature"', f'"headcount": {headcount}, "nature"'))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == "headcount" and body["message"].startswith("来访人数")
    assert not Case.objects.exists()


def test_a_headcount_past_the_limit_is_422_and_the_limit_registers(post):
    # Found by the schema fuzzing: 2147483647 fit the column, then overflowed the rollups' integer counters
    # on PostgreSQL (500).
    r = post(_json().replace('"nature"', '"headcount": 2147483647, "nature"'))
    assert r.status_code == 422, r.content
    assert r.json()["errors"]["headcount"] == ["来访人数不能大于100000"]
    for _ in range(2):  # the second one adds to the same day's rollup row
        assert post(_json(headcount=100_000)).status_code == 201
    assert list(Case.objects.values_list("headcount", flat=True)) == [100_000, 100_000]


def test_a_huge_reference_id_is_422(post):
    r = post(_json(category=10**30))
    assert r.status_code == 422 and r.json()["message"].startswith("内容分类")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "长" * 5000}, "title", "标题不能超过200字"),
        ({"petitioners": [{"name": "张" * 5000}]}, "petitioners.0.name", "姓名不能超过50字"),
        (
            {"petitioners": [{"name": "张伟", "address": "址" * 5000}]},
            "petitioners.0.address",
            "住址不能超过200字",
        ),
        ({"upstream_ref": "X" * 5000}, "upstream_ref", "上级交办编号不能超过64字"),
    ],
)
def test_over_long_text_is_422_naming_the_limit(post, overrides, field, message):
    r = post(_json(**overrides))
    assert r.status_code == 422, r.content
    assert r.json()["errors"][field] == [message]
    assert not Case.objects.exists()


def test_a_lone_surrogate_is_422_not_500(post):
    body = _json(title="TITLE").replace("TITLE", "反映\\ud800问题")
    r = post(body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "title" and "无效字符" in r.json()["message"]
    body = _json().replace('"张伟"', '"\\udfff"')
    r = post(body)
    assert r.status_code == 422 and r.json()["field"] == "petitioners.0.name"


def test_an_unknown_upstream_level_is_refused(post):
    r = post(_json(upstream_level="galaxy"))
    assert r.status_code == 422 and r.json()["errors"]["upstream_level"] == ["交办层级取值无效"]
