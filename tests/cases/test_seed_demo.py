from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from xinfang.cases.demo import DEMO_PASSWORD
from xinfang.cases.identity import id_number_error
from xinfang.cases.models import Case, Petitioner
from xinfang.orgs.models import Organisation, OrgKind, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_district_with_users_and_consistent_cases():
    out = StringIO()
    call_command("seed_demo", cases=300, years=2, stdout=out)
    assert Organisation.objects.filter(kind=OrgKind.TOWN).count() == 20
    assert Organisation.objects.filter(kind=OrgKind.DEPARTMENT).count() == 30
    assert set(User.objects.values_list("role", flat=True)) >= {
        "registrar",
        "handler",
        "unit_head",
        "supervisor",
        "leader",
        "finance",
        "admin",
        "auditor",
    }
    assert Case.objects.count() == 300
    assert all(id_number_error(n) is None for n in Petitioner.objects.values_list("id_number", flat=True))
    assert len(set(Case.objects.values_list("channel", flat=True))) >= 4
    # Cases that were answered carry a consistent path of milestones.
    for case in Case.objects.filter(replied_at__isnull=False)[:50]:
        assert case.triaged_at <= case.accepted_at <= case.replied_at
        assert case.handling_due_date is not None
    assert "registrar" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    # The triage demo: model labels mapped to categories, a routing table with a catch-all, an index.
    from xinfang.triage.models import CaseSignature, CategoryMapping, RoutingRule

    assert CategoryMapping.objects.count() == 7
    assert RoutingRule.objects.filter(category__isnull=True, place__isnull=True).count() == 1
    assert CaseSignature.objects.count() == 300
    assert Client().login(username="registrar", password=DEMO_PASSWORD)


def test_seed_demo_if_empty_does_nothing_the_second_time():
    call_command("seed_demo", cases=20, stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", cases=20, if_empty=True, stdout=out)
    assert Case.objects.count() == 20 and "跳过" in out.getvalue()
