"""Major/urgent report tasks (rule 17; 《信访工作条例》 art.25)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from xinfang.audit.services import record
from xinfang.cases.models import Case
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.models import Organisation, OrgKind

from .models import ReportRecipient, ReportStatus, ReportTask

GOVERNMENT_LEVELS = (OrgKind.DISTRICT, OrgKind.CITY, OrgKind.PROVINCE, OrgKind.NATIONAL)
NATIONAL_BUREAU_NAME = "国家信访局"


def government_level(org: Organisation) -> Organisation | None:
    """The nearest organisation at or above org that is a level of government (区/县, 市, 省, 国家)."""
    ids = org.ancestor_ids()
    levels = {o.pk: o for o in Organisation.objects.filter(pk__in=ids, kind__in=GOVERNMENT_LEVELS)}
    for pk in reversed(ids):
        if pk in levels:
            return levels[pk]
    return None


def recipients_for(case: Case) -> list[tuple[str, Organisation | None, str]]:
    """(kind, organisation or None, display name) for each body the case must be reported to."""
    level = government_level(case.registering_org)
    level_name = level.name if level else case.registering_org.name
    upper = level.parent if level and level.parent_id else None
    upper_bureau = Organisation.objects.filter(parent=upper, kind=OrgKind.BUREAU).first() if upper else None
    national = Organisation.objects.filter(kind=OrgKind.NATIONAL).first()
    national_bureau = (
        Organisation.objects.filter(parent=national, kind=OrgKind.BUREAU).first() if national else None
    )
    return [
        (ReportRecipient.PARTY_COMMITTEE, level, f"中共{level_name}委员会"),
        (ReportRecipient.GOVERNMENT, level, f"{level_name}人民政府"),
        (
            ReportRecipient.UPPER_BUREAU,
            upper_bureau,
            upper_bureau.name if upper_bureau else (f"{upper.name}信访部门" if upper else "上一级信访部门"),
        ),
        (ReportRecipient.NATIONAL_BUREAU, national_bureau, NATIONAL_BUREAU_NAME),
    ]


@transaction.atomic
def create_report_tasks(case: Case, *, actor=None, now: datetime | None = None) -> list[ReportTask]:
    """Create the four art.25 report tasks for a major/urgent case, all stamped `now`. Idempotent."""
    if not case.is_major_urgent:
        return []
    now = now or clock.now()
    have = set(ReportTask.objects.filter(case=case).values_list("recipient_kind", flat=True))
    if len(have) == len(
        ReportRecipient
    ):  # every later transition of the case lands here: skip the org lookups
        return []
    created = []
    for kind, org, name in recipients_for(case):
        if kind in have:
            continue
        task = ReportTask.objects.create(
            case=case, recipient_kind=kind, recipient=org, recipient_name=name, created_at=now
        )
        created.append(task)
    if created:
        record(
            "report_task.create",
            actor=actor,
            obj=case,
            after={"case": case.number, "recipients": [t.recipient_name for t in created], "at": now},
        )
    return created


@transaction.atomic
def mark_reported(task: ReportTask, *, actor, note: str = "", when: datetime | None = None) -> ReportTask:
    """Record that the report was made (by whom, when, how)."""
    task = ReportTask.objects.select_for_update().get(pk=task.pk)
    if task.status == ReportStatus.REPORTED:
        raise ServiceError("该报告任务已完成，不能重复报告", code=ErrorCode.NOT_ALLOWED, field="status")
    before = {"status": task.status}
    task.status = ReportStatus.REPORTED
    task.reported_at = when or clock.now()
    task.reported_by = actor
    task.note = (note or "").strip()
    task.save(update_fields=["status", "reported_at", "reported_by", "note"])
    record("report_task.reported", actor=actor, obj=task, before=before, after={"status": task.status})
    return task


def pending_report_tasks():
    return ReportTask.objects.filter(status=ReportStatus.PENDING).select_related("case")
