"""申诉核减: a responsible unit asks the bureau to leave an evaluation of an unreasonable request out of 满意率;
the bureau decides. Both the request and the decision stay on the record; an approved one leaves the
evaluation in 参评率 and takes it out of 满意率 only (see `selectors.rated_evaluations`)."""

from __future__ import annotations

from django.db import transaction

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import User
from xinfang.orgs.roles import UNIT_ROLES, Role

from .models import Evaluation, EvaluationExemption, EvaluationStatus, ExemptionStatus

DECIDING_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def can_request(user: User, evaluation: Evaluation) -> bool:
    unit_id = evaluation.case.responsible_unit_id
    return user.role in UNIT_ROLES and unit_id is not None and user.organisation_id == unit_id


def can_decide(user: User) -> bool:
    return user.role in DECIDING_ROLES and user.is_bureau_role


@transaction.atomic
def request_exemption(*, actor: User, evaluation: Evaluation, reason: str) -> EvaluationExemption:
    if not can_request(actor, evaluation):
        raise ServiceError("只有责任单位可以申请核减本件评价", code=ErrorCode.FORBIDDEN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["请填写申诉理由"]})
    if evaluation.status != EvaluationStatus.EVALUATED:
        raise ServiceError("该评价尚未完成，不能申请核减", code=ErrorCode.NOT_ALLOWED)
    if evaluation.exempted or evaluation.exemptions.filter(status=ExemptionStatus.PENDING).exists():
        raise ServiceError("该评价已核减或已有待审核的核减申请", code=ErrorCode.NOT_ALLOWED)
    row = EvaluationExemption.objects.create(
        evaluation=evaluation, reason=reason[:2000], requested_by=actor, requested_at=clock.now()
    )
    record("evaluation.exemption_request", actor=actor, obj=row, after={"evaluation": evaluation.pk})
    return row


@transaction.atomic
def decide_exemption(
    *, actor: User, exemption: EvaluationExemption, approve: bool, note: str = ""
) -> EvaluationExemption:
    if not can_decide(actor):
        raise ServiceError("只有信访局可以审核核减申请", code=ErrorCode.FORBIDDEN)
    row = EvaluationExemption.objects.select_for_update().get(pk=exemption.pk)
    if row.status != ExemptionStatus.PENDING:
        raise ServiceError("该核减申请已审核", code=ErrorCode.NOT_ALLOWED)
    row.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REJECTED
    row.decided_by, row.decided_at, row.decision_note = actor, clock.now(), (note or "").strip()[:2000]
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        evaluation = Evaluation.objects.get(pk=row.evaluation_id)
        evaluation.exempted = True
        evaluation.save(update_fields=["exempted"])  # a save, so the statistics rollups follow
    record("evaluation.exemption_decide", actor=actor, obj=row, after={"status": row.status})
    return row
