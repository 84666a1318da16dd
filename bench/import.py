"""Ledger import throughput against a raw COPY of the same rows (PostgreSQL).

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/xinfang_import_bench python bench/import.py [--rows 50000]

Uses its own database (the one DATABASE_URL names, dropped and created afresh: never point it at real data),
migrates it, builds a small district, writes N ledger rows to a CSV and times the whole import service call
(`import_ledger`: parse, validate, number, write, rollups, audit). Then, as the reference, it truncates the
written tables and COPYs exactly the rows the import wrote (the same case, event, petitioner and party
tuples, read back from the database first) into the same indexed tables, and prints both rates and the ratio
import / raw (issue #18's goal: ≥ 0.25). It also times a full rollup rebuild, to compare with the import's
incremental rollup update.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
TOPICS = [("拖欠工资", "某公司拖欠农民工工资三个月，多次讨要未果"), ("噪声扰民", "小区旁工地夜间施工噪声扰民"),
          ("物业纠纷", "物业公司收费不合理且不履行维修义务"), ("征地补偿", "征地补偿款未按标准足额发放"),
          ("医保报销", "异地就医医保报销手续繁琐且久拖未办")]  # fmt: skip


def _fresh_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    assert name and name not in ("xinfang", "xinfang_bench", "xinfang_real100k"), f"refusing to drop {name}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_AUDIT_ANCHOR_FILE", str(Path(tempfile.mkdtemp()) / "anchor.jsonl"))
    import django

    django.setup()


def write_csv(path: Path, n: int, category_code: str, towns: list[str]) -> None:
    from django.utils import timezone

    from xinfang.cases.identity import make_id_number

    rng = random.Random(18)
    today = timezone.localdate()
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["收到日期", "信访形式", "标题", "反映内容", "诉求", "内容分类", "信访目的", "问题属地",
                      "信访人姓名", "证件号码", "联系电话", "地址"])  # fmt: skip
        for i in range(n):
            topic, text = rng.choice(TOPICS)
            town = rng.choice(towns)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            birth = today.replace(year=1950 + i % 50) - timedelta(days=i % 365)
            out.writerow([
                (today - timedelta(days=rng.randrange(300))).isoformat(), rng.choice(["来信", "来访", "网上信访"]),
                f"反映{town}{topic}问题（{i}）", f"{town}{text}，请求有关部门依法处理。编号{i}。", "请求依法处理并答复",
                category_code, "申诉求决", town, name, make_id_number("440111", birth, i % 1000),
                f"139{i:08d}", f"{town}某小区{i % 300}号",
            ])  # fmt: skip


WRITTEN = ("cases_case", "cases_caseevent", "cases_petitioner", "cases_casepetitioner")


def raw_copy() -> tuple[int, float]:
    """Read back what the import wrote, truncate, and COPY the same rows in again; (cases, seconds of COPY)."""
    from django.db import connection

    tables = {}
    with connection.cursor() as cur:
        for t in WRITTEN:
            cur.execute(f"SELECT * FROM {t} ORDER BY id")
            tables[t] = ([d.name for d in cur.description], cur.fetchall())
        cur.execute("TRUNCATE cases_case, cases_caseevent, cases_petitioner, cases_casepetitioner CASCADE")
        cur.execute("CHECKPOINT")
    raw = connection.connection
    t0 = time.perf_counter()
    with raw.cursor() as cur, raw.transaction():
        for t in WRITTEN:
            columns, rows = tables[t]
            with cur.copy(f"COPY {t} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return len(tables["cases_case"][1]), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database of its own (it is dropped and created afresh)")
    _fresh_database(url)
    _setup()

    from django.core.management import call_command
    from django.db import connection

    from tests.factories import leaf_category, make_district, make_user
    from xinfang.analytics import cohorts, rollups
    from xinfang.cases.ledger_write import import_ledger
    from xinfang.cases.models import Case, CaseEvent
    from xinfang.orgs.roles import Role

    call_command("migrate", verbosity=0)
    district = make_district(n_units=4, n_towns=6)
    registrar = make_user(Role.REGISTRAR, district.bureau)
    path = Path(tempfile.mkdtemp()) / "ledger.csv"
    write_csv(path, args.rows, leaf_category().code, [t.name for t in district.towns])
    content = path.read_bytes()
    with connection.cursor() as cur:
        cur.execute("CHECKPOINT")
    print(f"rows: {args.rows}")
    print(f"csv_size: {len(content) / 1e6:.1f} MB")

    t0 = time.perf_counter()
    outcome = import_ledger(actor=registrar, content=content, filename=path.name)
    took = time.perf_counter() - t0
    assert outcome.created == args.rows == Case.objects.count() == CaseEvent.objects.count()
    print(f"import_seconds: {took:.2f} s")
    print(f"import_rate: {args.rows / took:.0f} rows/s")

    t0 = time.perf_counter()
    again = import_ledger(actor=registrar, content=content, filename=path.name)
    print(f"reimport_seconds: {time.perf_counter() - t0:.2f} s (created {again.created})")

    t0 = time.perf_counter()
    cohorts.rebuild()
    rollups.rebuild_rollups(*(lambda d: (d - timedelta(days=1), d + timedelta(days=1)))(outcome_day()))
    print(f"rollup_rebuild_seconds: {time.perf_counter() - t0:.2f} s (the import updates them incrementally)")

    cases, raw_took = raw_copy()
    print(
        f"raw_copy_seconds: {raw_took:.2f} s (cases, events, petitioners, parties; same tuples, same indexes)"
    )
    print(f"raw_copy_rate: {cases / raw_took:.0f} rows/s")
    print(f"ratio_import_to_raw: {raw_took / took:.3f} (goal >= 0.25)")


def outcome_day():
    from django.utils import timezone

    return timezone.localdate()


if __name__ == "__main__":
    main()
