"""/api/docs works offline: Swagger UI comes from this server's static files, no external host. The schema
declares the error answers the API really gives."""

import re

import pytest
from django.test import Client

from tests.factories import make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.orgs.roles import Role


def test_the_docs_page_references_no_external_host():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), html


# Each row is an answer the schema fuzzing found undeclared (tests/api/test_schema_fuzz.py): (method, path as in
# the schema, request path, body, with the registrar's token, status).
ANSWERS = [
    ("get", "/api/cases/", "/api/cases/", None, False, 401),
    ("get", "/api/cases/", "/api/cases/?unit=AAA", None, True, 422),
    ("post", "/api/cases/", "/api/cases/", "{", True, 400),
    ("post", "/api/cases/", "/api/cases/", "{}", True, 422),
    ("get", "/api/cases/{case_id}", "/api/cases/null", None, True, 422),
    ("get", "/api/cases/{case_id}", "/api/cases/999999", None, True, 404),
    ("get", "/api/cases/{case_id}/actions", "/api/cases/null/actions", None, True, 422),
    ("get", "/api/cases/{case_id}/events", "/api/cases/null/events", None, True, 422),
    ("post", "/api/cases/{case_id}/actions/{code}", "/api/cases/1/actions/forward", "\x00", True, 400),
    ("get", "/api/supervision/letters/", "/api/supervision/letters/?case=AAA", None, True, 422),
    ("get", "/api/supervision/letters/", "/api/supervision/letters/?case=999999", None, True, 404),
    ("get", "/api/warnings/", "/api/warnings/?case=AAA", None, True, 422),
    ("get", "/api/stats/", "/api/stats/", None, False, 401),
    ("get", "/api/stats/", "/api/stats/?from=", None, True, 422),
    ("post", "/api/public/petitions/", "/api/public/petitions/", "\x00", False, 400),
    ("post", "/api/public/suggestions/", "/api/public/suggestions/", "\x00", False, 400),
    ("post", "/api/public/petitions/{code}/evaluation/", "/api/public/petitions/X/evaluation/", "[", False, 400),
    ("post", "/api/public/petitions/{code}/review-request/", "/api/public/petitions/X/review-request/", "[", False, 400),
    ("post", "/api/public/receptions/{slot}/bookings/", "/api/public/receptions/1/bookings/", "[", False, 400),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "operation", "url", "body", "as_registrar", "status"), ANSWERS)
def test_the_schema_declares_the_errors_the_api_gives(method, operation, url, body, as_registrar, status):
    headers = {}
    if as_registrar:
        token = issue_token(make_user(Role.REGISTRAR, make_district().bureau), "测试")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client = Client()
    send = getattr(client, method)
    r = send(url, body, content_type="application/json", **headers) if body else send(url, **headers)
    assert r.status_code == status, r.content
    assert r.json()["code"] and r.json()["message"]
    declared = client.get("/api/openapi.json").json()["paths"][operation][method]["responses"]
    assert str(status) in declared
    assert declared[str(status)]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


def test_one_error_schema_keeps_its_descriptions():
    # The public API's own ErrorOut used to take the shared component name and drop these descriptions.
    error = Client().get("/api/openapi.json").json()["components"]["schemas"]["ErrorOut"]
    assert error["properties"]["code"]["description"] == "错误代码（稳定，可供程序判断）"
    assert error["required"] == ["code", "message"]
