"""What the law decides at registration, without a triage step (petition.md §9 rules 3, 8, 9).

`register_case` calls `opening_fields` for the new case's state and triage clock, then `apply` inside
the same transaction, before anyone is told of the registration, so subscribers see the final state:

- art.36 ¶3 (rule 8): the same matter (``case.related_case``, set by the registrar or the repeat
  detector) already has a 复核 opinion → 不再受理, no clock, counted as a repeat;
- art.19 ¶3 (rule 9): the same matter is accepted and inside its handling period, and the body now
  registering it stands at a *higher level* of government than the handling unit (the article speaks of
  上级机关; a same-level bureau registering a repeat is not covered) → 不予受理, no clock;
- art.23 ¶2 (rule 3): a petition made directly to a body other than a petition department starts that
  body's 15-day written-notice clock at once.

Each ruling writes its timeline event, its written notice (不予受理告知书 / 不再受理告知书) and audit row,
and bumps the case's version, like any action.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.orgs.models import Organisation, OrgKind, User

from ..choices import Status
from ..models import Case, CaseEvent, CaseRouting
from . import deadlines
from .actors import REVIEW_LEVEL_KINDS, review_body_for
from .codes import ActionCode
from .context import clock_fields, stopped_clock
from .engine import render_document, snapshot

HANDLING_STATES = frozenset({Status.ACCEPTED, Status.HANDLING, Status.EXTENDED})


def opening_fields(received: datetime.date, profile: deadlines.Profile | None = None) -> dict[str, Any]:
    """A new case: registered, with the bureau's triage clock running from receipt (art.22)."""
    due = deadlines.due("triage", received, profile)
    return {"status": Status.REGISTERED, "triage_due_date": due.date, **clock_fields("triage", due)}


def _has_rereview(case: Case | None) -> Case | None:
    """The case (this one or an earlier one it is linked to) that already has a 复核 opinion."""
    seen = set()
    while case is not None and case.pk not in seen:
        seen.add(case.pk)
        if case.status == Status.REREVIEWED or case.opinions.filter(kind="rereview").exists():
            return case
        case = case.related_case
    return None


def _ruling(case: Case) -> tuple[str, str] | None:
    related = case.related_case
    if related is None:
        return None
    concluded = _has_rereview(related)
    if concluded is not None:
        return (
            Status.NOT_REACCEPTED,
            f"同一事实和理由已于{concluded.number}作出复核意见，依《信访工作条例》第三十六条第三款不再受理。",
        )
    handler = related.responsible_unit
    if (
        related.status in HANDLING_STATES
        and related.handling_due_date
        and case.received_date <= related.handling_due_date
        and handler is not None
        and is_higher_level(case.registering_org, handler)
    ):
        return (
            Status.NOT_ACCEPTED,
            f"同一事项已由{handler.name}受理（{related.number}），办理期限至"
            f"{related.handling_due_date:%Y-%m-%d}，依《信访工作条例》第十九条第三款不予受理。",
        )
    return None


def government_of(org: Organisation) -> Organisation | None:
    """The level of government an organisation belongs to (itself when it is one)."""
    return org if org.kind in REVIEW_LEVEL_KINDS else review_body_for(org)


def is_higher_level(body: Organisation, handler: Organisation) -> bool:
    """Whether `body` belongs to a level of government above the handler's (art.19 ¶3 上级机关)."""
    mine, theirs = government_of(body), government_of(handler)
    return mine is not None and theirs is not None and mine.pk != theirs.pk and theirs.is_within(mine)


def apply(case: Case, actor: User | None = None) -> str | None:
    """Run the registration rulings on a just-registered case; returns the new status, or None."""
    ruling = _ruling(case)
    if ruling is not None:
        status, note = ruling
        code = ActionCode.NOT_REACCEPT if status == Status.NOT_REACCEPTED else ActionCode.NOT_ACCEPT
        label = "不再受理" if status == Status.NOT_REACCEPTED else "不予受理"
        changes = dict(
            status=status, triage_due_date=None, triaged_at=case.registered_at,
            is_repeat_suspect=True, is_first=False, **stopped_clock(),
        )  # fmt: skip
        doc_type = "not_reaccept_notice" if status == Status.NOT_REACCEPTED else "non_acceptance_notice"
        data = {"ruling": "registration", "related": case.related_case_id}
        _write(case, actor, code, label, changes, note, data, (doc_type, {"ground": note}))
        return status
    if case.registering_org.kind != OrgKind.BUREAU and case.status == Status.REGISTERED:
        _start_direct_notice_clock(case, actor)
    return None


def _start_direct_notice_clock(case: Case, actor: User | None) -> None:
    org = case.registering_org
    due = deadlines.due("acceptance", case.received_date)
    changes = dict(
        responsible_unit=org, received_by_unit_at=case.registered_at, **clock_fields("acceptance", due)
    )
    note = f"{org.name}直接收到信访事项，应于{due.date:%Y-%m-%d}前书面告知是否受理（《信访工作条例》第二十三条第二款）。"
    _write(case, actor, ActionCode.DIRECT_RECEIPT, "直接收到", changes, note, {"due": due.date.isoformat()})
    CaseRouting.objects.get_or_create(
        case=case, unit=org, kind="direct", defaults={"routed_at": case.registered_at}
    )


def _write(
    case: Case, actor: User | None, code: str, label: str, changes: dict, note: str, data: dict,
    document: tuple[str, dict] | None = None,
) -> None:  # fmt: skip
    """One ruling: the case update, its event, its notice (when a registrar issued it) and its audit row."""
    before = snapshot(case)
    from_status = case.status
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1, **changes)
        case.refresh_from_db()
        doc = None
        if document is not None and actor is not None:
            doc_type, extra = document
            profile = deadlines.active_profile()
            doc = render_document(doc_type, case, actor=actor, profile=profile, on=clock.today(), **extra)
            note = f"{note}（文书：{doc.title}）"
        event = CaseEvent.objects.create(
            case=case, at=max(clock.now(), case.registered_at), actor=actor, action=code, label=label,
            from_status=from_status, to_status=case.status, note=note, data=data,
        )  # fmt: skip
        if doc is not None:
            doc.event = event
            doc.save()
        record(f"case.{code}", actor=actor, obj=case, before=before, after=snapshot(case))
