"""What staff see of portal input: markup in every field shown as text; phone evaluations; review requests."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.portal.conftest import P4_OF, case_of, submit
from tests.workflow.conftest import today_is
from xinfang.portal.models import Evaluation

MARKUP = "<script>alert(1)</script><img src=x>"


@pytest.mark.django_db
def test_markup_in_every_field_is_shown_as_text_to_staff(people, api, client):
    fields = dict(
        name="王五" + MARKUP,
        address="某路" + MARKUP,
        title="标题" + MARKUP,
        content="内容" + MARKUP,
        requests="诉求" + MARKUP,
    )
    with today_is(2026, 3, 2):
        response = submit(api, **fields)
        assert response.status_code == 201, response.content
        case = case_of(response.json()["query_code"])
        client.login(username=people.registrar.username, password=PASSWORD)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        listing = client.get("/cases/").content.decode()
    for html in (page, listing):
        assert "<script>" not in html and "<img src=x" not in html
    assert page.count("&lt;script&gt;") >= 3  # title, content, requests (name/address in the parties block)


@pytest.mark.django_db
def test_review_request_reason_is_escaped_on_the_case_page(replied, api, people, client):
    case, code = replied
    with today_is(2026, 3, 26):
        api.post(
            f"/api/public/petitions/{code}/review-request/",
            {"phone4": P4_OF, "reason": "不服" + MARKUP},
            content_type="application/json",
        )
        client.login(username=people.registrar.username, password=PASSWORD)
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "网上复查申请" in page and "不服&lt;script&gt;" in page and "<script>alert" not in page


@pytest.mark.django_db
def test_registrar_records_an_evaluation_taken_by_phone(replied, people, client):
    case, _code = replied
    with today_is(2026, 3, 27):
        client.login(username=people.registrar.username, password=PASSWORD)
        client.post(
            f"/portal/staff/cases/{case.pk}/evaluation/",
            {"stage": "result", "result": "basically", "channel": "phone", "comment": "电话回访"},
        )
    ev = Evaluation.objects.get(case=case, stage="result")
    assert (ev.status, ev.result, ev.channel, ev.recorded_by) == (
        "evaluated",
        "basically",
        "phone",
        people.registrar,
    )
    case.refresh_from_db()
    assert case.status == "evaluated"


@pytest.mark.django_db
def test_a_handler_cannot_record_evaluations_and_other_units_get_404(replied, people, client):
    case, _code = replied
    client.login(username=people.other_handler.username, password=PASSWORD)
    assert (
        client.post(f"/portal/staff/cases/{case.pk}/evaluation/", {"result": "satisfied"}).status_code == 404
    )
    client.login(username=people.handler.username, password=PASSWORD)
    assert (
        client.post(f"/portal/staff/cases/{case.pk}/evaluation/", {"result": "satisfied"}).status_code == 403
    )
    assert Evaluation.objects.get(case=case, stage="result").status == "pending"
