"""The demo district: every case played through the engine, nothing dated after today, every statistic fed."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from xinfang.cases.identity import id_number_error
from xinfang.cases.models import Case, CaseEvent, Petitioner
from xinfang.cases.permissions import is_accused_org
from xinfang.cases.registration import PetitionerInput, RegistrationInput
from xinfang.cases.services import register_case
from xinfang.cases.workflow import engine
from xinfang.cases.workflow.queries import current_review_request
from xinfang.core import clock
from xinfang.core.errors import ServiceError
from xinfang.demo.district import DEMO_LOGINS, DEMO_PASSWORD
from xinfang.demo.inputs import valid_inputs
from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role
from xinfang.portal.models import Evaluation


def test_the_demo_plays_every_case_through_the_engine_without_a_refusal(demo, db):
    out, err = demo
    assert "未执行" not in err, err
    assert Case.objects.count() == 80 and "全部经办理流程推进" in out
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


def test_the_demo_feeds_the_statistics_pages(demo, db):
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses.get("completed") and statuses.get("handling") and statuses.get("informed")
    assert Case.objects.filter(related_case__isnull=False).exists()  # repeat petitions linked to earlier ones
    assert Case.objects.filter(review_requests__isnull=False).exists()
    results = set(Evaluation.objects.values_list("status", "result"))
    assert ("evaluated", "satisfied") in results and ("evaluated", "unsatisfied") in results
    assert ("expired", "") in results
    from xinfang.analytics.models import DailyCaseRollup

    assert DailyCaseRollup.objects.exists()
    from xinfang.performance.models import FiscalYear

    assert FiscalYear.objects.filter(lines__isnull=False).exists()
    from xinfang.supervision.models import ReceptionSlot

    assert ReceptionSlot.objects.filter(is_published=True, day__gte=timezone.localdate()).count() >= 6


# --- every offered action works; the review path with the demo logins ---


def _concerned(case: Case) -> list[User]:
    orgs = [case.responsible_unit_id, case.registering_org_id]
    request = current_review_request(case)
    if request is not None:
        orgs.append(request.body_id)
    return list(User.objects.filter(organisation_id__in=[o for o in orgs if o]).exclude(role=Role.FINANCE))


def _a_unit_for(case: Case) -> Organisation:
    towns = Organisation.objects.filter(kind=OrgKind.TOWN, is_active=True).order_by("pk")
    return next(t for t in towns if not is_accused_org(case, t) and t.pk != case.responsible_unit_id)


def test_every_action_offered_on_a_seeded_case_is_taken_with_valid_inputs(demo, db):
    refused, tried = [], 0
    today = clock.today()
    for case in Case.objects.select_related("responsible_unit", "registering_org").order_by("pk"):
        earlier = Case.objects.filter(registered_at__lt=case.registered_at).order_by("-registered_at").first()
        for user in _concerned(case):
            for action in engine.allowed_actions(case, user):
                if action.code == "merge" and earlier is None:
                    continue  # no earlier case to merge into: no valid input exists
                data = valid_inputs(action, case, today, unit=_a_unit_for(case), target=earlier)
                tried += 1
                try:
                    with transaction.atomic():
                        engine.execute(action.code, case, user, version=case.version, **data)
                        transaction.set_rollback(True)
                except ServiceError as exc:
                    refused.append((case.number, case.status, user.username, action.code, exc.message))
    assert tried > 50
    assert refused == []


def test_the_whole_review_path_with_the_demo_logins(demo, db):
    def login(name: str) -> User:
        return User.objects.get(username=name)

    housing = login("head_housing").organisation
    start = timezone.localtime().replace(hour=10) - timedelta(days=120)

    def on(days: int):
        return time_machine.travel(start + timedelta(days=days), tick=False)

    with on(0):
        case = register_case(
            actor=login("registrar"),
            data=RegistrationInput(
                channel="letter", title="反映物业维修基金使用不公开", content="小区维修基金使用情况不公开，请求查处。",
                category=Case.objects.first().category_id, nature="appeal", received_date=clock.today(),
                petitioners=[PetitionerInput(name="王五", phone="13900000001")],
            ),
        )  # fmt: skip
    steps = [
        (1, "registrar", "forward", {"unit": housing}),
        (3, "handler_housing", "accept", {}),
        (3, "handler_housing", "start_handling", {}),
        (30, "head_housing", "reply", {}),
        (40, "registrar", "request_review", {}),
        (60, "reviewer_district", "review_opinion", {}),
        (70, "registrar", "request_rereview", {}),
        (90, "reviewer_city", "rereview_opinion", {}),
        (95, "registrar", "conclude", {}),
    ]
    for day, username, code, extra in steps:
        with on(day):
            actor = login(username)
            offered = [a.code for a in engine.allowed_actions(case, actor)]
            assert code in offered, (code, username, offered)
            action = next(a for a in engine.allowed_actions(case, actor) if a.code == code)
            data = {**valid_inputs(action, case, clock.today()), **extra}
            case = engine.execute(code, case, actor, version=case.version, **data)
    assert case.status == "concluded"
    bodies = [r.body.legal_name for r in case.review_requests.order_by("pk")]
    assert bodies == ["示例区人民政府", "示例市人民政府"]
