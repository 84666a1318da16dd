"""积案化解 list and the dispute ledger (矛盾纠纷排查化解) with conversion into a case."""

from datetime import date

import pytest

from tests.factories import leaf_category, make_case, make_user
from xinfang.cases.choices import Status
from xinfang.cases.validation import PetitionerInput
from xinfang.core.errors import ServiceError, ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision import ledgers
from xinfang.supervision.models import Dispute, LedgerStatus, RiskLevel


@pytest.mark.django_db
def test_backlog_is_open_past_the_age_or_a_repeat_on_one_matter(district, settings):
    today = date(2026, 6, 30)
    old = make_case(received=date(2025, 12, 1), status=Status.HANDLING)
    make_case(received=date(2025, 12, 1), status=Status.COMPLETED)  # old but closed
    recent = make_case(received=date(2026, 6, 1), status=Status.HANDLING)
    repeat = make_case(received=date(2026, 6, 20), related_case=recent)
    assert set(ledgers.backlog_candidates(today)) == {old, repeat}
    settings.XINFANG = {**settings.XINFANG, "SUPERVISION": {"BACKLOG_AGE_DAYS": 20}}
    assert set(ledgers.backlog_candidates(today)) == {old, recent, repeat}


@pytest.mark.django_db
def test_a_backlog_item_has_a_leader_plan_progress_and_result(district):
    leader = make_user(Role.LEADER, district.bureau)
    case = make_case(received=date(2025, 1, 1))
    item = ledgers.add_backlog(case=case, leader=leader, actor=leader, plan="联合住建部门现场协调")
    with pytest.raises(ServiceError):
        ledgers.add_backlog(case=case, leader=leader, actor=leader)
    ledgers.add_progress(item, actor=leader, text="已召开协调会")
    with pytest.raises(ValidationFailed):
        ledgers.resolve_backlog(item, actor=leader, result="")
    item = ledgers.resolve_backlog(item, actor=leader, result="达成和解，信访人息诉")
    assert (item.status, item.notes.count()) == (LedgerStatus.RESOLVED, 1)


@pytest.mark.django_db
def test_a_dispute_in_a_grid_becomes_a_case(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    dispute = Dispute.objects.create(
        grid=district.towns[0],
        title="邻里宅基地纠纷",
        description="两户因宅基地界址发生争执，调解未果",
        risk_level=RiskLevel.MEDIUM,
        owner="网格员张某",
        found_on=date(2026, 6, 1),
    )
    case = ledgers.convert_dispute(
        dispute,
        actor=registrar,
        category=leaf_category(),
        petitioner=PetitionerInput(name="赵六", phone="13800001111"),
    )
    dispute.refresh_from_db()
    assert dispute.case == case and case.place_organisation == district.towns[0]
    with pytest.raises(ServiceError):
        ledgers.convert_dispute(
            dispute, actor=registrar, category=leaf_category(), petitioner=PetitionerInput(name="赵六")
        )
