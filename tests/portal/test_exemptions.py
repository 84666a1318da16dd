"""申诉核减: units ask, the bureau decides; an approved one leaves 满意率 only, and both stay on the record."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_case, make_user
from tests.portal.test_rule13_participation_satisfaction import PERIOD, REPLY_DAY, at
from xinfang.analytics.metrics import METRICS, evaluation_breakdown
from xinfang.core.errors import ServiceError
from xinfang.orgs.roles import Role
from xinfang.portal.exemptions import decide_exemption, request_exemption
from xinfang.portal.models import EvaluationExemption, ExemptionStatus
from xinfang.portal.services import expire_evaluations, open_evaluation, submit_evaluation

NOW = at(date(2026, 8, 1))


@pytest.fixture
def rule13_set(district):
    """Rule 13's constructed set: 满意 50, 基本满意 20, 不满意 10, 超期未评价 20 (unit A)."""
    registrar = make_user(Role.REGISTRAR, district.bureau)
    unit = district.units[0]
    results = ["satisfied"] * 50 + ["basically"] * 20 + ["unsatisfied"] * 10 + [None] * 20
    unsatisfied = []
    for i, result in enumerate(results):
        case = make_case(
            registered_by=registrar, unit=unit, received=date(2026, 4, 1), replied_at=at(REPLY_DAY)
        )
        ev = open_evaluation(case)
        if result:
            ev = submit_evaluation(case, result, "", at(REPLY_DAY + timedelta(days=1 + i % 20)))
        if result == "unsatisfied":
            unsatisfied.append(ev)
    expire_evaluations(NOW)
    return unsatisfied


def rates() -> tuple[Decimal, Decimal]:
    return (
        METRICS["participation_rate"].compute(*PERIOD, now=NOW),
        METRICS["satisfaction_rate"].compute(*PERIOD, now=NOW),
    )


@pytest.mark.django_db
def test_rule13_on_the_constructed_set(rule13_set):
    assert rates() == (Decimal("80.00"), Decimal("87.50"))


@pytest.mark.django_db
def test_approved_exemptions_leave_satisfaction_only_rejected_and_pending_change_nothing(
    rule13_set, district
):
    handler = make_user(Role.HANDLER, district.units[0])
    supervisor = make_user(Role.SUPERVISOR, district.bureau)
    asked = [
        request_exemption(actor=handler, evaluation=ev, reason="诉求明显不合理") for ev in rule13_set[:6]
    ]
    assert rates() == (Decimal("80.00"), Decimal("87.50"))  # pending: nothing changes
    decide_exemption(actor=supervisor, exemption=asked[0], approve=False, note="理由不充分")
    for row in asked[1:6]:
        decide_exemption(actor=supervisor, exemption=row, approve=True)
    # 5 不满意 exempted: 参评率 stays 80 / 100; 满意率 = 70 / 75
    assert rates() == (Decimal("80.00"), Decimal("93.33"))
    assert evaluation_breakdown(*PERIOD, now=NOW)["exempt"] == 5
    statuses = sorted(EvaluationExemption.objects.values_list("status", flat=True))
    assert statuses.count(ExemptionStatus.APPROVED) == 5 and statuses.count(ExemptionStatus.REJECTED) == 1


@pytest.mark.django_db
def test_only_the_responsible_unit_asks_and_only_the_bureau_decides(rule13_set, district):
    ev = rule13_set[0]
    other_unit = make_user(Role.HANDLER, district.units[1])
    handler = make_user(Role.HANDLER, district.units[0])
    with pytest.raises(ServiceError, match="只有责任单位"):
        request_exemption(actor=other_unit, evaluation=ev, reason="x")
    row = request_exemption(actor=handler, evaluation=ev, reason="诉求不合理")
    with pytest.raises(ServiceError, match="已有待审核"):
        request_exemption(actor=handler, evaluation=ev, reason="again")
    with pytest.raises(ServiceError, match="只有信访局"):
        decide_exemption(actor=handler, exemption=row, approve=True)
    supervisor = make_user(Role.SUPERVISOR, district.bureau)
    decide_exemption(actor=supervisor, exemption=row, approve=True)
    with pytest.raises(ServiceError, match="已审核"):
        decide_exemption(actor=supervisor, exemption=row, approve=False)


@pytest.mark.django_db
def test_exemption_pages(rule13_set, district, client):
    from tests.factories import PASSWORD

    ev = rule13_set[0]
    handler = make_user(Role.HANDLER, district.units[0])
    client.login(username=handler.username, password=PASSWORD)
    client.post(f"/portal/staff/evaluations/{ev.pk}/exemption/", {"reason": "诉求不合理"})
    assert EvaluationExemption.objects.filter(evaluation=ev, status="pending").exists()
    assert client.get("/portal/staff/exemptions/").status_code == 403
    supervisor = make_user(Role.SUPERVISOR, district.bureau)
    client.login(username=supervisor.username, password=PASSWORD)
    assert "诉求不合理" in client.get("/portal/staff/exemptions/").content.decode()
    row = EvaluationExemption.objects.get(evaluation=ev)
    client.post(f"/portal/staff/exemptions/{row.pk}/decide/", {"decision": "approve"})
    ev.refresh_from_db()
    assert ev.exempted
