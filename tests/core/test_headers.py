"""Every page carries a Content-Security-Policy; case pages, the API and documents are never cached."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import make_case, make_district, make_user
from tests.workflow.conftest import new_case, to_handling, today_is
from xinfang.api.auth import issue_token
from xinfang.cases.models import CaseDocument
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_every_page_carries_a_policy_that_allows_no_inline_script():
    for path in ("/login/", "/admin/login/", "/api/docs"):
        policy = Client().get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_case_pages_are_not_stored():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    case = make_case(registered_by=registrar)
    client = Client()
    client.force_login(registrar)
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/register/"):
        response = client.get(path)
        assert response.status_code == 200 and _no_store(response), path
        assert "Content-Security-Policy" in response


def test_api_responses_are_not_stored():
    d = make_district()
    token = issue_token(make_user(Role.REGISTRAR, d.bureau), "测试")
    response = Client().get("/api/cases/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and _no_store(response)


def test_document_downloads_are_not_stored(people):
    with today_is(2026, 3, 10):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
    doc = CaseDocument.objects.filter(case=case).first()
    assert doc is not None
    client = Client()
    client.force_login(people.handler)
    response = client.get(f"/cases/{case.pk}/documents/{doc.pk}/")
    assert response.status_code == 200 and _no_store(response)


def test_templates_hold_no_inline_script_or_handler():
    from pathlib import Path

    import xinfang

    root = Path(xinfang.__file__).parent
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " onclick=" not in text and " style=" not in text, template
