"""The public API: submit, track by code + phone4, evaluate, ask for 复查; no session, no CSRF token."""

from __future__ import annotations

import datetime

import pytest

from tests.portal.conftest import PHONE, case_of, submit
from tests.workflow.conftest import today_is
from xinfang.cases.choices import Channel, Status
from xinfang.orgs.models import User
from xinfang.portal.accounts import USERNAME
from xinfang.portal.models import OnlineReviewRequest, PublicAccess
from xinfang.triage.models import RecordedChoice

P4 = PHONE[-4:]


@pytest.mark.django_db
def test_submission_registers_an_online_case_for_the_system_account(district, api, outbox):
    with today_is(2026, 3, 2):
        response = submit(api)
    assert response.status_code == 201, response.content
    code = response.json()["query_code"]
    assert len(code) == 16
    case = case_of(code)
    assert (case.channel, case.status, case.query_code) == (Channel.ONLINE, Status.REGISTERED, "")
    assert PublicAccess.objects.get(case=case).code_hash != code  # only a keyed hash is stored
    account = User.objects.get(username=USERNAME)
    assert case.registered_by == account and case.registering_org == district.bureau
    assert not account.has_usable_password()
    assert RecordedChoice.objects.filter(case=case).exists()  # triage suggestions kept for the registrar


