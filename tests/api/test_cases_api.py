import json

import pytest
from django.test import Client

from tests.cases.helpers import VALID_ID
from tests.factories import leaf_category, make_case, make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    data = {
        "channel": "online",
        "received_date": "2026-11-02",
        "title": "反映拖欠工资",
        "content": "某公司拖欠工资三个月。",
        "category": leaf_category().pk,
        "nature": "appeal",
        "petitioners": [{"name": "张伟", "id_number": VALID_ID, "phone": "13800138000"}],
    }
    data.update(overrides)
    return data


def _post(client, token, payload):
    return client.post(
        "/api/cases/",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_register_list_and_detail_with_a_token():
    d = make_district()
    token = issue_token(make_user(Role.REGISTRAR, d.bureau), "测试")
    client = Client()
    created = _post(client, token, _payload())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("XF-") and body["petitioners"][0]["id_number"] == "110105**********2X"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listing = client.get("/api/cases/", {"q": "拖欠工资"}, **auth).json()
    assert [r["number"] for r in listing["results"]] == [body["number"]]
    detail = client.get(f"/api/cases/{body['id']}", **auth).json()
    assert detail["timeline"][0]["label"] == "登记"
    assert "反映拖欠工资" in created.content.decode()  # Chinese is not \\u-escaped


def test_validation_errors_are_chinese_and_name_the_field():
    d = make_district()
    token = issue_token(make_user(Role.REGISTRAR, d.bureau), "测试")
    r = _post(Client(), token, _payload(content="", category=999999))
    assert r.status_code == 422
    body = r.json()
    assert "content" in body["errors"] and "反映内容不能为空" in body["errors"]["content"][0]
    assert "内容分类不存在" in body["errors"]["category"][0]
    r = _post(Client(), token, _payload(petitioners=[{"name": "张伟", "id_number": "110105194912310021"}]))
    assert r.status_code == 422 and "校验位" in r.json()["message"]
    r = _post(Client(), token, {"channel": "letter"})
    assert r.status_code == 422 and "为必填项" in r.json()["message"]
    assert not Case.objects.exists()


def test_unauthenticated_requests_are_refused():
    assert Client().get("/api/cases/").status_code == 401
    assert Client().get("/api/cases/", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_unit_tokens_see_only_their_cases():
    d = make_district()
    mine, other = make_case(unit=d.units[0]), make_case(unit=d.units[1])
    token = issue_token(make_user(Role.HANDLER, d.units[0]), "测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    numbers = [r["number"] for r in client.get("/api/cases/", **auth).json()["results"]]
    assert numbers == [mine.number]
    assert client.get(f"/api/cases/{other.pk}", **auth).status_code == 404
    refused = _post(client, token, _payload())  # handlers may not register
    assert refused.status_code == 403 and refused.json()["message"] == "您没有登记信访事项的权限"


def test_openapi_docs_are_served():
    assert Client().get("/api/docs").status_code == 200
    spec = Client().get("/api/openapi.json").json()
    assert "/api/cases/" in spec["paths"]


def test_issue_token_command_prints_a_working_token():
    from io import StringIO

    from django.core.management import call_command

    d = make_district()
    make_user(Role.REGISTRAR, d.bureau, username="robot")
    out = StringIO()
    call_command("issue_token", "robot", "对接", stdout=out)
    token = out.getvalue().strip()
    assert Client().get("/api/cases/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
