"""JSON API for the workflow: allowed actions, taking an action, and the event history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.factories import make_case
from tests.workflow.conftest import new_case, opinion, to_handling, today_is
from xinfang.api.auth import issue_token
from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import Nature
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine

pytestmark = pytest.mark.django_db


class Api:
    """A client speaking JSON with a Bearer token (no session, no CSRF token)."""

    def __init__(self, user) -> None:
        self.user = user
        self.client = Client(enforce_csrf_checks=True)
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, '测试')}"}

    def get(self, path: str):
        return self.client.get(path, **self.auth)

    def post(self, path: str, payload, raw: bool = False):
        body = payload if raw else json.dumps(payload)
        return self.client.post(path, body, content_type="application/json", **self.auth)

    def act(self, case_id: int, code: str, **payload):
        return self.post(f"/api/cases/{case_id}/actions/{code}", payload)

    def actions(self, case_id: int):
        return self.get(f"/api/cases/{case_id}/actions")

    def events(self, case_id: int):
        return self.get(f"/api/cases/{case_id}/events")


@dataclass
class Cast:
    registrar: Api
    handler: Api
    head: Api
    other_handler: Api
    district_head: Api
    people: object


@pytest.fixture
def cast(people) -> Cast:
    return Cast(
        registrar=Api(people.registrar),
        handler=Api(people.handler),
        head=Api(people.head),
        other_handler=Api(people.other_handler),
        district_head=Api(people.district_head),
        people=people,
    )


def _state(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.responsible_unit_id,
        fresh.events.count(),
        AuditEvent.objects.count(),
    )


def _codes(resp) -> list[str]:
    assert resp.status_code == 200, resp.content.decode()
    return [a["code"] for a in resp.json()["actions"]]


# The whole path ------------------------------------------------------------------------------------


def test_forward_accept_handle_extend_reply_and_review_over_the_api(cast):
    p = cast.people
    case = new_case(p, date(2026, 3, 2))
    with today_is(2026, 3, 20):
        listed = cast.registrar.actions(case.pk).json()
        assert listed["version"] == case.version and listed["status_label"] == "已登记"
        forward = next(a for a in listed["actions"] if a["code"] == "forward")
        assert forward["label"] == "转送" and forward["article"].startswith("第二十二条")
        unit = next(f for f in forward["fields"] if f["name"] == "unit")
        assert unit["type"] == "integer" and unit["required"] is True
        offered = {c["value"] for c in unit["choices"]}
        assert p.unit.pk in offered and p.registrar.organisation_id not in offered  # never the bureau

        r = cast.registrar.act(case.pk, "forward", version=listed["version"], unit=p.unit.pk, on="2026-03-03")
        assert r.status_code == 200, r.content.decode()
        body = r.json()
        assert body["case"]["status"] == "forwarded" and body["case"]["responsible_unit"] == p.unit.name
        assert body["case"]["version"] == case.version + 1
        assert body["event"]["action"] == "forward" and body["event"]["unit"] == p.unit.name
        assert body["event"]["to_status_label"] == "已转送" and body["event"]["data"]["on"] == "2026-03-03"
        assert body["event"]["id"] == CaseEvent.objects.filter(case=case).latest("id").pk

        # Received 03-03: the 5-working-day objection window closed on 03-10, so 异议 is no longer offered.
        assert set(_codes(cast.handler.actions(case.pk))) == {"accept", "not_accept", "inform", "recuse"}
        version = body["case"]["version"]
        for user, code, data in [
            (cast.handler, "accept", {"on": "2026-03-04"}),
            (cast.handler, "start_handling", {"on": "2026-03-05", "note": "已开展现场核查"}),
            (cast.head, "extend", {"days": 20, "reason": "案情复杂，需多部门会商"}),
            (cast.head, "reply", {**opinion(), "served_on": "2026-03-20"}),
        ]:
            r = user.act(case.pk, code, version=version, **data)
            assert r.status_code == 200, (code, r.content.decode())
            assert r.json()["event"]["action"] == code
            version = r.json()["case"]["version"]

        case.refresh_from_db()
        assert case.status == "replied" and case.version == version and case.extension_count == 1
        assert case.extensions.get().days == 20
        assert case.opinions.get(kind="reply").decision == "support"
        assert case.documents.filter(doc_type="handling_opinion").exists()

        # 复查: the form's default review body (one level up) is offered by the API as the initial value.
        listed = cast.registrar.actions(case.pk).json()
        request = next(a for a in listed["actions"] if a["code"] == "request_review")
        body_field = next(f for f in request["fields"] if f["name"] == "body")
        assert body_field["initial"] == p.district.pk
        r = cast.registrar.act(
            case.pk, "request_review", version=version, body=body_field["initial"],
            received_on="2026-03-20", reason="不服处理意见",
        )  # fmt: skip
        assert r.status_code == 200, r.content.decode()
        assert r.json()["event"]["unit"] == p.district.name
        assert _codes(cast.district_head.actions(case.pk)) == ["review_opinion", "recuse"]
        r = cast.district_head.act(
            case.pk, "review_opinion", version=r.json()["case"]["version"], **opinion()
        )
        assert r.status_code == 200 and r.json()["case"]["status"] == "reviewed"

    events = cast.handler.events(case.pk)
    assert events.status_code == 200
    assert [e["action"] for e in events.json()] == [
        "register", "forward", "accept", "start_handling", "extend", "reply", "request_review", "review_opinion",
    ]  # fmt: skip
    assert list(case.events.order_by("at", "id").values_list("action", flat=True)) == [
        e["action"] for e in events.json()
    ]
    assert events.json()[3]["note"] == "已开展现场核查" and events.json()[4]["actor"] == str(p.head)


def test_the_listed_actions_are_exactly_what_the_table_allows(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
    for api, expected in [
        (cast.registrar, {"withdraw"}),
        (
            cast.handler,
            {"hearing", "recuse", "draft_reply", "draft_extension"},
        ),  # the head replies, extends, settles
        (cast.head, {"hearing", "reply", "extend", "mediate", "recuse", "draft_reply", "draft_extension"}),
    ]:
        with today_is(2026, 3, 10):
            got = _codes(api.actions(case.pk))
            assert set(got) == expected, (api.user, got)
            assert got == [a.code for a in engine.allowed_actions(case, api.user)]
    hearing = next(a for a in cast.head.actions(case.pk).json()["actions"] if a["code"] == "hearing")
    assert [(f["name"], f["type"], f["format"], f["required"]) for f in hearing["fields"]] == [
        ("start", "string", "date", True),
        ("end", "string", "date", True),
        ("note", "string", None, False),
    ]


# Conflicts and refusals ----------------------------------------------------------------------------


def test_a_stale_version_gives_409_and_changes_nothing(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2))
        stale = case.version
        case = tr.forward_case(case, p.registrar, version=stale, unit=p.unit)
        before = _state(case)
        r = cast.registrar.act(case.pk, "withdraw", version=stale, reason="信访人撤回")
        assert r.status_code == 409
        assert r.json()["code"] == "conflict" and "已被他人修改" in r.json()["message"]
        assert _state(case) == before
        # The same request with the current version goes through.
        r = cast.registrar.act(case.pk, "withdraw", version=case.version, reason="信访人撤回")
        assert r.status_code == 200 and r.json()["case"]["status"] == "withdrawn"


def test_an_action_not_allowed_is_refused_403_for_the_role_409_for_the_state(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        before = _state(case)
        r = cast.handler.act(case.pk, "extend", version=case.version, days=10, reason="案情复杂")
        assert r.status_code == 403 and r.json()["code"] == "forbidden" and "承办人" in r.json()["message"]
        r = cast.head.act(case.pk, "accept", version=case.version)
        assert r.status_code == 409 and r.json()["code"] == "not_allowed" and "办理中" in r.json()["message"]
        r = cast.registrar.act(case.pk, "conclude", version=case.version)
        assert r.status_code == 409 and "不能执行“终结”" in r.json()["message"]
        r = cast.handler.act(case.pk, "no_such_action", version=case.version)
        assert r.status_code == 404 and r.json()["message"] == "未知的办理操作"
        assert _state(case) == before


def test_a_unit_user_gets_404_for_a_case_outside_its_unit(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2))
        case = tr.forward_case(case, p.registrar, version=case.version, unit=p.unit)
        before = _state(case)
        assert cast.handler.actions(case.pk).status_code == 200  # the unit it was routed to sees it
        for r in (
            cast.other_handler.actions(case.pk),
            cast.other_handler.events(case.pk),
            cast.other_handler.act(case.pk, "accept", version=case.version),
            cast.other_handler.act(case.pk, "no_such_action", version=case.version),
        ):
            assert r.status_code == 404
            assert r.json()["message"] == "信访件不存在或无权查看"
            assert case.number not in r.content.decode()
        assert _state(case) == before


def test_an_accused_unit_never_sees_an_accusation_through_these_endpoints(cast):
    p = cast.people
    # Even routed to the accused unit (written directly, bypassing the services), it stays hidden.
    case = make_case(
        registered_by=p.registrar, unit=p.unit, nature=Nature.ACCUSATION, accused_organisation=p.unit,
        title="检举区第一局负责人违规收受礼金",
    )  # fmt: skip
    before = _state(case)
    for api in (cast.handler, cast.head):
        for r in (
            api.actions(case.pk),
            api.events(case.pk),
            api.act(case.pk, "accept", version=case.version),
            api.act(case.pk, "object", version=case.version, reason="不属本单位职权"),
        ):
            assert r.status_code == 404, r.content.decode()
            assert "违规收受礼金" not in r.content.decode() and case.number not in r.content.decode()
    assert _state(case) == before
    # The bureau sees it, and the service refuses to route it to the accused unit.
    with today_is(2026, 3, 10):
        fresh = new_case(p, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=p.unit)
        assert "forward" in _codes(cast.registrar.actions(fresh.pk))
        before = _state(fresh)
        r = cast.registrar.act(fresh.pk, "forward", version=fresh.version, unit=p.unit.pk)
        assert r.status_code == 422 and r.json()["code"] == "accused_unit"
        assert r.json()["errors"]["unit"][0].startswith("检举控告件不得转送")
        assert _state(fresh) == before
        r = cast.registrar.act(fresh.pk, "forward", version=fresh.version, unit=p.other_unit.pk)
        assert r.status_code == 200
    assert cast.handler.events(fresh.pk).status_code == 404
    assert cast.other_handler.events(fresh.pk).status_code == 200


# Bad input -----------------------------------------------------------------------------------------


def test_bad_input_gives_422_with_chinese_field_errors_and_changes_nothing(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2))
        bureau = p.registrar.organisation_id
        before = _state(case)
        url = f"/api/cases/{case.pk}/actions/forward"

        def refused(payload, api: Api = cast.registrar) -> dict:
            r = api.post(url, payload)
            assert r.status_code == 422, r.content.decode()
            assert _state(case) == before
            return r.json()

        body = refused({"version": case.version, "unit": "abc", "on": "2026-13-40"})
        assert body["code"] == "invalid"
        assert body["errors"] == {"unit": ["“承办单位”取值无效"], "on": ["“日期”格式不正确"]}
        body = refused({"version": case.version, "unit": bureau})  # the form never offers a bureau
        assert body["errors"]["unit"] == ["“承办单位”取值无效"]
        body = refused({"version": case.version, "on": "2026-03-05"})
        assert body["field"] == "unit" and body["errors"]["unit"] == ["请填写“承办单位”"]
        body = refused({"version": case.version, "unit": p.unit.pk, "on": "2026-03-11"})
        assert "不得晚于今天" in body["errors"]["on"][0]
        body = refused({"version": case.version, "unit": p.unit.pk, "served_on": "2026-03-05"})
        assert body["errors"]["served_on"] == ["“转送”没有“served_on”这一项"]
        body = refused({"version": case.version, "unit": [p.unit.pk], "note": True})
        assert body["errors"] == {"unit": ["“承办单位”格式不正确"], "note": ["“说明”格式不正确"]}
        body = refused({"unit": p.unit.pk})
        assert body["errors"] == {"version": ["版本号为必填项"]}
        body = refused({"version": "3", "unit": p.unit.pk})
        assert body["errors"] == {"version": ["版本号须为整数"]}
        r = cast.registrar.post(url, "{not json", raw=True)
        assert r.status_code == 400 and r.json()["message"] == "请求体不是有效的 JSON"
        assert _state(case) == before

        case = to_handling(case, p, date(2026, 3, 3), date(2026, 3, 4))
        before = _state(case)
        url = f"/api/cases/{case.pk}/actions/extend"
        body = refused({"version": case.version, "days": 0, "reason": "案情复杂"}, cast.head)
        assert body["errors"] == {"days": ["“延长天数”须为正整数"]}
        body = refused({"version": case.version, "days": "十", "reason": " "}, cast.head)
        assert body["errors"]["days"] == ["“延长天数”格式不正确"]
        body = refused({"version": case.version, "days": 10, "reason": " "}, cast.head)
        assert body["errors"] == {"reason": ["请填写“理由”"]}
        body = refused({"version": case.version, "days": 31, "reason": "案情复杂"}, cast.head)
        assert "不得超过30日" in body["errors"]["days"][0]


def test_the_page_form_and_the_api_parse_the_same_way(cast):
    """Both go through action_inputs: the page rejects the same bad number with the same message."""
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        page = Client()
        page.force_login(p.head)
        html = page.post(
            f"/cases/{case.pk}/workflow/extend/",
            {"extend-days": "0", "extend-reason": "案情复杂", "extend-version": case.version},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        api = cast.head.act(case.pk, "extend", version=case.version, days=0, reason="案情复杂").json()
    assert "“延长天数”须为正整数" in html and api["errors"]["days"] == ["“延长天数”须为正整数"]


# Authentication ------------------------------------------------------------------------------------


def test_a_bearer_token_needs_no_csrf_but_a_session_without_the_csrf_token_is_refused(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2))
        payload = json.dumps({"version": case.version, "unit": p.unit.pk})
        url = f"/api/cases/{case.pk}/actions/forward"

        session = Client(enforce_csrf_checks=True)
        session.force_login(p.registrar)
        assert session.get(f"/api/cases/{case.pk}/actions").status_code == 200  # reading needs no token
        before = _state(case)
        r = session.post(url, payload, content_type="application/json")
        assert r.status_code == 403 and r.json()["code"] == "csrf_failed" and "CSRF" in r.json()["message"]
        assert _state(case) == before
        token = _get_new_csrf_string()
        session.cookies["csrftoken"] = token
        r = session.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        assert r.status_code == 200 and r.json()["case"]["status"] == "forwarded"

        case.refresh_from_db()
        r = cast.handler.act(case.pk, "accept", version=case.version)  # Bearer, CSRF enforced, no token
        assert r.status_code == 200 and r.json()["case"]["status"] == "accepted"
    assert Client().get(f"/api/cases/{case.pk}/events").status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer xf_nonsense"}
    assert Client().get(f"/api/cases/{case.pk}/actions", **bad).status_code == 401


def test_a_post_without_a_login_or_token_is_401_not_a_csrf_failure():
    # Found by the schema fuzzing: an anonymous POST was answered 403 "CSRF 校验失败", with or without a
    # (stale) session cookie, where a GET got 401 "请先登录或提供有效令牌".
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        for url in ("/api/cases/", "/api/cases/1/actions/forward"):
            r = client.post(url, json.dumps({"version": 1}), content_type="application/json")
            assert r.status_code == 401 and r.json()["code"] == "unauthenticated", r.content
        client.cookies["sessionid"] = "expired-or-forged"


# History and docs ----------------------------------------------------------------------------------


def test_event_notes_mask_identity_numbers_and_phones(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = new_case(p, date(2026, 3, 2))
        id_number = case.parties.get().petitioner.id_number
        note = f"信访人身份证{id_number}，电话13912345678，称已自行解决"
        r = cast.registrar.act(case.pk, "withdraw", version=case.version, reason=note)
    assert r.status_code == 200
    shown = r.json()["event"]["note"]
    assert id_number not in shown and "13912345678" not in shown
    assert f"{id_number[:6]}**********{id_number[-2:]}" in shown and "139****5678" in shown
    assert CaseEvent.objects.get(case=case, action="withdraw").note == note  # stored whole
    for body in (cast.registrar.events(case.pk).content, cast.registrar.get(f"/api/cases/{case.pk}").content):
        text = body.decode()
        assert "称已自行解决" in text and id_number not in text and "13912345678" not in text


def test_the_openapi_docs_show_the_endpoints_with_chinese_summaries():
    assert Client().get("/api/docs").status_code == 200
    paths = Client().get("/api/openapi.json").json()["paths"]
    summaries = {
        ("get", "/api/cases/{case_id}/actions"): "当前可执行的办理操作",
        ("post", "/api/cases/{case_id}/actions/{code}"): "执行办理操作（转送、受理、答复等）",
        ("get", "/api/cases/{case_id}/events"): "办理记录（时间线）",
    }
    for (method, path), summary in summaries.items():
        assert paths[path][method]["summary"] == summary
    post = paths["/api/cases/{case_id}/actions/{code}"]["post"]
    assert "`reply` 答复（出具处理意见书）" in post["description"]
    assert {"200", "403", "404", "409", "422"} <= set(post["responses"])