@pytest.mark.django_db
def test_the_system_account_cannot_log_in(district, api, client):
    with today_is(2026, 3, 2):
        submit(api)
    response = client.post("/login/", {"username": USERNAME, "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.django_db
def test_registration_notice_carries_the_code_after_commit(
    district, api, outbox, django_capture_on_commit_callbacks
):
    with today_is(2026, 3, 2), django_capture_on_commit_callbacks(execute=False) as callbacks:
        code = submit(api).json()["query_code"]
    assert outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert [m.event for m in outbox] == ["registered"]
    assert code in outbox[0].body and outbox[0].to == PHONE


@pytest.mark.django_db
def test_bad_id_number_and_missing_accused_unit_are_refused_in_chinese(district, api):
    with today_is(2026, 3, 2):
        bad = submit(api, id_number="440111198005061230")
        accusation = submit(api, nature="accusation")
    assert bad.status_code == 422 and "身份证" in bad.json()["errors"]["id_number"][0]
    assert accusation.status_code == 422 and "accused_organisation" in accusation.json()["errors"]


@pytest.mark.django_db
def test_honeypot_and_size_limits(district, api):
    with today_is(2026, 3, 2):
        bot = submit(api, website="http://spam.example")
        long = submit(api, content="长" * 5001)
    assert bot.status_code == 422 and long.status_code == 422
    assert "content" in long.json()["errors"]


@pytest.mark.django_db
def test_track_shows_the_public_status_only(district, api):
    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
        body = api.get(f"/api/public/petitions/{code}/?phone4={P4}").json()
    assert body["status"] == "已登记"
    assert body["received_on"] == "2026-03-02"
    assert "title" not in body and "content" not in body and "name" not in body


@pytest.mark.django_db
def test_wrong_code_and_wrong_phone_are_indistinguishable(district, api):
    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
        wrong_code = api.get(f"/api/public/petitions/{'A' * 16}/?phone4={P4}")
        wrong_phone = api.get(f"/api/public/petitions/{code}/?phone4=0000")
    assert wrong_code.status_code == wrong_phone.status_code == 404
    assert wrong_code.content == wrong_phone.content
    assert wrong_code.json()["message"] == "查询码或手机号后四位不正确"


@pytest.mark.django_db
def test_after_reply_status_reply_text_and_review_last_day(replied, api):
    case, code = replied
    with today_is(2026, 3, 26):
        body = api.get(f"/api/public/petitions/{code}/?phone4={P4}").json()
    assert body["status"] == "已答复"
    assert body["reply_text"] == "责令施工单位停止夜间施工。"
    assert body["review_last_day"] == case.opinions.get(kind="reply").next_window_end.isoformat()
    assert body["responsible_unit"] == case.responsible_unit.name
    assert {e["stage"] for e in body["evaluations"]} == {"acceptance", "result"}


@pytest.mark.django_db
def test_dissatisfied_evaluation_says_how_to_ask_for_review_then_review_request(replied, api, people):
    case, code = replied
    url = f"/api/public/petitions/{code}"
    with today_is(2026, 3, 26):
        r = api.post(
            f"{url}/evaluation/",
            {"phone4": P4, "result": "dissatisfied", "comment": "不满意"},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        assert r.json()["stage"] == "result"
        assert r.json()["review"]["last_day"] == case.opinions.get(kind="reply").next_window_end.isoformat()
        case.refresh_from_db()
        assert case.status == Status.EVALUATED  # workflow `evaluate`
        again = api.post(
            f"{url}/evaluation/", {"phone4": P4, "result": "satisfied"}, content_type="application/json"
        )
        assert again.status_code == 409 and "不能重复评价" in again.json()["message"]
        review = api.post(
            f"{url}/review-request/",
            {"phone4": P4, "reason": "处理意见未解决问题"},
            content_type="application/json",
        )
        assert review.status_code == 201
        twice = api.post(
            f"{url}/review-request/", {"phone4": P4, "reason": "再次申请"}, content_type="application/json"
        )
        assert twice.status_code == 409
    assert OnlineReviewRequest.objects.get(case=case).reason == "处理意见未解决问题"


@pytest.mark.django_db
def test_acceptance_stage_is_evaluated_once_before_the_reply(people, api, django_capture_on_commit_callbacks):
    from tests.workflow.conftest import to_handling

    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
    with today_is(2026, 3, 5):
        to_handling(case_of(code), people, datetime.date(2026, 3, 3), datetime.date(2026, 3, 4))
        url = f"/api/public/petitions/{code}/evaluation/"
        first = api.post(url, {"phone4": P4, "result": "satisfied"}, content_type="application/json")
        second = api.post(url, {"phone4": P4, "result": "satisfied"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["stage"] == "acceptance"
    assert second.status_code == 409


@pytest.mark.django_db
def test_evaluation_and_review_outside_the_window_are_refused(replied, api):
    _case, code = replied
    url = f"/api/public/petitions/{code}"
    with today_is(2026, 5, 1):  # evaluation closed 2026-04-19, review window 2026-04-19
        r = api.post(
            f"{url}/evaluation/", {"phone4": P4, "result": "satisfied"}, content_type="application/json"
        )
        review = api.post(
            f"{url}/review-request/", {"phone4": P4, "reason": "迟到"}, content_type="application/json"
        )
    assert r.status_code == 422 and r.json()["code"] == "deadline_passed"
    assert review.status_code == 422 and review.json()["code"] == "deadline_passed"


@pytest.mark.django_db
def test_public_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/public/petitions/", "/api/public/petitions/{code}/", "/api/public/suggestions/"):
        assert path in paths
    assert "/api/public/petitions/{code}/evaluation/" in paths


@pytest.mark.django_db
def test_registrar_entering_the_review_marks_the_online_request_handled(replied, api, people):
    from xinfang.cases.workflow import actions as tr

    case, code = replied
    with today_is(2026, 3, 26):
        api.post(
            f"/api/public/petitions/{code}/review-request/",
            {"phone4": P4, "reason": "不服"},
            content_type="application/json",
        )
        case.refresh_from_db()
        tr.request_review(
            case,
            people.registrar,
            version=case.version,
            body=people.district,
            received_on=datetime.date(2026, 3, 26),
            reason="网上申请复查",
        )
    assert OnlineReviewRequest.objects.get(case=case).handled_at is not None


@pytest.mark.django_db
def test_wrong_code_and_wrong_phone_cost_the_same_queries(district, api, django_assert_num_queries):
    from xinfang.portal.public import find_case

    with today_is(2026, 3, 2):
        code = submit(api).json()["query_code"]
    with django_assert_num_queries(1):
        assert find_case("A" * 16, P4) is None
    with django_assert_num_queries(1):
        assert find_case(code, "0000") is None
    with django_assert_num_queries(1):
        assert find_case(code.lower(), P4) is not None  # the code is read case-insensitively
