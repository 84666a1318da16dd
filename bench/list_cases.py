"""List-page latency at 1M cases (PostgreSQL).

    DATABASE_URL=postgres://... python bench/list_cases.py [--cases 1000000] [--runs 30]

Seeds the demo district with N cases when the database holds fewer, then renders the case list page
(the real view, template and permission checks, through Django's test client) for three common
filters and the searches staff use for a phone inquiry (case number, petitioner name, ID number, phone), and
the to-do lists, as a registrar and as a unit handler, and prints median and p95 latency in ms. A trivial
view (the login page) is timed in the same run as a reference.

It runs as docs/deploy.md sets production up: persistent connections (XINFANG_CONN_MAX_AGE=60) and, on
PostgreSQL, the planner settings for SSD storage given there (random_page_cost, effective_cache_size, work_mem),
set on the benchmark database (ALTER DATABASE … SET) and printed with shared_buffers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("XINFANG_CONN_MAX_AGE", "60")  # docs/deploy.md: connections are reused in production

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.scale_up import scale_up  # noqa: E402
from xinfang.cases.models import Case, Petitioner  # noqa: E402
from xinfang.orgs.models import Organisation, User  # noqa: E402

# docs/deploy.md's PostgreSQL settings for a server with SSD storage and RAM to spare (per database).
PLANNER_SETTINGS = {
    "random_page_cost": "1.1",
    "effective_cache_size": "12GB",
    "work_mem": "32MB",
    # The lists are short queries: starting parallel workers for a few thousand rows costs more than it saves
    # (a unit's to-do list: p95 52 -> 38 ms at 1M cases), and on a shared host they take cores from other requests.
    "max_parallel_workers_per_gather": "0",
}


def timed(client: Client, url: str, params: dict, runs: int) -> tuple[float, float, int]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], len(response.content)


def search_filters() -> dict:
    """A phone inquiry's keys, taken from rows in the middle of the tables: a case number, a petitioner's name,
    ID number and phone (each an index probe; the identity searches also write their audit row)."""
    middle_case = Case.objects.filter(
        pk__gte=Case.objects.order_by("-pk").values_list("pk", flat=True)[0] // 2
    )
    case = middle_case.order_by("pk").first()
    person = (
        Petitioner.objects.filter(
            pk__gte=Petitioner.objects.order_by("-pk").values_list("pk", flat=True)[0] // 2
        )
        .exclude(id_number="")
        .order_by("pk")
        .first()
    )
    return {
        "search_case_number": {"q": case.number},
        "search_name": {"q": person.name},
        "search_id_number": {"q": person.id_number},
        "search_phone": {"q": person.phone},
        "registrar_todo": {"todo": "on"},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--seed", type=int, default=20000, help="cases played through the rules before copying"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are for", connection.vendor)
    call_command("migrate", verbosity=0)
    if not Case.objects.exists():
        if Organisation.objects.exists():
            sys.exit("database has organisations but no cases; use an empty database")
        t0 = time.perf_counter()
        seeded = min(args.cases, args.seed) if connection.vendor == "postgresql" else args.cases
        call_command("seed_demo", cases=seeded, years=2, stdout=open(os.devnull, "w"))
        print(f"seed_time: {time.perf_counter() - t0:.1f} s ({seeded} cases through the workflow rules)")
    if connection.vendor == "postgresql":  # copies up to --cases; finishes an interrupted run; else a no-op
        t1 = time.perf_counter()
        scale_up(args.cases)
        print(f"scale_up_time: {time.perf_counter() - t1:.1f} s (copies of the seeded cases in SQL)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for name, value in PLANNER_SETTINGS.items():
                cur.execute(f"ALTER DATABASE {connection.settings_dict['NAME']} SET {name} = '{value}'")
                cur.execute(f"SET {name} = '{value}'")
            cur.execute("VACUUM ANALYZE")  # the protocol: measured after VACUUM ANALYZE
            cur.execute("SELECT current_setting('shared_buffers')")
            shown = {**PLANNER_SETTINGS, "shared_buffers": cur.fetchone()[0]}
        print("settings:", ", ".join(f"{k}={v}" for k, v in shown.items()))
        connection.close()  # the next connection starts with the database's settings
    print(f"cases: {Case.objects.count()} rows")

    registrar = Client()
    registrar.force_login(User.objects.get(username="registrar"))
    handler = Client()
    handler.force_login(User.objects.get(username="handler_hrss"))
    hrss = Organisation.objects.get(code="440111-HRSS")
    filters = {
        "status_handling": {"status": "handling"},
        "unit_and_channel": {"unit": hrss.pk, "channel": "online"},
        "overdue": {"overdue": "on"},
        "date_range_category": {"date_from": "2026-01-01", "date_to": "2026-03-31", "category": "1"},
        "search_word": {"q": "拖欠工资"},
        "search_short_word": {"q": "物业"},  # two characters: no trigram to use (cases/search.py)
        **search_filters(),
    }
    ref_med, ref_p95, _ = timed(Client(), "/login/", {}, args.runs)
    print(f"reference_login_page_median: {ref_med:.1f} ms")
    for name, params in filters.items():
        med, p95, _ = timed(registrar, "/cases/", params, args.runs)
        print(f"list_{name}_median: {med:.1f} ms")
        print(f"list_{name}_p95: {p95:.1f} ms")
        print(f"list_{name}_ratio_to_reference: {med / ref_med:.1f} x")
    for name, params in {
        "handler_all": {},
        "handler_status": {"status": "replied"},
        "handler_todo": {"todo": "on"},
    }.items():
        med, p95, _ = timed(handler, "/cases/", params, args.runs)
        print(f"list_{name}_median: {med:.1f} ms")
        print(f"list_{name}_p95: {p95:.1f} ms")
    # A deep page: keyset pagination costs the same as page 1.
    cursor = None
    for _ in range(50):
        r = registrar.get(
            "/api/cases/", {"status": "replied", **({"after": cursor} if cursor else {})}
        ).json()
        cursor = r["next_cursor"]
    med, p95, _ = timed(registrar, "/api/cases/", {"status": "replied", "after": cursor}, args.runs)
    print(f"api_page_51_median: {med:.1f} ms")
    print(f"api_page_51_p95: {p95:.1f} ms")


if __name__ == "__main__":
    main()
