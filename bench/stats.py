"""Dashboard statistics: time of the dashboard's queries on the cohort rollups, against the raw case queries.

    python bench/stats.py [--cases 20000] [--runs 5] [--db PATH]

Without DATABASE_URL it uses its own SQLite file (var/bench-stats.sqlite3), never the app's database. Seeds
the demo district with N cases when the database holds fewer, rebuilds the cohort rollups (timed), then
times, for a year and for one month: the statistics object read from the rollups (what /dashboard/ reads),
the unit ranking from the rollups, the whole dashboard page, and as the reference the same statistics
object computed from the cases by metrics.py. Prints `name: value unit` lines and the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(db: str | None) -> None:
    if "DATABASE_URL" not in os.environ:
        path = Path(db) if db else ROOT / "var" / "bench-stats.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def timed(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="SQLite 文件路径（未设置 DATABASE_URL 时）")
    args = parser.parse_args()
    _setup(args.db)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinfang.analytics import cohorts
    from xinfang.analytics.models import CohortRollup
    from xinfang.analytics.periods import month_bounds
    from xinfang.analytics.ranking import unit_ranking
    from xinfang.analytics.sources import ROLLUPS
    from xinfang.analytics.stats import StatsQuery, compute_stats
    from xinfang.cases.models import Case
    from xinfang.core import clock
    from xinfang.orgs.models import User
    from xinfang.orgs.roles import Role

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        t0 = time.perf_counter()
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", cases=args.cases - have, years=2, stdout=devnull)
        print(f"seed_time: {time.perf_counter() - t0:.1f} s")
    print(f"database: {connection.vendor}")
    print(f"cases: {Case.objects.count()} rows")
    t0 = time.perf_counter()
    cohorts.rebuild()
    print(f"rollup_rebuild: {time.perf_counter() - t0:.2f} s")
    print(f"rollup_rows: {CohortRollup.objects.count()} rows")

    today = clock.today()
    periods = {
        "year": StatsQuery(today.replace(year=today.year - 1), today),
        "month": StatsQuery(*month_bounds(today.replace(day=1) - __import__("datetime").timedelta(days=1))),
    }
    for name, q in periods.items():
        rollup_ms = timed(lambda q=q: compute_stats(q.using(ROLLUPS)), args.runs)
        raw_ms = timed(lambda q=q: compute_stats(q), args.runs)
        ranking_ms = timed(lambda q=q: unit_ranking(q.using(ROLLUPS)), args.runs)
        raw_ranking_ms = timed(lambda q=q: unit_ranking(q), args.runs)
        print(f"stats_{name}_rollups: {rollup_ms:.1f} ms")
        print(f"stats_{name}_raw_cases: {raw_ms:.1f} ms")
        print(f"stats_{name}_ratio_raw_over_rollups: {raw_ms / rollup_ms:.1f} x")
        print(f"ranking_{name}_rollups: {ranking_ms:.1f} ms")
        print(f"ranking_{name}_raw_cases: {raw_ranking_ms:.1f} ms")
    leader = User.objects.filter(role=Role.LEADER).first()
    if leader is not None:
        client = Client()
        client.force_login(leader)
        q = periods["year"]
        params = {"from": q.start.isoformat(), "to": q.end.isoformat()}
        page_ms = timed(lambda: client.get("/dashboard/", params), args.runs)
        login_ms = timed(lambda: Client().get("/login/"), args.runs)
        print(f"dashboard_page_year: {page_ms:.1f} ms")
        print(f"reference_login_page: {login_ms:.1f} ms")


if __name__ == "__main__":
    main()
