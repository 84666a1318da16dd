"""The daily supervision sweep over N open cases (PostgreSQL), next to a plain count(*) of the same table.

    DATABASE_URL=postgres://... python bench/sweep.py [--cases 100000]

On an empty database it creates the demo organisations and N open cases spread over every running step,
with stored due dates around today (about 10 % overdue, 5 % within three working days), written with
bulk_create. It then times, in one run: SELECT count(*) FROM the case table; the first sweep (every overdue
handling case gets its 督办函, every late step its mark); a second sweep of the same day (idempotent: nothing
new); and the next day's sweep. Prints `name: value unit` lines and the ratio to the count.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from xinfang.cases.choices import Channel, Nature, Status  # noqa: E402
from xinfang.cases.models import Case, Category  # noqa: E402
from xinfang.core import clock  # noqa: E402
from xinfang.demo.district import build_orgs, build_users  # noqa: E402
from xinfang.orgs.models import Organisation, User  # noqa: E402
from xinfang.orgs.roles import Role  # noqa: E402
from xinfang.supervision.alerts import detect_warnings  # noqa: E402
from xinfang.supervision.models import DeadlineMark, Letter  # noqa: E402
from xinfang.supervision.sweep import mark_deadlines, run_ladder, sweep  # noqa: E402

STEPS = [  # (status, step, share)
    (Status.REGISTERED, "triage", 0.15),
    (Status.FORWARDED, "acceptance", 0.15),
    (Status.HANDLING, "handling", 0.6),
    (Status.REVIEW_REQUESTED, "review", 0.1),
]


def seed(n: int, today) -> None:
    orgs = build_orgs()
    users = build_users(orgs)
    registrar = next(u for u in users if u.role == Role.REGISTRAR)
    units = list(orgs["depts"].values()) + orgs["towns"]
    category = Category.objects.filter(parent__isnull=False).first()
    rng = random.Random(12)
    statuses, weights = [(s, st) for s, st, _ in STEPS], [w for *_, w in STEPS]
    batch = []
    for i in range(n):
        status, step = rng.choices(statuses, weights)[0]
        due = today + timedelta(days=rng.randint(-6, 54))  # ~10 % past, ~5 % within three working days
        received = today - timedelta(days=rng.randint(1, 90))
        batch.append(
            Case(
                number=f"B-{i:08d}",
                year=2000,
                seq=i + 1,
                channel=Channel.LETTER,
                title="反映小区噪声扰民问题",
                content="工地夜间施工噪声扰民，请求处理。",
                search_text="反映小区噪声扰民问题 工地夜间施工噪声扰民，请求处理。",
                category=category,
                nature=Nature.APPEAL,
                received_date=received,
                registered_at=timezone.make_aware(datetime.combine(received, datetime.min.time())),
                registered_by=registrar,
                registering_org=orgs["bureau"],
                status=status,
                responsible_unit=rng.choice(units) if step != "triage" else None,
                current_step=step,
                due_date=due,
                triage_due_date=due if step == "triage" else None,
                handling_due_date=due if step == "handling" else None,
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t0) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures are for", connection.vendor)
    call_command("migrate", verbosity=0)
    today = clock.today()
    if not Case.objects.exists():
        if Organisation.objects.exists() or User.objects.exists():
            sys.exit("use an empty database")
        ms, _ = timed(lambda: seed(args.cases, today))
        print(f"seed_cases: {ms / 1000:.1f} s")
    table = Case._meta.db_table

    def count() -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")
            return cur.fetchone()[0]

    count()  # warm
    count_ms, total = timed(count)
    first_ms, first = timed(lambda: sweep(today))
    again_ms, again = timed(lambda: sweep(today))
    next_ms, nxt = timed(lambda: sweep(today + timedelta(days=1)))
    print(f"cases: {total}")
    print(f"count_star: {count_ms:.1f} ms")
    print(
        f"sweep_first: {first_ms:.0f} ms ({first['urges']} 督办函, {first['reminders']} 提醒函, {first['marks_written']} marks)"
    )
    print(
        f"sweep_same_day_again: {again_ms:.0f} ms (urges {again['urges']}, marks written {again['marks_written']})"
    )
    print(f"sweep_next_day: {next_ms:.0f} ms (urges {nxt['urges']}, marks written {nxt['marks_written']})")
    print(f"ratio_first_to_count: {first_ms / count_ms:.0f} x")
    print(f"ratio_same_day_to_count: {again_ms / count_ms:.0f} x")
    print(f"marks: {DeadlineMark.objects.count()} letters: {Letter.objects.count()}")
    day = today + timedelta(days=1)
    for name, fn in (("marks", mark_deadlines), ("ladder", run_ladder), ("warnings", detect_warnings)):
        ms, _ = timed(lambda fn=fn: fn(day))
        print(f"phase_{name}_same_day_again: {ms:.0f} ms")


if __name__ == "__main__":
    main()
