"""List filters: a NUL or an absurd id in the query string is never a 500 (PostgreSQL refuses NUL)."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_case, make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    return make_user(Role.REGISTRAR, make_district().bureau)


def test_the_list_api_searches_with_a_nul_in_the_query(registrar):
    case = make_case(title="反映拖欠工资")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(registrar, '测试')}"}
    r = Client().get("/api/cases/", {"q": "拖欠\x00工资", "status": "\x00"}, **auth)
    assert r.status_code == 200, r.content
    r = Client().get("/api/cases/", {"q": "拖欠\x00工资"}, **auth)
    assert [row["number"] for row in r.json()["results"]] == [case.number]
    assert Client().get("/api/cases/", {"unit": str(10**30)}, **auth).status_code in (200, 422)


def test_the_list_page_searches_with_a_nul_in_the_query(registrar):
    case = make_case(title="反映拖欠工资")
    client = Client()
    assert client.login(username=registrar.username, password=PASSWORD)
    r = client.get("/cases/", {"q": "拖欠\x00工资"})
    assert r.status_code == 200 and case.number in r.content.decode()
