"""Rule 17: a major/urgent case creates timestamped report tasks (art.25)."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import make_case, make_org, make_user
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.cases.signals import case_registered
from xinfang.cases.workflow import hooks
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role
from xinfang.supervision.models import ReportRecipient, ReportStatus, ReportTask
from xinfang.supervision.reports import create_report_tasks, mark_reported

FROZEN = timezone.make_aware(datetime(2026, 7, 6, 9, 30))


@pytest.fixture
def registrar(district):
    return make_user(Role.REGISTRAR, district.bureau)


@pytest.mark.django_db
def test_rule17_major_urgent_case_creates_four_timestamped_report_tasks(district, registrar):
    national = make_org("国家", OrgKind.NATIONAL)
    national_bureau = make_org("国家信访局", OrgKind.BUREAU, national)
    case = make_case(registered_by=registrar, is_major_urgent=True)
    with time_machine.travel(FROZEN, tick=False):
        case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)

    tasks = {t.recipient_kind: t for t in ReportTask.objects.filter(case=case)}
    assert set(tasks) == set(ReportRecipient.values)
    assert tasks[ReportRecipient.PARTY_COMMITTEE].recipient_name == "中共示例区委员会"
    assert tasks[ReportRecipient.GOVERNMENT].recipient_name == "示例区人民政府"
    assert tasks[ReportRecipient.PARTY_COMMITTEE].recipient == district.root
    assert tasks[ReportRecipient.UPPER_BUREAU].recipient == district.city_bureau
    assert tasks[ReportRecipient.NATIONAL_BUREAU].recipient == national_bureau
    assert all(t.created_at == FROZEN and t.status == ReportStatus.PENDING for t in tasks.values())
    assert AuditEvent.objects.filter(action="report_task.create").count() == 1


@pytest.mark.django_db
def test_rule17_ordinary_case_creates_no_report_tasks(registrar):
    case = make_case(registered_by=registrar)
    case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)
    assert not ReportTask.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_rule17_national_bureau_task_exists_without_a_national_org_and_signals_are_idempotent(registrar):
    case = make_case(registered_by=registrar, is_major_urgent=True)
    case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)
    hooks.run(case=case, actor=registrar, action="forward", from_status="", to_status="")
    task = ReportTask.objects.get(case=case, recipient_kind=ReportRecipient.NATIONAL_BUREAU)
    assert (task.recipient, task.recipient_name) == (None, "国家信访局")
    assert ReportTask.objects.filter(case=case).count() == 4


@pytest.mark.django_db
def test_rule17_case_flagged_later_gets_tasks_at_its_next_transition(registrar):
    case = make_case(registered_by=registrar)
    case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)
    case.is_major_urgent = True
    case.save()
    hooks.run(case=case, actor=registrar, action="assign", from_status="", to_status="")
    assert ReportTask.objects.filter(case=case).count() == 4


@pytest.mark.django_db
def test_marking_a_report_done_stamps_who_and_when_and_cannot_repeat(registrar):
    case = make_case(registered_by=registrar, is_major_urgent=True)
    case_registered.send(sender=Case, case=case, actor=registrar, suggestions=None)
    task = ReportTask.objects.filter(case=case).first()
    with time_machine.travel(FROZEN, tick=False):
        done = mark_reported(task, actor=registrar, note="电话报告并传真")
    assert (done.status, done.reported_at, done.reported_by) == (ReportStatus.REPORTED, FROZEN, registrar)
    with pytest.raises(ServiceError, match="不能重复报告"):
        mark_reported(task, actor=registrar)


@pytest.mark.django_db
def test_a_case_with_all_its_report_tasks_costs_one_query_per_transition(
    registrar, django_assert_num_queries
):
    case = make_case(registered_by=registrar, is_major_urgent=True)
    assert len(create_report_tasks(case)) == 4
    # the existing tasks (plus the savepoint pair of @atomic); no organisation lookups, no audit row
    with django_assert_num_queries(3):
        assert create_report_tasks(case) == []
