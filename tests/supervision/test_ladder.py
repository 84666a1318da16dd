"""The 督办 ladder on a controlled clock: 提醒函 3 working days ahead, 督办函 the day after the deadline,
问责建议函 drafted 10 working days after the 督办函, across the May Day and National Day holidays."""

from datetime import date

import pytest
from django.core.management import call_command

from tests.supervision.helpers import handling_case
from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import Status
from xinfang.cases.models import Case
from xinfang.supervision.models import FeedbackStatus, Letter, LetterKind
from xinfang.supervision.sweep import run_ladder, sweep


def kinds(case):
    return sorted(Letter.objects.filter(case=case).values_list("kind", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "before_reminder", "reminder_day", "urge_day", "accountability_day"),
    [
        # May Day 2026: 1–5 May off. 3 working days before Thu 7 May are 30 Apr, 6 May, 7 May.
        (date(2026, 5, 7), date(2026, 4, 28), date(2026, 4, 29), date(2026, 5, 8), date(2026, 5, 21)),
        # National Day 2026: 1–7 Oct off, Sat 10 Oct a working day.
        (date(2026, 10, 9), date(2026, 9, 28), date(2026, 9, 29), date(2026, 10, 10), date(2026, 10, 23)),
    ],
)
def test_each_step_fires_at_its_threshold_across_holidays(
    district, due, before_reminder, reminder_day, urge_day, accountability_day
):
    case = handling_case(district.units[0], due)
    run_ladder(before_reminder)
    assert kinds(case) == []
    run_ladder(reminder_day)
    assert kinds(case) == ["reminder"]
    run_ladder(due)  # the deadline day itself: still in time
    assert kinds(case) == ["reminder"]
    run_ladder(urge_day)
    assert kinds(case) == ["reminder", "urge"]
    urge = Letter.objects.get(case=case, kind=LetterKind.URGE)
    assert urge.number == f"督办〔{urge_day.year}〕1号" and urge.unit == district.units[0]
    run_ladder(date.fromordinal(accountability_day.toordinal() - 1))
    assert kinds(case) == ["reminder", "urge"]
    run_ladder(accountability_day)
    draft = Letter.objects.get(case=case, kind=LetterKind.ACCOUNTABILITY)
    assert (draft.status, draft.number, draft.follows) == (FeedbackStatus.DRAFT, "", urge)
    assert "追究责任" in draft.content


@pytest.mark.django_db
def test_a_case_answered_in_time_gets_no_urge_or_accountability_letter(district):
    due = date(2026, 5, 7)
    case = handling_case(district.units[0], due)
    run_ladder(date(2026, 4, 29))
    Case.objects.filter(pk=case.pk).update(status=Status.REPLIED, replied_at="2026-05-06T09:00:00+08:00")
    for day in (date(2026, 5, 8), date(2026, 5, 21), date(2026, 6, 30)):
        run_ladder(day)
    assert kinds(case) == ["reminder"]
    answered_early = handling_case(district.units[1], due)
    Case.objects.filter(pk=answered_early.pk).update(
        status=Status.REPLIED, replied_at="2026-04-20T09:00:00+08:00"
    )
    run_ladder(date(2026, 4, 29))
    assert kinds(answered_early) == []


@pytest.mark.django_db
def test_the_sweep_is_idempotent_and_numbers_letters_per_kind_and_year(district):
    cases = [handling_case(district.units[i % 2], date(2026, 5, 7)) for i in range(3)]
    first = sweep(date(2026, 5, 8))
    assert first["urges"] == 3
    snapshot = (
        list(Letter.objects.order_by("pk").values_list("pk", "number", "status")),
        AuditEvent.objects.count(),
    )
    again = sweep(date(2026, 5, 8))
    assert again["urges"] == 0 and again["marks_written"] == 0 and again["marks_removed"] == 0
    assert (
        list(Letter.objects.order_by("pk").values_list("pk", "number", "status")),
        AuditEvent.objects.count(),
    ) == snapshot
    numbers = sorted(Letter.objects.filter(kind="urge").values_list("number", flat=True))
    assert numbers == ["督办〔2026〕1号", "督办〔2026〕2号", "督办〔2026〕3号"]
    assert {letter.case_id for letter in Letter.objects.filter(kind="urge")} == {c.pk for c in cases}


@pytest.mark.django_db
def test_the_command_runs_the_sweep_for_a_given_date(district, capsys):
    handling_case(district.units[0], date(2026, 10, 9))
    call_command("supervise", "--date", "2026-10-10")
    out = capsys.readouterr().out
    assert "督办巡查（2026-10-10）完成" in out and "督办函：1" in out
    call_command("supervise", "--date", "2026-10-10")
    assert "督办函：0" in capsys.readouterr().out
    assert Letter.objects.filter(kind="urge").count() == 1


@pytest.mark.django_db
def test_reminder_threshold_is_a_setting(district, settings):
    settings.XINFANG = {**settings.XINFANG, "SUPERVISION": {"REMINDER_WORKING_DAYS": 5}}
    case = handling_case(district.units[0], date(2026, 5, 14))
    run_ladder(date(2026, 5, 6))  # 7, 8, 9 (Sat, working), 11, 12, 13, 14: seven working days away
    assert kinds(case) == []
    run_ladder(date(2026, 5, 8))  # 9, 11, 12, 13, 14: five
    assert kinds(case) == ["reminder"]


@pytest.mark.django_db
def test_sweep_letters_are_each_in_the_audit_chain_and_it_still_verifies(district):
    from xinfang.audit.services import record, verify_chain

    record("test.before", object_type="x", object_id=1)
    for i in range(4):
        handling_case(district.units[i % 2], date(2026, 5, 7))
    sweep(date(2026, 5, 8))
    record("test.after", object_type="x", object_id=2)
    issued = AuditEvent.objects.filter(action="letter.issue", object_type="supervision.letter")
    assert sorted(int(e.object_id) for e in issued) == sorted(Letter.objects.values_list("pk", flat=True))
    assert issued.count() == 4 and issued.first().actor_label == "系统"
    assert verify_chain().ok
