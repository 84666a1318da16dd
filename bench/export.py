"""The case export (.xlsx, no row cap) in bounded memory: the same export of 20,000 and of 200,000 rows, with
the process's peak RSS after each (memory is bounded when the larger export leaves it where the smaller one
did: tracemalloc would measure the heap too, but slows the export tenfold), then the 200,000-row file opened
again with openpyxl (read-only) and its rows counted.

    DATABASE_URL=postgres://... python bench/export.py [--rows 200000]

Needs a database with at least --rows cases (bench/list_cases.py makes one).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django

django.setup()

from openpyxl import load_workbook  # noqa: E402

from xinfang.analytics import exports  # noqa: E402
from xinfang.cases.models import Case  # noqa: E402


def first_cases(n: int):
    """The n lowest-numbered cases, as a filter (the export orders and iterates it itself)."""
    last = Case.objects.order_by("pk").values_list("pk", flat=True)[n - 1]
    return Case.objects.filter(pk__lte=last)


def run(n: int) -> tuple[float, float, object]:
    t0 = time.perf_counter()
    out, rows = exports.cases_file(first_cases(n))
    seconds = time.perf_counter() - t0
    assert rows == n, (rows, n)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return seconds, rss, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    have = Case.objects.count()
    if have < args.rows:
        sys.exit(f"the database has {have} cases; run bench/list_cases.py first")
    small = max(args.rows // 10, 1)
    for n in (small, args.rows):
        seconds, rss, out = run(n)
        size = out.seek(0, 2) / 2**20
        print(f"export_{n}_rows: {seconds:.1f} s, {n / seconds:.0f} rows/s, file {size:.1f} MiB")
        print(f"export_{n}_process_peak_rss_so_far: {rss:.0f} MiB")
    out.seek(0)
    t0 = time.perf_counter()
    wb = load_workbook(out, read_only=True)
    counted = sum(1 for _ in wb["信访事项"].iter_rows(values_only=True))
    print(f"reopened_with_openpyxl: {counted - 1} data rows (+1 header) in {time.perf_counter() - t0:.1f} s")
    assert counted - 1 == args.rows


if __name__ == "__main__":
    main()
