"""Pages and JSON API: scoped like every list (404 out of scope), a letter .docx carries its numbers."""

import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from docx import Document

from tests.factories import make_case, make_user
from tests.supervision.helpers import handling_case
from xinfang.orgs.roles import Role
from xinfang.supervision import alerts
from xinfang.supervision.letters import issue_letter
from xinfang.supervision.models import FeedbackStatus, Letter
from xinfang.supervision.sweep import sweep

NOW = timezone.make_aware(timezone.datetime(2026, 5, 8, 10, 0))


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def people(district):
    return {
        "supervisor": make_user(Role.SUPERVISOR, district.bureau),
        "leader": make_user(Role.LEADER, district.bureau),
        "head_a": make_user(Role.UNIT_HEAD, district.units[0]),
        "head_b": make_user(Role.UNIT_HEAD, district.units[1]),
        "finance": make_user(Role.FINANCE, district.bureau),
    }


@pytest.mark.django_db
def test_letters_api_lists_a_cases_letters_with_kind_number_status_and_due(district, people):
    case = handling_case(district.units[0], date(2026, 5, 7))
    sweep(date(2026, 5, 8))
    body = client_for(people["supervisor"]).get(f"/api/supervision/letters/?case={case.pk}").json()
    assert [(x["kind"], x["number"], x["status"], x["feedback_due"]) for x in body] == [
        ("urge", "督办〔2026〕1号", "open", "2026-06-08")  # 8 May + 30 = 7 Jun, a Sunday
    ]
    assert client_for(people["head_a"]).get(f"/api/supervision/letters/?case={case.pk}").json()[0]["number"]
    assert client_for(people["head_b"]).get(f"/api/supervision/letters/?case={case.pk}").status_code == 404
    assert client_for(people["head_b"]).get("/api/supervision/letters/").json() == []
    assert client_for(people["finance"]).get("/api/supervision/letters/").json() == []


@pytest.mark.django_db
def test_warnings_api_lists_kind_reason_cases_status_and_is_scoped(district, people):
    case = make_case(
        unit=district.units[0], received=date(2026, 5, 6), is_to_beijing=True, content="扬言要去自焚"
    )
    alerts.detect_warnings(date(2026, 5, 8))
    body = client_for(people["supervisor"]).get(f"/api/warnings/?case={case.pk}").json()
    assert sorted((w["kind"], w["cases"], w["status"]) for w in body) == [
        ("risk_words", [case.pk], "open"),
        ("to_beijing", [case.pk], "open"),
    ]
    assert any("自焚" in w["reason"] for w in body)
    assert client_for(people["head_b"]).get(f"/api/warnings/?case={case.pk}").status_code == 404
    assert client_for(people["head_b"]).get("/api/warnings/").json() == []


@pytest.mark.django_db
def test_letter_docx_opens_and_carries_its_number_and_the_case_number(district, people):
    case = handling_case(district.units[0], date(2026, 5, 7))
    letter = issue_letter(
        actor=people["supervisor"],
        kind="urge",
        unit=district.units[0],
        case=case,
        content="请立即办理",
        issued_on=date(2026, 5, 8),
    )
    response = client_for(people["head_a"]).get(f"/supervision/letters/{letter.pk}/docx/")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "督办〔2026〕1号" in text and case.number in text and "督办函" in text
    assert "二〇二六年五月八日" in text and district.units[0].name in text
    assert client_for(people["head_b"]).get(f"/supervision/letters/{letter.pk}/docx/").status_code == 404


@pytest.mark.django_db
def test_desk_is_for_supervisors_and_the_unit_answers_its_letter(district, people):
    case = handling_case(district.units[0], date(2026, 5, 7))
    with time_machine.travel(NOW, tick=False):
        sweep(date(2026, 5, 8))
        desk = client_for(people["supervisor"]).get("/supervision/")
        assert desk.status_code == 200 and case.number in desk.content.decode()
        assert client_for(people["head_a"]).get("/supervision/").status_code == 404
        letter = Letter.objects.get()
        head = client_for(people["head_a"])
        assert "督办〔2026〕1号" in head.get("/supervision/letters/").content.decode()
        head.post(f"/supervision/letters/{letter.pk}/feedback/", {"feedback": "已于5月9日答复信访人"})
        letter.refresh_from_db()
        assert (letter.status, letter.feedback_by) == (FeedbackStatus.CLOSED, people["head_a"])
        assert client_for(people["head_b"]).get(f"/supervision/letters/{letter.pk}/").status_code == 404
        page = client_for(people["supervisor"]).get(f"/supervision/cases/{case.pk}/").content.decode()
        assert "letter.issue" in page and "letter.feedback" in page


