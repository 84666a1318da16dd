"""Dashboard statistics: time of the dashboard's queries on the cohort rollups, against the raw case queries and
against DuckDB computing the same aggregates over the same rows exported to Parquet.

    python bench/stats.py [--cases 20000] [--runs 5] [--db PATH]
    DATABASE_URL=postgres://… python bench/stats.py --cases 1000000 --also 100000

Without DATABASE_URL it uses its own SQLite file (var/bench-stats.sqlite3), never the app's database. Seeds
the demo district with N cases when the database holds fewer, rebuilds the cohort rollups (timed), then
times, for a year and for one month: the statistics object read from the rollups (what /dashboard/ reads),
the unit ranking from the rollups, the whole dashboard page, and as the reference the same statistics
object computed from the cases by metrics.py. Prints `name: value unit` lines and the ratios.

On PostgreSQL it grows the database by copying the seeded cases in SQL (bench/scale_up.py; their rollup shares
are copied and re-summed in one GROUP BY) and, with DuckDB installed (a dev dependency), exports the cases —
denormalised, so DuckDB needs no join: unit, top category, the repeat flag, the direct-intake flag and the rated
evaluation on each row — to Parquet and times DuckDB computing every aggregate the dashboard reads for the year
(the five rates' cohorts, the registration counts, the breakdowns by month/channel/nature/category/unit/place,
the average handling time and the per-unit ranking sums). `--also N` first measures at N cases (smaller), then
grows to `--cases`, so one run shows how the cost grows with cases.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
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


TZ = "Asia/Shanghai"


# Columns that may be empty throughout (no evaluation yet), so their type cannot be sniffed from the values.
TYPES = {"registered_at": "TIMESTAMP", "triaged_at": "TIMESTAMP", "accepted_at": "TIMESTAMP",
         "replied_at": "TIMESTAMP", "evaluated_at": "TIMESTAMP", "triage_due_date": "DATE",
         "handling_due_date": "DATE", "window_closes": "DATE", "eval_status": "VARCHAR", "eval_result": "VARCHAR",
         "exempted": "BOOLEAN", "outcome": "VARCHAR"}  # fmt: skip


def export_parquet(directory: Path) -> Path:
    """The cases, one denormalised row each, from PostgreSQL (COPY … TO STDOUT) to CSV, then to Parquet by DuckDB.
    A copy made by scale_up takes its original's repeat flag and evaluation, as its rollup share does; a case
    registered since (no original) its own."""
    import duckdb
    from django.db import connection

    from bench.scale_up import STEP
    from xinfang.analytics import metrics
    from xinfang.cases.models import Case, Category
    from xinfang.orgs.models import Organisation
    from xinfang.portal.models import Evaluation, EvaluationStage

    case_t, org_t, cat_t = Case._meta.db_table, Organisation._meta.db_table, Category._meta.db_table
    eval_t = Evaluation._meta.db_table
    repeat_sql, repeat_params = (
        Case.objects.filter(metrics.repeat_condition()).values("pk").query.sql_with_params()
    )
    stage = EvaluationStage.RESULT  # the rated stage, as portal.selectors.rated_evaluations() reads it

    def local(col: str) -> str:
        return f"({col} AT TIME ZONE '{TZ}') AS {col.split('.')[-1]}"

    select = (
        f"SELECT n.id, {local('n.registered_at')}, coalesce(n.responsible_unit_id, n.registering_org_id) AS unit_id, "
        f"ro.kind <> 'bureau' AS direct, n.category_id, coalesce(cat.parent_id, n.category_id) AS top_category, "
        f"n.channel, n.nature, n.status, coalesce(n.place_organisation_id, 0) AS place, n.triage_due_date, "
        f"{local('n.triaged_at')}, n.handling_due_date, {local('n.accepted_at')}, {local('n.replied_at')}, "
        f"n.is_collective, n.headcount, n.is_level_skipping, n.is_to_beijing, n.outcome, "
        f"coalesce(o.id, n.id) IN ({repeat_sql}) AS is_repeat, e.status AS eval_status, {local('e.evaluated_at')}, "
        f"e.result AS eval_result, e.exempted, e.window_closes "
        f"FROM {case_t} n LEFT JOIN {case_t} o ON n.seq >= {STEP} AND o.year = n.year AND o.seq = n.seq %% {STEP} "
        f"JOIN {org_t} ro ON ro.id = n.registering_org_id LEFT JOIN {cat_t} cat ON cat.id = n.category_id "
        f"LEFT JOIN {eval_t} e ON e.case_id = coalesce(o.id, n.id) AND e.stage = %s"
    )
    directory.mkdir(parents=True, exist_ok=True)
    csv_path, parquet = directory / "cases.csv", directory / "cases.parquet"
    with connection.cursor() as cur, open(csv_path, "wb") as out:
        raw = cur.cursor
        sql = raw.mogrify(select, [*repeat_params, stage])
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                out.write(block)
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, types = {TYPES})) TO '{parquet}' (FORMAT parquet)"
    )
    csv_path.unlink()
    return parquet


def duckdb_queries(start, end, today) -> dict[str, str]:
    """Every aggregate the dashboard reads for [start, end], as DuckDB SQL over the `cases` view."""
    s, e, t = f"DATE '{start}'", f"DATE '{end}'", f"DATE '{today}'"
    merged = "(status IN ('merged', 'withdrawn') AND triaged_at IS NULL)"
    diverted = "(status = 'withdrawn' OR (status = 'informed' AND accepted_at IS NOT NULL))"
    registered = f"registered_at::date BETWEEN {s} AND {e}"

    def cohort(done: str, due: str, leaves: str, extra: str = "") -> str:
        return (
            f"count(*) FILTER (WHERE {leaves}) AS excluded, "
            f"count(*) FILTER (WHERE NOT {leaves}) AS total, "
            f"count(*) FILTER (WHERE NOT {leaves} AND {done}::date <= {due}) AS in_time, "
            f"count(*) FILTER (WHERE NOT {leaves} AND {done}::date > {due}) AS late, "
            f"count(*) FILTER (WHERE NOT {leaves} AND {done} IS NULL AND {due} < {t}) AS overdue, "
            f"count(*) FILTER (WHERE NOT {leaves} AND {done} IS NULL AND {due} >= {t}) AS not_due{extra}"
        )

    triage = cohort("triaged_at", "triage_due_date", f"(direct OR {merged})")
    handling = cohort("replied_at", "handling_due_date", diverted)
    evaluated = (
        "count(*) AS evaluated, count(*) FILTER (WHERE NOT exempted AND eval_result = 'satisfied') AS satisfied, "
        "count(*) FILTER (WHERE NOT exempted AND eval_result = 'basically') AS basically, "
        "count(*) FILTER (WHERE NOT exempted AND eval_result NOT IN ('satisfied', 'basically')) AS unsatisfied"
    )
    grouped = "SELECT {col}, count(*) FROM cases WHERE " + registered + " GROUP BY 1"
    return {
        "timely": f"SELECT {triage} FROM cases WHERE triage_due_date BETWEEN {s} AND {e}",
        "handling": f"SELECT {handling} FROM cases WHERE handling_due_date BETWEEN {s} AND {e}",
        "evaluated": f"SELECT {evaluated} FROM cases WHERE eval_status = 'evaluated' "
        f"AND evaluated_at::date BETWEEN {s} AND {e}",
        "eval_expired": f"SELECT count(*) FROM cases WHERE eval_status IS NOT NULL AND eval_status <> 'evaluated' "
        f"AND window_closes BETWEEN {s} AND {e} AND window_closes < {t}",
        "registration": "SELECT count(*), count(*) FILTER (WHERE is_repeat), count(*) FILTER (WHERE is_collective), "
        "sum(headcount) FILTER (WHERE is_collective), count(*) FILTER (WHERE is_level_skipping), "
        "count(*) FILTER (WHERE is_to_beijing), count(*) FILTER (WHERE nature = 'suggestion'), "
        "count(*) FILTER (WHERE nature = 'suggestion' AND outcome = 'adopted'), "
        "count(*) FILTER (WHERE nature = 'suggestion' AND outcome = 'partly_adopted'), "
        f"count(*) FILTER (WHERE nature = 'suggestion' AND outcome = 'not_adopted') FROM cases WHERE {registered}",
        "handling_time": "SELECT count(*), sum(epoch(replied_at - accepted_at)) FROM cases "
        f"WHERE accepted_at IS NOT NULL AND replied_at::date BETWEEN {s} AND {e}",
        **{
            f"by_{col}": grouped.format(col=col)
            for col in (
                "date_trunc('month', registered_at)",
                "channel",
                "nature",
                "top_category",
                "unit_id",
                "place",
            )
        },
        "ranking_timely": f"SELECT unit_id, {triage} FROM cases WHERE triage_due_date BETWEEN {s} AND {e} GROUP BY 1",
        "ranking_handling": f"SELECT unit_id, {handling} FROM cases "
        f"WHERE handling_due_date BETWEEN {s} AND {e} GROUP BY 1",
        "ranking_evaluated": f"SELECT unit_id, {evaluated} FROM cases WHERE eval_status = 'evaluated' "
        f"AND evaluated_at::date BETWEEN {s} AND {e} GROUP BY 1",
    }


def measure(args, label: str, parquet_dir: Path) -> None:
    from django.db import connection
    from django.test import Client

    from xinfang.analytics.models import CohortRollup, UnitRollup
    from xinfang.analytics.periods import month_bounds
    from xinfang.analytics.ranking import unit_ranking
    from xinfang.analytics.rollup_summary import shared_reads
    from xinfang.analytics.sources import ROLLUPS
    from xinfang.analytics.stats import StatsQuery, compute_stats
    from xinfang.cases.models import Case
    from xinfang.core import clock
    from xinfang.orgs.models import User
    from xinfang.orgs.roles import Role

    def say(name: str, value: str) -> None:
        print(f"{label}{name}: {value}", flush=True)

    cases = Case.objects.count()
    say("cases", f"{cases} rows")
    say(
        "rollup_rows", f"{CohortRollup.objects.count()} rows (unit rollup: {UnitRollup.objects.count()} rows)"
    )
    today = clock.today()
    year = StatsQuery(today.replace(year=today.year - 1), today)
    periods = {"year": year, "month": StatsQuery(*month_bounds(today.replace(day=1) - timedelta(days=1)))}
    for name, q in periods.items():
        rollup_ms = timed(lambda q=q: compute_stats(q.using(ROLLUPS)), args.runs)
        ranking_ms = timed(lambda q=q: unit_ranking(q.using(ROLLUPS)), args.runs)
        say(f"stats_{name}_rollups", f"{rollup_ms:.1f} ms")
        say(f"ranking_{name}_rollups", f"{ranking_ms:.1f} ms")
        if not args.skip_raw:
            raw_ms = timed(lambda q=q: compute_stats(q), max(1, args.runs // 2))
            say(f"stats_{name}_raw_cases", f"{raw_ms:.1f} ms")
            say(f"stats_{name}_ratio_raw_over_rollups", f"{raw_ms / rollup_ms:.1f} x")
        if name == "year":

            def dashboard(q=q) -> None:
                with shared_reads():  # as the page reads them: each cohort kind once for both
                    compute_stats(q.using(ROLLUPS))
                    unit_ranking(q.using(ROLLUPS))

            dashboard_ms = timed(dashboard, args.runs)
            say("dashboard_year_queries_rollups", f"{dashboard_ms:.1f} ms (statistics object + unit ranking)")
    leader = User.objects.filter(role=Role.LEADER).first()
    if leader is not None:
        client = Client()
        client.force_login(leader)
        params = {"from": year.start.isoformat(), "to": year.end.isoformat()}
        say("dashboard_page_year", f"{timed(lambda: client.get('/dashboard/', params), args.runs):.1f} ms")
        say("reference_login_page", f"{timed(lambda: Client().get('/login/'), args.runs):.1f} ms")
    if connection.vendor != "postgresql":
        say("duckdb", "skipped (the Parquet export reads PostgreSQL)")
        return
    try:
        import duckdb
    except ImportError:
        say("duckdb", "skipped (pip install duckdb: a dev dependency)")
        return
    t0 = time.perf_counter()
    parquet = export_parquet(parquet_dir)
    say("parquet_export", f"{time.perf_counter() - t0:.1f} s, {parquet.stat().st_size / 2**20:.1f} MiB")
    db = duckdb.connect()
    db.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{parquet}')")
    queries = duckdb_queries(year.start, year.end, today)
    check = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert check == cases, (check, cases)

    def run_all() -> None:
        for sql in queries.values():
            db.execute(sql).fetchall()

    run_all()  # warm: the first read maps the file
    duck_ms = timed(run_all, args.runs)
    say("duckdb_year_queries", f"{duck_ms:.1f} ms ({len(queries)} queries over {cases} Parquet rows)")
    say("ratio_rollups_over_duckdb", f"{dashboard_ms / duck_ms:.2f} (goal <= 1.0)")
    # The same figure from both: the year's registrations, so the two computations are known to agree.
    duck_total = db.execute(queries["registration"]).fetchone()[0]
    say(
        "check_registered_year",
        f"rollups {compute_stats(year.using(ROLLUPS))['total_count']['value']} / duckdb {duck_total}",
    )


def grow(target: int, originals: int) -> None:
    """Bring the database to `target` cases: seed `originals` through the bulk path when empty, record their
    rollup shares, then (PostgreSQL) copy them in SQL with their shares."""
    from django.core.management import call_command
    from django.db import connection

    from xinfang.analytics import cohorts
    from xinfang.analytics.models import CaseRollupState, CohortRollup, UnitRollup
    from xinfang.cases.models import Case

    have = Case.objects.count()
    if have == 0 or (connection.vendor != "postgresql" and have < target):
        t0 = time.perf_counter()
        n = min(target, originals) if connection.vendor == "postgresql" else target - have
        with open(os.devnull, "w") as devnull:
            call_command("seed_demo", cases=n, years=2, stdout=devnull)
        print(f"seed_time: {time.perf_counter() - t0:.1f} s ({n} cases through the bulk path)")
    if CaseRollupState.objects.count() < min(Case.objects.count(), originals):
        t0 = time.perf_counter()
        cohorts.rebuild()
        print(f"rollup_rebuild: {time.perf_counter() - t0:.2f} s ({Case.objects.count()} cases, Python)")
    if connection.vendor == "postgresql" and Case.objects.count() < target:
        from bench.scale_up import copy_rollup_states, scale_up

        t0 = time.perf_counter()
        scale_up(target)
        print(f"scale_up_time: {time.perf_counter() - t0:.1f} s")
    if not UnitRollup.objects.exists() and CohortRollup.objects.exists():  # a database rolled up before it
        t0 = time.perf_counter()
        print(f"unit_rollup_rebuild: {cohorts.rebuild_units()} rows, {time.perf_counter() - t0:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"VACUUM ANALYZE {UnitRollup._meta.db_table}")
    if connection.vendor == "postgresql" and CaseRollupState.objects.count() < Case.objects.count():
        t0 = time.perf_counter()
        rows = copy_rollup_states()
        print(f"rollup_sum_from_shares: {time.perf_counter() - t0:.1f} s, {rows} rows")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--also", type=int, help="先在这一较小规模测一遍（仅 PostgreSQL）")
    parser.add_argument(
        "--originals", type=int, default=20_000, help="经业务规则生成的原始件数（其余为SQL复制）"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-raw", action="store_true", help="不计时按原始案件计算（百万级时较慢）")
    parser.add_argument("--db", help="SQLite 文件路径（未设置 DATABASE_URL 时）")
    args = parser.parse_args()
    _setup(args.db)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    parquet_dir = ROOT / "var" / "bench-stats"
    for size in ([args.also] if args.also else []) + [args.cases]:
        grow(size, args.originals)
        measure(args, f"[{size}] " if args.also else "", parquet_dir)


if __name__ == "__main__":
    main()
