"""seed_demo at other sizes: the statistics it feeds, --if-empty."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from xinfang.cases.models import Case


def test_seed_demo_if_empty_does_nothing_the_second_time(db):
    call_command("seed_demo", cases=5, years=1, no_triage=True, stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", cases=5, if_empty=True, stdout=out)
    assert Case.objects.count() == 5 and "跳过" in out.getvalue()


def test_the_bulk_path_goes_through_the_same_rules(db):
    import random

    from xinfang.cases.models import CaseEvent
    from xinfang.demo.bulk import bulk_cases
    from xinfang.demo.district import build_orgs, build_users

    orgs = build_orgs()
    users = build_users(orgs)
    assert bulk_cases(orgs, users, total=300, years=1, rng=random.Random(1)) == 300
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses.get("replied") and statuses.get("handling") and statuses.get("withdrawn")
    assert set(Case.objects.exclude(handling_route="").values_list("handling_route", flat=True)) == {"31(6)"}
    assert not CaseEvent.objects.filter(at__gt=timezone.now()).exists()
    replied = Case.objects.filter(status="replied").first()
    assert replied.opinions.get(kind="reply").next_window_end is not None
