"""Cohort rollups: equal to metrics.py after a rebuild, and kept equal by the workflow as cases move.

The property test drives random action sequences through `xinfang.cases.workflow.actions` (and the
registration service and the petitioner's evaluation) on a controlled clock, then checks that every figure
read from the rollups equals the raw recomputation from the cases, and that the incrementally kept rows equal
a rebuild.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.analytics.conftest import MARCH, NOW
from tests.cases.helpers import registration
from tests.factories import make_user
from tests.workflow.conftest import opinion
from xinfang.analytics import cohorts
from xinfang.analytics.models import CohortRollup, UnitRollup
from xinfang.analytics.ranking import unit_ranking
from xinfang.analytics.scope import Scope
from xinfang.analytics.sources import ROLLUPS
from xinfang.analytics.stats import StatsQuery, compute_stats
from xinfang.cases.models import Case, Category
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.core.errors import ServiceError
from xinfang.orgs.roles import Role
from xinfang.portal.services import submit_evaluation

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _without_source(stats: dict) -> dict:
    stats["period"].pop("source")
    return stats


def _both(q: StatsQuery) -> tuple[dict, dict]:
    return _without_source(compute_stats(q)), _without_source(compute_stats(q.using(ROLLUPS)))


def _ranking(q: StatsQuery) -> list:
    ranked, aside = unit_ranking(q, min_volume=1)
    return [(s.unit.pk, s.rank, s.score, s.volume, s.rates) for s in [*ranked, *aside]]


def _rows() -> dict:
    """Every non-zero rollup row of both tables, keyed."""
    return {**_table_rows(CohortRollup, ("kind", "day", "unit", "category", "channel", "nature", "place")),
            **_table_rows(UnitRollup, ("kind", "grain", "day", "unit", "own", "dim", "value"))}  # fmt: skip


def _table_rows(model, key_fields: tuple[str, ...]) -> dict:
    fields = [f.name for f in model._meta.fields if f.name not in ("id",)]
    out = {}
    for row in model.objects.values(*fields):
        key = (model.__name__, *(row[f] for f in key_fields))
        counters = {
            k: v
            for k, v in row.items()
            if isinstance(v, int) and not isinstance(v, bool) and k not in ("unit", "category", "place") and v
        }
        if counters:
            out[key] = counters
    return out


@time_machine.travel(NOW, tick=False)
def test_after_a_rebuild_the_rollups_give_every_figure_of_the_cases(march):
    cohorts.rebuild()
    for scope in (Scope(), Scope(unit=march.unit_a), Scope(unit=march.unit_b)):
        from_cases, from_rollups = _both(StatsQuery(*MARCH, scope, now=NOW))
        assert from_rollups == from_cases, scope
    assert (
        compute_stats(StatsQuery(*MARCH, now=NOW).using(ROLLUPS))["timely_acceptance_rate"]["value"]
        == "60.00"
    )


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_reads_the_rollups(march):
    from django.test import Client

    leader = make_user(Role.LEADER, march.unit_a.parent)
    client = Client()
    client.force_login(leader)
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    assert ">60.00%</a>" not in client.get("/dashboard/", period).content.decode()  # rollups empty so far
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "统计口径汇总" in out.getvalue()
    assert ">60.00%</a>" in client.get("/dashboard/", period).content.decode()


class Walk:
    """A district's cases pushed through random workflow actions, day by day."""

    def __init__(self, district, rng: random.Random, traveller) -> None:
        self.rng, self.traveller = rng, traveller
        self.registrar = make_user(Role.REGISTRAR, district.bureau)
        self.units = district.units
        self.handlers = {u.pk: make_user(Role.HANDLER, u) for u in self.units}
        self.heads = {u.pk: make_user(Role.UNIT_HEAD, u) for u in self.units}
        self.categories = list(Category.objects.filter(parent__isnull=False).order_by("code")[:4])
        self.cases: list[int] = []
        self.refusals = 0
        self.done: dict[str, int] = {}

    def today(self) -> date:
        return datetime.now(TZ).date()

    def register(self) -> None:
        data = registration(received_date=self.today(), category=self.rng.choice(self.categories).pk,
                            channel=self.rng.choice(["letter", "visit", "online"]),
                            nature=self.rng.choice(["appeal", "appeal", "suggestion"]))  # fmt: skip
        self.cases.append(register_case(actor=self.registrar, data=data).pk)

    def act(self, case: Case) -> None:
        """Mostly the action the case's state calls for, sometimes a random one (refusals change nothing)."""
        unit = case.responsible_unit_id
        handler, head = self.handlers.get(unit), self.heads.get(unit)
        moves = {
            "forward": lambda: tr.forward_case(
                case, self.registrar, version=case.version, unit=self.rng.choice(self.units)
            ),
            "accept": lambda: tr.accept_case(case, handler, version=case.version),
            "start": lambda: tr.start_handling(case, handler, version=case.version),
            "extend": lambda: tr.extend_deadline(
                case, head, version=case.version, days=self.rng.randint(1, 30), reason="案情复杂"
            ),
            "reply": lambda: tr.reply_case(
                case, head, version=case.version, served_on=self.today(), **opinion()
            ),
            "withdraw": lambda: tr.withdraw_case(
                case, self.registrar, version=case.version, reason="信访人撤回"
            ),
            "inform": lambda: tr.inform_case(case, handler, version=case.version, route="31(4)"),
            "evaluate": lambda: submit_evaluation(
                case, self.rng.choice(["satisfied", "basically", "unsatisfied"])
            ),
        }
        natural = {
            "registered": ["forward"] * 6 + ["withdraw"],
            "forwarded": ["accept"] * 4 + ["inform"],
            "accepted": ["start"],
            "handling": ["reply"] * 3 + ["extend"],
            "extended": ["reply"],
            "replied": ["evaluate"],
        }.get(case.status, list(moves))
        name = self.rng.choice(natural) if self.rng.random() < 0.85 else self.rng.choice(list(moves))
        try:
            moves[name]()
            self.done[name] = self.done.get(name, 0) + 1
        except ServiceError:
            self.refusals += 1  # refused: nothing changed

    def step(self) -> None:
        self.traveller.shift(timedelta(days=self.rng.randint(0, 6)))
        if not self.cases or self.rng.random() < 0.25:
            self.register()
            return
        open_cases = list(Case.objects.open().filter(pk__in=self.cases).values_list("pk", flat=True))
        pool = open_cases if open_cases and self.rng.random() < 0.9 else self.cases
        self.act(Case.objects.get(pk=self.rng.choice(pool)))


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_random_action_sequences_keep_rollups_equal_to_a_recomputation(district, seed):
    rng = random.Random(seed)
    with time_machine.travel(datetime(2026, 1, 5, 10, 0, tzinfo=TZ), tick=False) as traveller:
        walk = Walk(district, rng, traveller)
        for _ in range(100):
            walk.step()
        for case in Case.objects.filter(pk__in=walk.cases, status="replied"):  # petitioners who evaluate late
            traveller.shift(timedelta(days=rng.randint(0, 2)))
            walk.act(case)
        now = datetime.now(TZ)
        kept = _rows()
        assert kept, "the walk produced no rollups"
        top = Category.objects.get(pk=walk.categories[0].parent_id)
        periods = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 6)]
        periods.append((date(2026, 1, 1), date(2026, 12, 31)))
        periods.append((date(2026, 1, 10), date(2026, 3, 20)))  # edge days on both sides of whole months
        for start, end in periods:
            for scope in (Scope(), Scope(category=top), Scope(unit=walk.units[0])):
                from_cases, from_rollups = _both(StatsQuery(start, end, scope, now=now))
                assert from_rollups == from_cases, (seed, start, scope)
            q = StatsQuery(start, end, now=now)
            assert _ranking(q.using(ROLLUPS)) == _ranking(q), (seed, start)
        cohorts.rebuild()
        assert _rows() == kept
    # The walk reached the states the figures count: replies, evaluations, extensions, late and open cases.
    assert {"forward", "accept", "reply", "evaluate"} <= set(walk.done), walk.done


