"""Draft → approve: the handler drafts the reply or the extension, the head's form starts from the draft."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.conftest import new_case, opinion, to_handling, today_is
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine

pytestmark = pytest.mark.django_db


def _fields(cast_api, case, code) -> dict:
    action = next(a for a in cast_api.actions(case.pk).json()["actions"] if a["code"] == code)
    return {f["name"]: f["initial"] for f in action["fields"]}


def test_the_head_issues_the_handlers_draft_reply_unchanged(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        draft = opinion(served_on="2026-03-10")
        r = cast.handler.act(case.pk, "draft_reply", version=case.version, **draft)
        assert r.status_code == 200, r.content.decode()
        assert r.json()["case"]["status"] == "handling"  # a draft changes no state
        version = r.json()["case"]["version"]
        initial = _fields(cast.head, case, "reply")
        assert {k: initial[k] for k in draft} == draft
        payload = {k: v for k, v in initial.items() if v not in (None, "")}
        r = cast.head.act(case.pk, "reply", version=version, **payload)
        assert r.status_code == 200, r.content.decode()
    case.refresh_from_db()
    op = case.opinions.get(kind="reply")
    assert (
        case.status == "replied" and op.facts == draft["facts"] and op.decision_text == draft["decision_text"]
    )


def test_a_half_written_draft_is_saved_and_only_the_head_replies(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        case = tr.execute("draft_extension", case, p.handler, version=case.version, reason="需要委托鉴定")
        assert case.status == "handling" and case.events.latest("id").data["draft"] == {
            "reason": "需要委托鉴定"
        }
        assert "reply" not in {a.code for a in engine.allowed_actions(case, p.handler)}
        initial = _fields(cast.head, case, "extend")
        assert initial["reason"] == "需要委托鉴定" and initial["days"] is None


def test_control_characters_and_huge_numbers_in_action_inputs_are_cleaned_or_refused(cast):
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        r = cast.head.act(case.pk, "extend", version=case.version, days=10**12, reason="需要鉴定")
        assert r.status_code == 422 and "days" in r.json()["errors"]
        r = cast.handler.act(case.pk, "draft_reply", version=case.version, facts="经核查\x0b属实\x07。")
        assert r.status_code == 200, r.content.decode()
    case.refresh_from_db()
    assert case.events.latest("id").data["draft"]["facts"] == "经核查\n属实。"


def test_editing_a_draft_again_starts_from_it_and_an_empty_draft_is_refused(cast):
    """The UI review: a handler who reopened 拟写答复 saw an empty form, and saving one line wiped the rest."""
    p = cast.people
    with today_is(2026, 3, 10):
        case = to_handling(new_case(p, date(2026, 3, 2)), p, date(2026, 3, 3), date(2026, 3, 4))
        draft = opinion(served_on="2026-03-10")
        version = cast.handler.act(case.pk, "draft_reply", version=case.version, **draft).json()["case"][
            "version"
        ]
        again = _fields(cast.handler, case, "draft_reply")
        assert {k: again[k] for k in draft} == draft
        empty = cast.handler.act(case.pk, "draft_reply", version=version)
        assert empty.status_code == 422 and "草稿内容为空" in empty.json()["message"]
