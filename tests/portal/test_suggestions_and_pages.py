"""人民建议征集 by code, and the public pages through Django's client (forms, honeypot, attachments)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import leaf_category, tiny_png
from tests.portal.conftest import ID_NUMBER, PHONE, case_of, petition
from tests.workflow.conftest import today_is
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow.codes import ActionCode
from xinfang.cases.workflow.engine import execute


@pytest.mark.django_db
def test_suggestion_is_registered_and_its_adoption_is_visible_by_code(people, api):
    leaf_category()
    with today_is(2026, 3, 2):
        body = {k: v for k, v in petition().items() if k not in ("requests", "nature")}
        response = api.post("/api/public/suggestions/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        code = response.json()["query_code"]
        case = case_of(code)
        assert (case.nature, case.channel) == (Nature.SUGGESTION, Channel.ONLINE)
    with today_is(2026, 3, 10):
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
        case = tr.accept_case(case, people.handler, version=case.version)
        execute(
            ActionCode.ANSWER_SUGGESTION,
            case,
            people.head,
            version=case.version,
            adoption="partly_adopted",
            answer="建议部分采纳，将于年内增设路灯。",
        )
        view = api.get(f"/api/public/petitions/{code}/?phone4={PHONE[-4:]}").json()
    assert view["is_suggestion"] and view["adoption"] == "部分采纳"
    assert view["reply_text"] == "建议部分采纳，将于年内增设路灯。"
    assert view["status"] == "已办结"


@pytest.mark.django_db
def test_submit_page_registers_with_an_attachment_and_shows_the_code_once(district, client):
    leaf_category()
    form = {**petition(), "website": ""}
    upload = SimpleUploadedFile("现场照片.png", tiny_png(), content_type="image/png")
    with today_is(2026, 3, 2):
        response = client.post("/portal/submit/", {**form, "attachments": [upload]})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="query-code"' in html, html[:2000]
    code = html.split('id="query-code">')[1].split("<")[0]
    case = case_of(code)
    assert case.attachments.count() == 1


@pytest.mark.django_db
def test_submit_page_keeps_the_input_and_shows_errors_in_chinese(district, client):
    with today_is(2026, 3, 2):
        response = client.post("/portal/submit/", {**petition(id_number=ID_NUMBER[:-1] + "0"), "website": ""})
    html = response.content.decode()
    assert "身份证号码校验位错误" in html and "小区门口道路破损" in html


@pytest.mark.django_db
def test_honeypot_on_the_page_registers_nothing(district, client):
    from xinfang.cases.models import Case

    with today_is(2026, 3, 2):
        client.post("/portal/submit/", {**petition(), "website": "http://spam.example"})
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_pages_are_chinese_and_load_no_external_resource(client):
    for url in ("/portal/", "/portal/submit/", "/portal/suggest/", "/portal/track/"):
        html = client.get(url).content.decode()
        assert 'lang="zh-CN"' in html and "width=device-width" in html
        assert "http://" not in html and "https://" not in html