def test_an_extension_moves_the_case_to_its_new_deadlines_cohort(district):
    from tests.workflow.conftest import People, to_handling, today_is

    unit = district.units[0]
    p = People(registrar=make_user(Role.REGISTRAR, district.bureau), handler=make_user(Role.HANDLER, unit),
               head=make_user(Role.UNIT_HEAD, unit), other_handler=None, district_head=None, city_head=None,
               unit=unit, other_unit=district.units[1], district=district.root, city=district.root.parent)  # fmt: skip
    with today_is(2026, 3, 2):
        case = register_case(actor=p.registrar, data=registration(received_date=date(2026, 3, 2)))
    with today_is(2026, 3, 4):
        case = to_handling(case, p, date(2026, 3, 3), date(2026, 3, 4))
    assert case.handling_due_date == date(2026, 5, 6)
    may = (date(2026, 5, 1), date(2026, 5, 31))
    june = (date(2026, 6, 1), date(2026, 6, 30))
    with today_is(2026, 3, 10):
        q_may, q_june = StatsQuery(*may).using(ROLLUPS), StatsQuery(*june).using(ROLLUPS)
        assert ROLLUPS.handling(q_may)["open_not_due"] == 1 and ROLLUPS.handling(q_june)["total"] == 0
        tr.extend_deadline(case, p.head, version=case.version, days=30, reason="案情复杂，需多部门会商")
        assert ROLLUPS.handling(q_may)["total"] == 0 and ROLLUPS.handling(q_june)["open_not_due"] == 1


@time_machine.travel(NOW, tick=False)
def test_dashboard_query_count_does_not_grow_with_the_cases(march):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_case

    client = Client()
    client.force_login(make_user(Role.LEADER, march.unit_a.parent))
    period = {"from": "2026-03-01", "to": "2026-03-31"}

    def queries() -> int:
        cohorts.rebuild()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dashboard/", period).status_code == 200
        return len(ctx.captured_queries)

    client.get("/dashboard/", period)  # the session's first renewal is written now, not in a measured request
    before = queries()
    for day in range(3, 20):
        make_case(registered_by=march.registrar, unit=march.unit_b, received=date(2026, 3, day),
                  triage_due_date=date(2026, 3, 25))  # fmt: skip
    assert queries() == before <= 25
