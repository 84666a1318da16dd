"""The bulk path applies the same table, guards and effects as the engine, in memory."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from tests.factories import leaf_category
from tests.workflow.conftest import new_case, opinion, today_is
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.models import Case, CaseRouting
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow import bulk, rulings
from xinfang.cases.workflow.records import CaseOpinion, Extension
from xinfang.core.errors import ServiceError

pytestmark = pytest.mark.django_db
_seq = itertools.count(900000)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _unsaved(people, received: date) -> Case:
    seq = next(_seq)
    return Case(
        number=f"XF-{received.year}-{seq:06d}", year=received.year, seq=seq, channel=Channel.LETTER,
        title="反映小区噪声扰民问题", content="夜间施工噪声扰民", category=leaf_category(),
        nature=Nature.APPEAL, received_date=received, registered_at=_at(received, 9),
        registered_by=people.registrar, registering_org=people.registrar.organisation, query_code="BULK0001",
    )  # fmt: skip


def _steps(people):
    return [
        bulk.Step("forward", people.registrar, _at(date(2026, 3, 3)), {"unit": people.unit}),
        bulk.Step("accept", people.handler, _at(date(2026, 3, 4))),
        bulk.Step("start_handling", people.handler, _at(date(2026, 3, 4), 11)),
        bulk.Step("extend", people.head, _at(date(2026, 3, 5)), {"days": 20, "reason": "需要鉴定"}),
        bulk.Step("reply", people.head, _at(date(2026, 3, 9)), {"served_on": date(2026, 3, 9), **opinion()}),
    ]


FIELDS = ("status", "current_step", "due_date", "handling_due_date", "extension_count", "handling_route")


def test_bulk_cases_end_where_the_engine_would_leave_them(people):
    with today_is(2026, 3, 10):
        twin = new_case(people, date(2026, 3, 2))
        rulings.apply(twin, people.registrar)
        twin = tr.forward_case(
            twin, people.registrar, version=twin.version, unit=people.unit, on=date(2026, 3, 3)
        )
        twin = tr.accept_case(twin, people.handler, version=twin.version, on=date(2026, 3, 4))
        twin = tr.start_handling(twin, people.handler, version=twin.version, on=date(2026, 3, 4))
        twin = tr.extend_deadline(
            twin, people.head, version=twin.version, days=20, reason="需要鉴定", on=date(2026, 3, 5)
        )
        twin = tr.reply_case(twin, people.head, version=twin.version, served_on=date(2026, 3, 9), **opinion())
        (case,) = bulk.bulk_create_cases([bulk.Planned(_unsaved(people, date(2026, 3, 2)), _steps(people))])
    case = Case.objects.get(pk=case.pk)
    twin.refresh_from_db()
    assert {f: getattr(case, f) for f in FIELDS} == {f: getattr(twin, f) for f in FIELDS}
    assert case.status == "replied" and case.extension_count == 1 and case.version == 6
    assert case.triage_due_date == date(2026, 3, 17)  # opened like register_case: receipt + 15 days
    assert list(case.events.order_by("at", "id").values_list("action", flat=True)) == [
        "register", "forward", "accept", "start_handling", "extend", "reply",
    ]  # fmt: skip
    assert CaseRouting.objects.filter(case=case, unit=people.unit).exists()
    assert Extension.objects.filter(case=case, days=20).exists()
    assert CaseOpinion.objects.get(case=case).next_window_end == twin.opinions.get().next_window_end


def test_a_step_the_engine_would_refuse_is_refused_and_nothing_is_written(people):
    steps = _steps(people)
    steps.insert(4, bulk.Step("extend", people.head, _at(date(2026, 3, 6)), {"days": 5, "reason": "再延"}))
    good = bulk.Planned(_unsaved(people, date(2026, 3, 2)), _steps(people))
    bad = bulk.Planned(_unsaved(people, date(2026, 3, 2)), steps)
    before = Case.objects.count()
    with today_is(2026, 3, 10), pytest.raises(ServiceError, match="只能延长一次"):
        bulk.bulk_create_cases([good, bad])
    assert Case.objects.count() == before


def test_a_step_after_now_is_refused(people):
    with today_is(2026, 3, 3), pytest.raises(ServiceError, match="不晚于现在"):
        bulk.bulk_create_cases([bulk.Planned(_unsaved(people, date(2026, 3, 2)), _steps(people))])
