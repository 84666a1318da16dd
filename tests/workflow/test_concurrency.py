"""Two people act on the same case at once: exactly one wins, the other gets the conflict error."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from tests.factories import make_case, make_district, make_user
from xinfang.cases.models import Case
from xinfang.cases.workflow import actions as tr
from xinfang.core.errors import ConflictError
from xinfang.orgs.roles import Role


@pytest.mark.skipif(connection.vendor != "postgresql", reason="需要 PostgreSQL 的行级锁与并发事务")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_one_wins_one_conflicts():
    d = make_district()
    registrar_a = make_user(Role.REGISTRAR, d.bureau)
    registrar_b = make_user(Role.REGISTRAR, d.bureau)
    case = make_case(registered_by=registrar_a, received=date(2026, 11, 2))
    version = case.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, actor, unit):
        try:
            barrier.wait(timeout=10)
            tr.forward_case(Case.objects.get(pk=case.pk), actor, version=version, unit=unit)
            outcomes[name] = "ok"
        except ConflictError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("a", registrar_a, d.units[0])),
        threading.Thread(target=act, args=("b", registrar_b, d.units[1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(v).__name__ if v != "ok" else "ok" for v in outcomes.values()) == [
        "ConflictError",
        "ok",
    ]
    loser = next(v for v in outcomes.values() if v != "ok")
    assert "已被他人修改" in loser.message
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == version + 1 and fresh.events.filter(action="forward").count() == 1
    winner_unit = d.units[0] if outcomes["a"] == "ok" else d.units[1]
    assert fresh.responsible_unit == winner_unit
