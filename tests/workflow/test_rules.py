"""domain/petition.md §9: the checkable workflow rules, one or more tests each (national profile unless set)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.helpers import registration
from tests.factories import make_case, make_petitioner, make_user
from tests.workflow.conftest import new_case, opinion, to_handling, to_replied, to_reviewed, today_is
from xinfang.cases.choices import Nature, Status
from xinfang.cases.identity import mask_id
from xinfang.cases.models import Case, CaseEvent, CaseRouting, ReviewRequest
from xinfang.cases.permissions import visible_cases
from xinfang.cases.registration import PetitionerInput
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import engine, rulings
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def refused(code: ErrorCode | None = None, words: str = ""):
    class _Ctx:
        def __enter__(self):
            self.cm = pytest.raises(ServiceError)
            self.info = self.cm.__enter__()
            return self.info

        def __exit__(self, *exc):
            result = self.cm.__exit__(*exc)
            if code is not None:
                assert self.info.value.code == code, self.info.value.message
            assert words in self.info.value.message
            return result

    return _Ctx()


def assert_unchanged(case: Case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.due_date) == (case.status, case.version, case.due_date)
    assert fresh.events.count() == case.events.count()


# Rule 1 ---------------------------------------------------------------------------------------------


def test_rule1_registration_starts_a_15_day_triage_clock_and_triage_stops_it(people):
    with today_is(2026, 11, 2):
        case = register_case(actor=people.registrar, data=registration(received_date=date(2026, 11, 2)))
    assert case.triage_due_date == date(2026, 11, 17) and case.current_step == "triage"
    # Nothing done by D+15: the case is an index-scan away from the overdue list.
    overdue = Case.objects.open().filter(current_step="triage", due_date__lt=date(2026, 11, 18))
    assert list(overdue) == [case]
    with today_is(2026, 11, 17):
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
    assert case.triaged_at.date() == date(2026, 11, 17) and case.triaged_at.date() <= case.triage_due_date
    assert case.current_step == "acceptance"
    assert not Case.objects.open().filter(current_step="triage").exists()


@pytest.mark.parametrize("code", ["forward", "assign", "inform"])
def test_rule1_each_triage_action_records_the_triage_time(people, code):
    case = new_case(people, date(2026, 11, 2))
    extra = {
        "forward": {"unit": people.unit},
        "assign": {"unit": people.unit, "result_due": date(2026, 12, 20)},
    }
    extra["inform"] = {"route": "31(2)"}
    with today_is(2026, 11, 10):
        case = engine.execute(code, case, people.registrar, version=case.version, **extra[code])
    assert case.triaged_at is not None


# Rule 2 ---------------------------------------------------------------------------------------------


def test_rule2_acceptance_notice_due_r_plus_15_and_objection_within_5_working_days(people):
    # Received 2024-09-27 (Fri): 09-29 (Sun) is a 调休 working day, 10-01..07 are holidays.
    with today_is(2024, 10, 10):
        case = new_case(people, date(2024, 9, 27))
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2024, 9, 27)
        )
        assert case.due_date == date(2024, 10, 12)  # R+15 is a 调休 Saturday: a working day, no roll
        case = tr.object_case(
            case, people.handler, version=case.version, reason="属于市场监管部门职责", on=date(2024, 10, 10)
        )
    assert case.status == Status.OBJECTED and case.current_step == "triage"
    assert engine.allowed_actions(case, people.handler) == []  # back with the bureau


def test_rule2_the_bureau_may_disagree_and_send_it_back_or_agree_and_forward_elsewhere(people):
    with today_is(2024, 10, 15):
        case = new_case(people, date(2024, 9, 27))
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2024, 9, 27)
        )
        case = tr.object_case(
            case, people.handler, version=case.version, reason="不属本单位", on=date(2024, 9, 30)
        )
        back = engine.execute(
            "reject_objection", case, people.registrar, version=case.version, reason="属于该单位职责"
        )
        assert back.status == Status.FORWARDED and back.responsible_unit == people.unit
        assert back.due_date == date(2024, 10, 30)  # 15 days from the return
        with refused(ErrorCode.DEADLINE_PASSED):  # the objection window ran from the first receipt
            tr.object_case(back, people.handler, version=back.version, reason="仍不属本单位")
        accepted = tr.accept_case(back, people.handler, version=back.version)
        assert accepted.status == Status.ACCEPTED
        # Agreeing instead: the bureau forwards it elsewhere and the new unit becomes responsible.
        other = new_case(people, date(2024, 9, 27))
        other = tr.forward_case(
            other, people.registrar, version=other.version, unit=people.unit, on=date(2024, 9, 27)
        )
        other = tr.object_case(
            other, people.handler, version=other.version, reason="不属本单位", on=date(2024, 9, 30)
        )
        other = tr.forward_case(other, people.registrar, version=other.version, unit=people.other_unit)
    assert other.responsible_unit == people.other_unit and other.triaged_at.date() == date(2024, 9, 27)


def test_rule2_an_objection_on_the_sixth_working_day_is_rejected(people):
    with today_is(2024, 10, 11):
        case = new_case(people, date(2024, 9, 27))
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2024, 9, 27)
        )
        with refused(ErrorCode.DEADLINE_PASSED, "2024-10-10"):
            tr.object_case(
                case, people.handler, version=case.version, reason="不属本单位", on=date(2024, 10, 11)
            )
    assert_unchanged(case)


# Rule 3 ---------------------------------------------------------------------------------------------


def test_rule3_a_direct_petition_to_a_unit_starts_its_15_day_notice_clock(people):
    clerk = make_user(Role.ADMIN, people.unit)
    with today_is(2026, 11, 2):
        case = make_case(registered_by=clerk, received=date(2026, 11, 2))
        rulings.apply(case, clerk)
    case.refresh_from_db()
    assert case.responsible_unit == people.unit and case.current_step == "acceptance"
    assert case.due_date == date(2026, 11, 17)
    assert CaseRouting.objects.filter(case=case, unit=people.unit).exists()


def test_rule3_the_notice_exemption_must_be_recorded(people):
    clerk = make_user(Role.ADMIN, people.unit)
    with today_is(2026, 11, 5):
        case = make_case(registered_by=clerk, received=date(2026, 11, 2))
        rulings.apply(case, clerk)
        case.refresh_from_db()
        with pytest.raises(ValidationFailed) as err:
            tr.accept_case(case, people.handler, version=case.version, notice_exempt=True)
        assert "姓名或住址不清" in err.value.message
        case = tr.accept_case(
            case, people.handler, version=case.version, notice_exempt=True, note="来信无署名、无地址"
        )
    event = case.events.get(action="accept")
    assert event.data["notice_exempt"] is True and event.note == "来信无署名、无地址"
    assert not case.documents.filter(doc_type="acceptance_notice").exists()


def test_rule3_a_bureau_registered_case_cannot_be_accepted_before_triage(people):
    case = new_case(people, date(2026, 11, 2), responsible_unit=people.unit)
    with today_is(2026, 11, 3), refused(ErrorCode.NOT_ALLOWED, "先转送或交办"):
        tr.accept_case(case, people.handler, version=case.version)


# Rule 4 ---------------------------------------------------------------------------------------------


def test_rule4_handling_due_a_plus_60_one_extension_by_the_head_at_most_a_plus_90(people):
    with today_is(2026, 3, 10):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        assert case.handling_due_date == date(2026, 5, 6)  # 03-04 + 60 = 05-03 (Sun, Labour Day) → 05-06
        with refused(ErrorCode.FORBIDDEN, "角色"):
            tr.extend_deadline(case, people.handler, version=case.version, days=30, reason="案情复杂")
        with pytest.raises(ValidationFailed) as err:
            tr.extend_deadline(case, people.head, version=case.version, days=31, reason="案情复杂")
        assert err.value.field == "days" and "30" in err.value.message
        case = tr.extend_deadline(
            case, people.head, version=case.version, days=30, reason="案情复杂，需多部门会商"
        )
        assert case.status == Status.EXTENDED and case.extension_count == 1
        assert case.handling_due_date == date(2026, 6, 2) == case.due_date  # 03-04 + 90
        with refused(ErrorCode.NOT_ALLOWED, "只能延长一次"):
            tr.extend_deadline(case, people.head, version=case.version, days=1, reason="再延")
    assert case.extensions.get().reason == "案情复杂，需多部门会商"
    assert case.documents.filter(doc_type="extension_notice").count() == 1


def test_rule4_zhejiang_handles_in_30_days_and_allows_up_to_60_more(people, settings):
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": "zhejiang"}
    with today_is(2026, 3, 10):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        assert case.handling_due_date == date(2026, 4, 3)
        with pytest.raises(ValidationFailed):
            tr.extend_deadline(case, people.head, version=case.version, days=61, reason="复杂")
        case = tr.extend_deadline(case, people.head, version=case.version, days=60, reason="复杂")
    assert case.handling_due_date == date(2026, 6, 2)


# Rule 5 ---------------------------------------------------------------------------------------------


def test_rule5_other_legal_routes_get_no_handling_clock_and_no_review(people):
    with today_is(2026, 3, 10):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 3)
        )
        case = tr.inform_case(case, people.handler, version=case.version, route="31(4)")
    assert case.status == Status.INFORMED and case.handling_route == "31(4)"
    assert case.handling_due_date is None and case.due_date is None and case.current_step == ""
    with today_is(2026, 3, 11), refused(ErrorCode.NOT_ALLOWED):
        tr.request_review(case, people.registrar, version=case.version, body=people.district,
                          received_on=date(2026, 3, 11), reason="不服")  # fmt: skip


# Rule 6 ---------------------------------------------------------------------------------------------


def test_rule6_review_request_within_30_days_at_the_body_one_level_up(people):
    with today_is(2026, 5, 31):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 4, 20))
        with pytest.raises(ValidationFailed) as err:
            tr.request_review(case, people.registrar, version=case.version, body=people.other_unit,
                              received_on=date(2026, 5, 20), reason="不服")  # fmt: skip
        assert err.value.field == "body" and "上一级" in err.value.message
        with refused(ErrorCode.DEADLINE_PASSED, "2026-05-20"):  # day 31 after 04-20
            tr.request_review(case, people.registrar, version=case.version, body=people.district,
                              received_on=date(2026, 5, 21), reason="不服")  # fmt: skip
        assert_unchanged(case)
        case = tr.request_review(case, people.registrar, version=case.version, body=people.district,
                                 received_on=date(2026, 5, 20), reason="不服")  # fmt: skip
    assert case.status == Status.REVIEW_REQUESTED
    assert case.current_step == "review" and case.due_date == date(2026, 6, 22)  # 06-19 is 端午节
    assert ReviewRequest.objects.get(case=case).body == people.district
    # The review body now sees the case; the handler's sibling unit does not.
    assert visible_cases(people.district_head).filter(pk=case.pk).exists()
    assert not visible_cases(people.other_handler).filter(pk=case.pk).exists()


def test_rule6_only_the_review_body_gives_the_review_opinion(people):
    with today_is(2026, 5, 25):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 4, 20))
        case = tr.request_review(case, people.registrar, version=case.version, body=people.district,
                                 received_on=date(2026, 5, 20), reason="不服")  # fmt: skip
        with refused(ErrorCode.FORBIDDEN, "复查"):
            tr.review_case(case, people.head, version=case.version, served_on=date(2026, 5, 25), **opinion())
        case = tr.review_case(case, people.district_head, version=case.version, served_on=date(2026, 5, 25),
                              **opinion())  # fmt: skip
    assert case.status == Status.REVIEWED and case.documents.filter(doc_type="review_opinion").exists()


# Rule 7 ---------------------------------------------------------------------------------------------


def test_rule7_rereview_works_the_same_and_hearing_days_extend_its_deadline(people):
    with today_is(2026, 7, 20):
        case = to_reviewed(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 4, 20),
                           date(2026, 5, 6), date(2026, 5, 25))  # fmt: skip
        with pytest.raises(ValidationFailed) as err:  # 复核 goes one level above the reviewer, not to it
            tr.request_rereview(case, people.registrar, version=case.version, body=people.district,
                                received_on=date(2026, 6, 1), reason="不服复查")  # fmt: skip
        assert err.value.field == "body"
        with refused(ErrorCode.DEADLINE_PASSED):  # 05-25 + 30 = 06-24
            tr.request_rereview(case, people.registrar, version=case.version, body=people.city,
                                received_on=date(2026, 6, 25), reason="不服复查")  # fmt: skip
        case = tr.request_rereview(case, people.registrar, version=case.version, body=people.city,
                                   received_on=date(2026, 6, 1), reason="不服复查")  # fmt: skip
        assert case.due_date == date(2026, 7, 1)
        case = tr.hold_hearing(case, people.city_head, version=case.version, start=date(2026, 6, 10),
                               end=date(2026, 6, 12))  # fmt: skip
        assert case.due_date == date(2026, 7, 6)  # 06-01 + 33 = 07-04 (Sat) → 07-06
        case = tr.rereview_case(case, people.city_head, version=case.version, served_on=date(2026, 7, 3),
                                **opinion())  # fmt: skip
    assert case.status == Status.REREVIEWED and case.events.filter(action="hearing").count() == 1


# Rules 8 and 9 --------------------------------------------------------------------------------------


def test_rule8_same_matter_after_a_rereview_opinion_is_not_reaccepted_with_no_clock(people):
    petitioner = make_petitioner()
    with today_is(2026, 7, 20):
        first = to_reviewed(new_case(people, date(2026, 3, 2), petitioner=petitioner), people,
                            date(2026, 3, 3), date(2026, 4, 20), date(2026, 5, 6), date(2026, 5, 25))  # fmt: skip
        first = tr.request_rereview(first, people.registrar, version=first.version, body=people.city,
                                    received_on=date(2026, 6, 1), reason="不服复查")  # fmt: skip
        tr.rereview_case(
            first, people.city_head, version=first.version, served_on=date(2026, 7, 3), **opinion()
        )
        again = new_case(people, date(2026, 7, 20), petitioner=petitioner, related_case=first)
        assert rulings.apply(again, people.registrar) == Status.NOT_REACCEPTED
    again.refresh_from_db()
    assert again.status == Status.NOT_REACCEPTED and again.is_repeat_suspect and not again.is_first
    assert again.due_date is None and again.triage_due_date is None and again.handling_due_date is None
    assert "第三十六条" in again.events.get(action="not_reaccept").note


def test_rule8_runs_on_real_registration_through_the_signal(people):
    petitioner_id = "11010519491231002X"
    with today_is(2026, 7, 20):
        first = register_case(actor=people.registrar, data=registration(received_date=date(2026, 3, 2)))
        Case.objects.filter(pk=first.pk).update(status=Status.REREVIEWED)
        again = register_case(
            actor=people.registrar,
            data=registration(
                received_date=date(2026, 7, 20),
                related_case=first.pk,
                petitioners=[PetitionerInput(name="张伟", id_number=petitioner_id)],
            ),  # fmt: skip
        )
    assert again.status == Status.NOT_REACCEPTED and again.due_date is None


def test_rule9_same_matter_registered_higher_up_while_in_handling_is_not_accepted(people, district):
    with today_is(2026, 3, 20):
        first = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        city_clerk = make_user(Role.REGISTRAR, district.city_bureau)
        second = make_case(registered_by=city_clerk, received=date(2026, 3, 20), related_case=first)
        assert rulings.apply(second, city_clerk) == Status.NOT_ACCEPTED
    second.refresh_from_db()
    assert second.due_date is None and "第十九条" in second.events.get(action="not_accept").note


def test_rule9_does_not_apply_after_the_handling_period(people, district):
    with today_is(2026, 6, 20):
        first = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        city_clerk = make_user(Role.REGISTRAR, district.city_bureau)
        late = make_case(registered_by=city_clerk, received=date(2026, 6, 20), related_case=first)
        assert rulings.apply(late, city_clerk) is None
    late.refresh_from_db()
    assert late.status == Status.REGISTERED


# Rule 10 --------------------------------------------------------------------------------------------


def test_rule10_an_accusation_cannot_go_to_the_accused_unit_or_its_parents(people, district):
    grid = district.units[0]
    case = new_case(people, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=grid)
    with today_is(2026, 3, 3):
        with refused(ErrorCode.ACCUSED_UNIT, "被反映单位"):
            tr.forward_case(case, people.registrar, version=case.version, unit=grid)
        with refused(ErrorCode.ACCUSED_UNIT):
            tr.assign_case(
                case, people.registrar, version=case.version, unit=grid, result_due=date(2026, 4, 1)
            )
        assert_unchanged(case)
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.other_unit)
    assert not visible_cases(people.handler).filter(pk=case.pk).exists()
    assert engine.allowed_actions(case, people.handler) == []


def test_rule10_a_child_of_the_accused_cannot_receive_it_either(people, district):
    from tests.factories import make_org

    team = make_org("执法中队", OrgKind.GRID, people.unit)
    case = new_case(people, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=team)
    with today_is(2026, 3, 3), refused(ErrorCode.ACCUSED_UNIT):
        tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)  # parent of accused


# Rules 11 and 12 ------------------------------------------------------------------------------------


def test_rule11_more_than_5_representatives_are_rejected_zhejiang_3_for_10_persons(people, settings):
    reps = [PetitionerInput(name=f"代表{i}", is_representative=True) for i in range(6)]
    with pytest.raises(ValidationFailed) as err:
        register_case(
            actor=people.registrar, data=registration(petitioners=reps, headcount=20, channel="visit")
        )
    assert "代表不得超过5人" in err.value.message
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": "zhejiang"}
    with pytest.raises(ValidationFailed) as err:
        register_case(
            actor=people.registrar, data=registration(petitioners=reps[:4], headcount=10, channel="visit")
        )
    assert "代表不得超过3人" in err.value.message


def test_rule12_group_flag_follows_the_threshold(people):
    people_in = [PetitionerInput(name="甲", is_representative=True)]
    assert register_case(
        actor=people.registrar, data=registration(petitioners=people_in, headcount=5)
    ).is_collective
    assert not register_case(
        actor=people.registrar, data=registration(petitioners=people_in, headcount=4)
    ).is_collective


# Rule 19 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["request_text", "facts", "decision_text", "legal_basis"])
def test_rule19_no_handling_opinion_without_its_four_parts(people, missing):
    with today_is(2026, 3, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        with pytest.raises(ValidationFailed) as err:
            tr.reply_case(case, people.head, version=case.version, served_on=date(2026, 3, 20),
                          **opinion(**{missing: "  "}))  # fmt: skip
    assert err.value.field == missing
    assert_unchanged(case)


@pytest.mark.parametrize("profile", ["shanghai", "shandong"])
def test_rule19_shanghai_and_shandong_also_need_the_review_route(people, settings, profile):
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": profile}
    with today_is(2026, 3, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        with pytest.raises(ValidationFailed) as err:
            tr.reply_case(case, people.head, version=case.version, served_on=date(2026, 3, 20), **opinion())
        assert err.value.field == "review_route"
        route = "如不服，可自收到本意见书之日起30日内向示例区人民政府申请复查。"
        case = tr.reply_case(case, people.head, version=case.version, served_on=date(2026, 3, 20),
                             review_route=route, **opinion())  # fmt: skip
    assert case.opinions.get().review_route == route


def test_rule19_national_opinion_states_the_review_route_on_its_own(people):
    with today_is(2026, 3, 20):
        case = to_replied(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 20))
    op = case.opinions.get()
    assert (
        "30日内" in op.review_route
        and "示例区" in op.review_route
        and op.next_window_end == date(2026, 4, 20)
    )


# Rule 21 --------------------------------------------------------------------------------------------


def test_rule21_confidential_case_visible_only_to_designated_officers_and_ids_masked(people):
    case = new_case(people, date(2026, 3, 2), is_confidential=True)
    officer = people.registrar
    case.confidential_officers.add(officer)
    colleague = make_user(Role.REGISTRAR, officer.organisation)
    assert visible_cases(officer).filter(pk=case.pk).exists()
    assert not visible_cases(colleague).filter(pk=case.pk).exists()
    number = case.parties.get().petitioner.id_number
    assert number[6:14] not in mask_id(number) and mask_id(number)[:6] == number[:6]


# The timeline keeps every step -----------------------------------------------------------------------


def test_every_transition_writes_event_audit_and_runs_its_hooks(people):
    from xinfang.audit.models import AuditEvent
    from xinfang.cases.workflow import hooks

    seen = []

    def listener(**kw):
        seen.append((kw["action"], kw["from_status"], kw["to_status"]))
        assert kw["event"].action == kw["action"]

    hooks.after(hooks.ANY)(listener)
    try:
        with today_is(2026, 3, 5):
            case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
    finally:
        hooks.unsubscribe(listener)
    assert seen == [("forward", "registered", "forwarded"), ("accept", "forwarded", "accepted"),
                    ("start_handling", "accepted", "handling")]  # fmt: skip
    assert list(case.events.values_list("action", flat=True)) == [
        "register",
        "forward",
        "accept",
        "start_handling",
    ]
    assert AuditEvent.objects.filter(action__startswith="case.").count() >= 3
    assert case.version == 4
    assert CaseEvent.objects.get(case=case, action="accept").data["notice_on_time"] is True


def test_rule1_zhejiang_triage_clock_is_5_working_days_from_registration(people, settings):
    settings.XINFANG = {**settings.XINFANG, "DEADLINE_PROFILE": "zhejiang"}
    with today_is(2026, 2, 12):
        case = register_case(actor=people.registrar, data=registration(received_date=date(2026, 2, 12)))
    # 02-13 (Fri), 02-14 (调休 Sat), then the Spring Festival: 02-24, 02-25, 02-26.
    assert case.triage_due_date == date(2026, 2, 26) == Case.objects.get(pk=case.pk).due_date


def test_merge_into_an_earlier_case_and_withdraw_stop_the_clock(people):
    with today_is(2026, 3, 10):
        first = new_case(people, date(2026, 3, 2))
        dup = new_case(people, date(2026, 3, 5), current_step="triage", due_date=date(2026, 3, 20))
        with pytest.raises(ValidationFailed):
            tr.merge_case(first, people.registrar, version=first.version, target=dup.number)  # later case
        dup = tr.merge_case(dup, people.registrar, version=dup.version, target=first.number)
        assert dup.status == Status.MERGED and dup.related_case == first and dup.due_date is None
        first = tr.withdraw_case(first, people.registrar, version=first.version, reason="信访人书面撤回")
    assert first.status == Status.WITHDRAWN and first.events.get(action="withdraw").note == "信访人书面撤回"
    with today_is(2026, 3, 11), refused(ErrorCode.NOT_ALLOWED):
        tr.forward_case(first, people.registrar, version=first.version, unit=people.unit)
