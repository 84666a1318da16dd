"""Throughput of `manage.py deadline --stdin` (the per-line path a deadline sweep takes).

    python bench/calendar_deadline.py [--lines 20000]

Uses a throw-away SQLite database unless DATABASE_URL is set. Feeds N random queries (2024–2027, day and
workday units, N up to 90) through the command in-process and prints lines per second, the database
queries the batch made, and, as a reference measured in the same run, plain parse + `date + timedelta`
with no calendar at all.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench_calendar.sqlite3")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xinfang.calendar.services import clear_cache  # noqa: E402


def make_lines(count: int) -> str:
    rng = random.Random(7)
    first = datetime.date(2024, 1, 1).toordinal()
    lines = []
    for _ in range(count):
        start = datetime.date.fromordinal(first + rng.randrange(3 * 365))
        unit = rng.choice(("day", "workday"))
        lines.append(f"{start.isoformat()} {rng.choice((5, 15, 30, 60, 90))} {unit}")
    return "\n".join(lines) + "\n"


def reference(text: str) -> None:
    for line in text.splitlines():
        start, n, _unit = line.split()
        (datetime.date.fromisoformat(start) + datetime.timedelta(days=int(n))).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    text = make_lines(args.lines)
    clear_cache()
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        call_command("deadline", "--stdin", stdin=io.StringIO(text), stdout=out)
        elapsed = time.perf_counter() - t0
    assert len(out.getvalue().splitlines()) == args.lines
    t0 = time.perf_counter()
    reference(text)
    ref = time.perf_counter() - t0
    print(f"deadline_stdin_throughput: {args.lines / elapsed:.0f} lines/s")
    print(f"deadline_stdin_queries: {len(queries)} queries")
    print(f"reference_plain_date_arithmetic: {args.lines / ref:.0f} lines/s")
    print(f"deadline_vs_reference_ratio: {ref / elapsed:.3f} x")


if __name__ == "__main__":
    main()
