"""The list's capped count is cached until a case changes (selectors.capped_count), and the queue
indexes cover exactly the states of the to-do lists they serve."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD, make_case, make_district, make_org, make_petitioner, make_user
from xinfang.cases.models import Case
from xinfang.cases.workflow.actions import forward_case
from xinfang.cases.workflow.queues import REGISTRAR_QUEUE, UNIT_QUEUE
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _counts(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))


def test_the_count_is_read_once_until_something_changes():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    for _ in range(3):
        make_case(registered_by=registrar)
    client = Client()
    assert client.login(username=registrar.username, password=PASSWORD)

    with CaptureQueriesContext(connection) as first:
        assert client.get("/cases/").context["page"].count == 3
    with CaptureQueriesContext(connection) as again:
        assert client.get("/cases/").context["page"].count == 3
    assert _counts(first) == 1 and _counts(again) == 0

    # Another filter is another count.
    with CaptureQueriesContext(connection) as other:
        assert client.get("/cases/", {"status": "handling"}).context["page"].count == 0
    assert _counts(other) == 1

    # A change (a new case, or an event on one) makes the next view count again, and right.
    make_case(registered_by=registrar)
    with CaptureQueriesContext(connection) as after:
        assert client.get("/cases/").context["page"].count == 4
    assert _counts(after) == 1


def test_an_action_on_a_case_makes_the_next_view_count_again():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    case = make_case(registered_by=registrar)
    client = Client()
    assert client.login(username=registrar.username, password=PASSWORD)
    assert client.get("/cases/", {"status": "forwarded"}).context["page"].count == 0
    forward_case(case, registrar, version=case.version, unit=d.units[0])
    assert client.get("/cases/", {"status": "forwarded"}).context["page"].count == 1


def test_a_search_by_name_writes_audit_but_keeps_the_cached_count():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    make_case(registered_by=registrar, petitioner=make_petitioner("欧阳修"))
    client = Client()
    assert client.login(username=registrar.username, password=PASSWORD)
    client.get("/cases/", {"q": "欧阳修"})
    with CaptureQueriesContext(connection) as again:
        assert client.get("/cases/", {"q": "欧阳修"}).context["page"].count == 1
    assert _counts(again) == 0


def test_a_cached_count_is_not_shared_between_scopes():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    handler = make_user(Role.HANDLER, d.units[0])
    make_case(registered_by=registrar, unit=d.units[0])
    make_case(registered_by=registrar, unit=d.units[1])
    for user, expected in ((registrar, 2), (handler, 1)):
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        assert client.get("/cases/").context["page"].count == expected


def test_the_queue_indexes_cover_exactly_the_queues_states():
    indexes = {i.name: i for i in Case._meta.indexes}
    for name, states in (("case_registrar_queue", REGISTRAR_QUEUE), ("case_unit_queue", UNIT_QUEUE)):
        ((lookup, value),) = indexes[name].condition.children
        assert lookup == "status__in" and sorted(value) == sorted(states), name


def test_a_unit_added_after_a_list_view_appears_in_the_filter_at_once():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    client = Client()
    assert client.login(username=registrar.username, password=PASSWORD)
    client.get("/cases/")  # the filter's choices are now cached
    new = make_org("区应急管理局", OrgKind.DEPARTMENT, parent=d.root)
    choices = dict(client.get("/cases/").context["form"].fields["unit"].choices)
    assert choices[str(new.pk)] == "区应急管理局"
