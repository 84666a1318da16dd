"""The demo district: every case played through the engine, nothing dated after today, every statistic fed."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from xinfang.cases.identity import id_number_error
from xinfang.cases.models import Case, CaseEvent, Petitioner
from xinfang.demo.district import DEMO_LOGINS, DEMO_PASSWORD
from xinfang.orgs.models import Organisation, OrgKind, User


def test_the_demo_plays_every_case_through_the_engine_without_a_refusal(demo, db):
    out, err = demo
    assert "未执行" not in err, err
    assert Case.objects.count() == 50 and "全部经办理流程推进" in out
    assert Organisation.objects.filter(kind=OrgKind.TOWN).count() == 20
    assert all(id_number_error(n) is None for n in Petitioner.objects.values_list("id_number", flat=True))
    # No event after today; every case's timeline starts with its registration and runs forward in time.
    assert not CaseEvent.objects.filter(at__gt=timezone.now()).exists()
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == "register"
        assert [e.to_status for e in events if e.to_status][-1] == case.status, case.number
    # The route codes are the table's own.
    assert set(Case.objects.exclude(handling_route="").values_list("handling_route", flat=True)) <= {
        "31(1)", "31(2)", "31(3)", "31(4)", "31(5)", "31(6)", "29", "30",
    }  # fmt: skip


def test_every_advertised_login_works_and_is_listed(demo, db):
    out, _err = demo
    for username, _label in DEMO_LOGINS:
        assert username in out
        assert Client().login(username=username, password=DEMO_PASSWORD), username
    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= {
        "registrar",
        "handler",
        "unit_head",
        "supervisor",
        "leader",
        "finance",
        "admin",
        "auditor",
    }
