"""Notifications: one template per event, sent after commit, pluggable backends (console, file, memory)."""

from __future__ import annotations

import datetime
import json

import pytest

from tests.factories import make_case, make_user
from tests.workflow.conftest import today_is
from xinfang.cases.workflow import actions as tr
from xinfang.orgs.roles import Role
from xinfang.portal import notifications
from xinfang.portal.services import open_evaluation, remind_evaluations


@pytest.mark.django_db
def test_accept_and_reply_notify_the_petitioner_after_commit(outbox, replied):
    case, _code = replied
    events = [m.event for m in outbox]
    assert events == ["registered", "accepted", "replied"]
    assert all(m.case_number == case.number and m.channel == "sms" for m in outbox)
    assert "反映" not in "".join(m.body for m in outbox)  # no content of the case in a message


@pytest.mark.django_db
def test_a_rolled_back_action_sends_nothing(people, outbox, django_capture_on_commit_callbacks):
    case = make_case(registered_by=people.registrar, received=datetime.date(2026, 3, 2))
    with today_is(2026, 3, 5), django_capture_on_commit_callbacks(execute=True):
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
        with pytest.raises(Exception):
            tr.accept_case(case, people.handler, version=case.version + 99)
    assert outbox == []


@pytest.mark.django_db
def test_reminder_goes_out_days_before_the_window_closes(
    district, outbox, django_capture_on_commit_callbacks
):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    case = make_case(registered_by=registrar, received=datetime.date(2026, 4, 1))
    open_evaluation(case, served_on=datetime.date(2026, 6, 1))  # closes 2026-07-01
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_evaluations(datetime.date(2026, 6, 25)) == 0
        assert remind_evaluations(datetime.date(2026, 6, 26)) == 1
    assert outbox[0].event == "evaluation_reminder" and "2026年7月1日" in outbox[0].body


@pytest.mark.django_db
def test_file_backend_writes_json_lines(district, settings, tmp_path):
    path = tmp_path / "out.jsonl"
    settings.XINFANG = {
        **settings.XINFANG,
        "PORTAL_NOTIFY_BACKEND": "xinfang.portal.notifications.FileBackend",
        "PORTAL_NOTIFY_FILE": str(path),
    }
    case = make_case(registered_by=make_user(Role.REGISTRAR, district.bureau))
    notifications.send(case, notifications.Event.REPLIED)
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["event"] == "replied" and line["case_number"] == case.number


@pytest.mark.django_db
def test_a_vendor_is_one_small_class(district, settings):
    sent = []

    class Vendor(notifications.Backend):
        def send(self, message):
            sent.append(message.to)

    settings.XINFANG = {**settings.XINFANG, "PORTAL_NOTIFY_BACKEND": f"{__name__}.VENDOR"}
    globals()["VENDOR"] = Vendor
    case = make_case(registered_by=make_user(Role.REGISTRAR, district.bureau))
    notifications.send(case, notifications.Event.ACCEPTED)
    assert sent == [case.parties.get().petitioner.phone]
