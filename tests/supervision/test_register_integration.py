"""The lead's real register_case triggers the art.25 report tasks and the registration rollup."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from tests.cases.helpers import registration
from tests.factories import make_user
from xinfang.analytics.rollups import totals
from xinfang.cases.services import register_case
from xinfang.orgs.roles import Role
from xinfang.supervision.models import ReportTask

FROZEN = timezone.make_aware(datetime(2026, 11, 3, 9, 0))


@pytest.mark.django_db
def test_registering_a_major_urgent_case_creates_report_tasks_in_the_same_transaction(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    with time_machine.travel(FROZEN, tick=False):
        urgent = register_case(actor=registrar, data=registration(is_major_urgent=True))
        ordinary = register_case(actor=registrar, data=registration(title="反映道路破损"))
    tasks = ReportTask.objects.filter(case=urgent)
    assert tasks.count() == 4 and all(t.created_at == FROZEN for t in tasks)
    assert not ReportTask.objects.filter(case=ordinary).exists()
    assert totals(date(2026, 11, 3), date(2026, 11, 3), unit=district.root)["registered"] == 2
