"""Out-of-range ids, NUL, forged cursors and lone surrogates get a Chinese 4xx or an empty list, never a 500."""

import base64
import json

import pytest
from django.test import Client

from tests.factories import leaf_category, make_case, make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def registrar():
    user = make_user(Role.REGISTRAR, make_district().bureau)
    make_case(registered_by=user)
    return user


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


QUERIES = [
    {"unit": HUGE},
    {"unit": "-1"},
    {"category": HUGE},
    {"category": "-5"},
    {"q": "噪声\x00"},
    {"status": "\x00"},
    {"after": _cursor(f"2026-01-01T00:00:00|{HUGE}")},
    {"after": _cursor("2026-01-01T00:00:00|-3")},
]


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
def test_the_case_list_page_survives_hostile_filters(registrar, query):
    client = Client(raise_request_exception=False)
    client.force_login(registrar)
    assert client.get("/cases/", query).status_code == 200


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:40] for q in QUERIES])
def test_the_case_list_api_survives_hostile_filters(registrar, query):
    token = issue_token(registrar, "测试")
    response = Client(raise_request_exception=False).get(
        "/api/cases/", query, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:  # an id outside any column's range is refused, naming the filter
        assert set(response.json()["errors"]) & set(query)
    elif "unit" in query or "category" in query:
        assert response.json()["results"] == []


def _post_case(registrar, body: str):
    token = issue_token(registrar, "测试")
    return Client(raise_request_exception=False).post(
        "/api/cases/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_lone_surrogate_in_a_json_body_is_a_chinese_422_naming_the_field(registrar):
    payload = {
        "channel": "online",
        "received_date": "2026-11-02",
        "title": "反映\ud800拖欠工资",
        "content": "某公司拖欠工资三个月。",
        "category": leaf_category().pk,
        "nature": "appeal",
        "petitioners": [{"name": "张伟"}],
    }
    response = _post_case(registrar, json.dumps(payload))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "title" and "无效字符" in body["message"]


def test_a_surrogate_pair_is_an_ordinary_character(registrar):
    payload = {"title": "反映\U0001f600"}  # json.dumps writes it as the pair \ud83d\ude00
    response = _post_case(registrar, json.dumps(payload))
    assert response.status_code == 422  # parsed fine; the missing fields are what it lacks


def test_deeply_nested_json_is_a_chinese_400(registrar):
    response = _post_case(registrar, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400 and "JSON" in response.json()["message"]
    response = _post_case(registrar, '{"a":' * 200 + "1" + "}" * 200)
    assert response.status_code == 400 and "嵌套层数过多" in response.json()["message"]
