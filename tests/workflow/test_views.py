"""The htmx workflow panel: actions the table allows, forms that keep the user's text on refusal."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflow.conftest import new_case, opinion, to_handling, today_is
from xinfang.cases.models import Case
from xinfang.cases.workflow import actions as tr

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_case_page_loads_the_panel_and_the_panel_shows_only_allowed_actions(people):
    case = new_case(people, date(2026, 3, 2))
    page = _client(people.registrar).get(reverse("cases:detail", args=[case.pk]))
    assert reverse("workflow:panel", args=[case.pk]) in page.content.decode()
    html = _client(people.registrar).get(reverse("workflow:panel", args=[case.pk])).content.decode()
    assert 'data-action="forward"' in html and 'data-action="assign"' in html
    assert 'data-action="accept"' not in html and 'data-action="reply"' not in html
    # A unit user who cannot see the case gets 404, not the panel.
    assert _client(people.handler).get(reverse("workflow:panel", args=[case.pk])).status_code == 404


def test_posting_an_action_runs_the_service_and_refreshes_the_page(people):
    case = new_case(people, date(2026, 3, 2))
    with today_is(2026, 3, 5):
        resp = _client(people.registrar).post(
            reverse("workflow:act", args=[case.pk, "forward"]),
            {"forward-unit": people.unit.pk, "forward-on": "2026-03-04", "forward-version": case.version},
            **HTMX,
        )
    assert resp.status_code == 204 and resp["HX-Refresh"] == "true"
    case.refresh_from_db()
    assert case.status == "forwarded" and case.responsible_unit == people.unit


def test_a_refused_reply_re_renders_the_form_with_the_typed_text_and_a_chinese_message(people):
    with today_is(2026, 3, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        data = {f"reply-{k}": v for k, v in opinion(legal_basis="").items()}
        data["reply-version"] = case.version
        resp = _client(people.head).post(reverse("workflow:act", args=[case.pk, "reply"]), data, **HTMX)
    html = resp.content.decode()
    assert resp.status_code == 200 and "请填写“法律依据”" in html
    assert "经现场核查，工地夜间施工属实" in html  # what the user typed is still in the form
    assert Case.objects.get(pk=case.pk).status == "handling"


def test_a_conflict_keeps_the_typed_text_and_offers_the_fresh_version(people):
    with today_is(2026, 3, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        stale = case.version
        tr.hold_hearing(case, people.handler, version=stale, start=date(2026, 3, 10), end=date(2026, 3, 10))
        data = {f"reply-{k}": v for k, v in opinion(facts="我方认真调查后认为……").items()}
        data["reply-version"] = stale
        resp = _client(people.head).post(reverse("workflow:act", args=[case.pk, "reply"]), data, **HTMX)
    html = resp.content.decode()
    assert "已被他人修改" in html and "我方认真调查后认为……" in html
    assert f'name="reply-version" value="{stale + 1}"' in html
    assert Case.objects.get(pk=case.pk).status == "handling"


def test_a_conflict_on_an_action_no_longer_allowed_still_shows_what_was_typed(people):
    with today_is(2026, 3, 20):
        case = new_case(people, date(2026, 3, 2))
        stale = case.version
        tr.forward_case(case, people.registrar, version=stale, unit=people.unit)
        resp = _client(people.registrar).post(
            reverse("workflow:act", args=[case.pk, "withdraw"]),
            {"withdraw-reason": "信访人电话表示问题已自行解决", "withdraw-version": stale},
            **HTMX,
        )
    html = resp.content.decode()
    assert "已被他人修改" in html and "信访人电话表示问题已自行解决" in html


def test_documents_download_as_docx_only_for_those_who_see_the_case(people):
    with today_is(2026, 3, 5):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
    doc = case.documents.get()
    url = reverse("workflow:document", args=[case.pk, doc.pk])
    resp = _client(people.handler).get(url)
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert "attachment" in resp["Content-Disposition"] and "wordprocessingml" in resp["Content-Type"]
    assert _client(people.other_handler).get(url).status_code == 404
