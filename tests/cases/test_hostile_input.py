"""Out-of-range ids, NUL and forged cursors get an empty list or a Chinese 4xx, never a 500."""

import base64

import pytest
from django.test import Client

from tests.factories import make_case, make_district, make_user
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
    if "unit" in query or "category" in query:
        assert response.json()["results"] == []