@pytest.mark.django_db
def test_one_click_issues_a_letter_for_an_overdue_case(district, people):
    case = handling_case(district.units[0], date(2026, 5, 7))
    with time_machine.travel(NOW, tick=False):
        r = client_for(people["supervisor"]).post(
            f"/supervision/cases/{case.pk}/letters/", {"kind": "urge", "reason": "逾期未办结"}
        )
    letter = Letter.objects.get()
    assert r["Location"] == f"/supervision/letters/{letter.pk}/"
    assert (letter.kind, letter.reason, letter.issued_by) == ("urge", "逾期未办结", people["supervisor"])
    assert "办理期限为2026-05-07，现已超过期限" in letter.content and "第四十条" in letter.content


@pytest.mark.django_db
def test_the_leader_approves_a_drafted_accountability_letter(district, people):
    handling_case(district.units[0], date(2026, 5, 7))
    sweep(date(2026, 5, 8))
    sweep(date(2026, 5, 21))
    draft = Letter.objects.get(kind="accountability")
    assert client_for(people["head_a"]).get(f"/supervision/letters/{draft.pk}/").status_code == 404
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 5, 22, 9)), tick=False):
        client_for(people["leader"]).post(f"/supervision/letters/{draft.pk}/decide/", {"decision": "approve"})
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.approved_by) == (
        "open",
        "问责建议〔2026〕1号",
        people["leader"],
    )


@pytest.mark.django_db
def test_home_sends_supervisors_and_leaders_to_their_pages(people):
    assert client_for(people["supervisor"]).get("/")["Location"] == "/supervision/"
    assert (
        client_for(people["leader"]).get("/")["Location"] == "/dashboard/"
    )  # the leader's desk is one click on
    assert client_for(people["leader"]).get("/supervision/leader/").status_code == 200
    assert client_for(people["supervisor"]).get("/supervision/leaders/").status_code == 200


@pytest.mark.django_db
def test_a_letter_by_hand_needs_a_reason_and_may_be_a_recommendation(district, people):
    sup = client_for(people["supervisor"])
    data = {"kind": "recommendation", "recommendation_kind": "improve_policy", "unit": district.units[1].pk}
    sup.post("/supervision/letters/new/", {**data, "content": "建议完善拆迁补偿政策", "reason": ""})
    assert not Letter.objects.exists()
    r = sup.post(
        "/supervision/letters/new/", {**data, "content": "建议完善拆迁补偿政策", "reason": "同类信访集中"}
    )
    letter = Letter.objects.get()
    assert r["Location"] == f"/supervision/letters/{letter.pk}/"
    assert (letter.kind_label, letter.reason, letter.number[:2]) == ("完善政策建议", "同类信访集中", "建议")
    assert client_for(people["head_a"]).get("/supervision/letters/new/").status_code == 404


@pytest.mark.django_db
def test_the_leader_page_shows_owned_cases_watch_lists_and_receptions(district, people):
    from datetime import time

    from xinfang.supervision.models import ReceptionSlot, WatchItem
    from xinfang.supervision.receptions import assign_owner

    leader = people["leader"]
    case = handling_case(district.units[0], date(2026, 5, 7), title="反映拆迁安置房质量问题")
    assign_owner(case=case, leader=leader, actor=people["supervisor"], measures="每周现场调度")
    WatchItem.objects.create(kind="person", title="张某（多次进京）", leader=leader, responsible="街道综治办")
    ReceptionSlot.objects.create(
        leader=leader, day=date(2099, 1, 8), start=time(9), end=time(11), place="接待大厅", capacity=5
    )
    page = client_for(leader).get("/supervision/leader/").content.decode()
    assert "反映拆迁安置房质量问题" in page and "每周现场调度" in page
    assert "张某（多次进京）" in page and "街道综治办" in page and "接待大厅" in page
    district_view = client_for(people["supervisor"]).get("/supervision/leaders/").content.decode()
    assert leader.username in district_view or (leader.display_name and leader.display_name in district_view)
