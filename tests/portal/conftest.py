"""Portal fixtures: the district with its people, a memory notification backend, the public API client."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from tests.factories import leaf_category
from tests.workflow.conftest import new_case, people, to_replied, today_is  # noqa: F401
from xinfang.cases.identity import make_id_number
from xinfang.cases.models import Case
from xinfang.portal.models import PublicAccess
from xinfang.portal.notifications import MemoryBackend

ID_NUMBER = make_id_number("440111", datetime.date(1980, 5, 6), 123)
PHONE = "13912345678"
P4_OF = PHONE[-4:]


def petition(**overrides) -> dict:
    data = dict(
        name="李四",
        id_number=ID_NUMBER,
        phone=PHONE,
        address="示例区某街道2号",
        title="小区门口道路破损",
        content="小区门口道路破损严重，雨天积水，请求维修。",
        requests="请求尽快维修道路",
        nature="appeal",
    )
    data.update(overrides)
    return data


@pytest.fixture
def outbox(settings):
    settings.XINFANG = {
        **settings.XINFANG,
        "PORTAL_NOTIFY_BACKEND": "xinfang.portal.notifications.MemoryBackend",
    }
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


@pytest.fixture
def api():
    """A client that never holds a session and enforces CSRF, like a phone app would meet it."""
    return Client(enforce_csrf_checks=True)


def submit(api, address: str = "10.0.0.1", **overrides):
    leaf_category()  # transactional tests elsewhere truncate the migrated categories: reload them
    return api.post(
        "/api/public/petitions/",
        petition(**overrides),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def case_of(code: str) -> Case:
    from xinfang.portal import public

    return public.find_case(code, PHONE[-4:]) or Case.objects.get(pk=PublicAccess.objects.get().case_id)


@pytest.fixture
def replied(people, api, django_capture_on_commit_callbacks):  # noqa: F811
    """An online petition submitted on 2026-03-02 and replied (served 2026-03-20) through the workflow."""
    with today_is(2026, 3, 2), django_capture_on_commit_callbacks(execute=True):
        code = submit(api).json()["query_code"]
    case = case_of(code)
    with today_is(2026, 3, 25), django_capture_on_commit_callbacks(execute=True):
        case = to_replied(case, people, datetime.date(2026, 3, 3), datetime.date(2026, 3, 20))
    return case, code
