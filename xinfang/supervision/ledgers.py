"""积案化解 (open past a settable age, or repeat petitions on one matter) and the dispute ledger."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet

from xinfang.audit.services import record
from xinfang.cases.models import Case, Category
from xinfang.cases.services import register_case
from xinfang.cases.validation import PetitionerInput, RegistrationInput
from xinfang.core import clock
from xinfang.core.errors import ServiceError, ValidationFailed

from . import conf
from .models import BacklogItem, BacklogNote, Dispute, LedgerStatus
from .sweep import open_cases


def backlog_candidates(today=None) -> QuerySet[Case]:
    """Open cases received more than BACKLOG_AGE_DAYS ago, or repeat petitions on an earlier matter."""
    today = today or clock.today()
    old = today - timedelta(days=int(conf.get("BACKLOG_AGE_DAYS")))
    return (
        open_cases()
        .filter(Q(received_date__lt=old) | Q(related_case__isnull=False))
        .order_by("received_date")
    )


@transaction.atomic
def add_backlog(*, case: Case, leader, actor, plan: str = "") -> BacklogItem:
    item, created = BacklogItem.objects.get_or_create(
        case=case, defaults={"leader": leader, "plan": plan.strip(), "created_on": clock.today()}
    )
    if not created:
        raise ServiceError("该事项已列入积案台账")
    record("backlog.add", actor=actor, obj=item, after={"case": case.pk, "leader": leader.pk})
    return item


@transaction.atomic
def add_progress(item: BacklogItem, *, actor, text: str) -> BacklogNote:
    if not (text or "").strip():
        raise ValidationFailed({"text": ["请填写化解进展"]})
    return BacklogNote.objects.create(item=item, at=clock.now(), author=actor, text=text.strip())


@transaction.atomic
def resolve_backlog(item: BacklogItem, *, actor, result: str) -> BacklogItem:
    if not (result or "").strip():
        raise ValidationFailed({"result": ["请填写化解结果"]})
    item.status, item.result = LedgerStatus.RESOLVED, result.strip()
    item.save(update_fields=["status", "result"])
    record("backlog.resolve", actor=actor, obj=item, after={"status": item.status})
    return item


@transaction.atomic
def convert_dispute(
    dispute: Dispute,
    *,
    actor,
    category: Category,
    petitioner: PetitionerInput,
) -> Case:
    """Turn a dispute the grid could not settle into a registered case (register_case validates it)."""
    if dispute.case_id:
        raise ServiceError("该纠纷已转为信访事项")
    case = register_case(
        actor=actor,
        data=RegistrationInput(
            channel="visit",
            title=dispute.title[:200],
            content=dispute.description,
            category=category.pk,
            nature="appeal",
            received_date=clock.today(),
            petitioners=[petitioner],
            place_organisation=dispute.grid_id,
        ),
    )
    dispute.case = case
    dispute.save(update_fields=["case"])
    record("dispute.convert", actor=actor, obj=dispute, after={"case": case.pk})
    return case
