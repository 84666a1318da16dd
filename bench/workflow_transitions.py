"""Cost of one workflow transition (checks + conditional update + event + audit + signal [+ document]).

    python bench/workflow_transitions.py [--cases 200]

Uses a throw-away SQLite database unless DATABASE_URL is set. Walks N cases through forward → accept →
start_handling → reply (the forward, accept and reply steps each write a .docx), and prints transitions
per second, queries per transition, and as a reference measured in the same run the bare minimum a
transition must write (one conditional UPDATE plus one timeline row), with the ratio.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench_workflow.sqlite3")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.factories import make_case, make_district, make_user  # noqa: E402
from xinfang.cases.models import Case, CaseEvent  # noqa: E402
from xinfang.cases.workflow import actions as tr  # noqa: E402
from xinfang.orgs.roles import Role  # noqa: E402

OPINION = dict(
    request_text="请求停止夜间施工",
    facts="经核查属实。",
    decision="support",
    decision_text="责令停止夜间施工。",
    legal_basis="《噪声污染防治法》第四十三条",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    n = parser.parse_args().cases
    call_command("migrate", verbosity=0)
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    handler = make_user(Role.HANDLER, d.units[0])
    head = make_user(Role.UNIT_HEAD, d.units[0])
    received = timezone.localdate() - datetime.timedelta(days=3)
    cases = [make_case(registered_by=registrar, received=received) for _ in range(n)]
    reference = [make_case(registered_by=registrar, received=received) for _ in range(n)]

    start = time.perf_counter()
    # Counted by an execute wrapper: CaptureQueriesContext keeps only the last 9,000 queries.
    queries: list[str] = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        for case in cases:
            case = tr.forward_case(case, registrar, version=case.version, unit=d.units[0])
            case = tr.accept_case(case, handler, version=case.version)
            case = tr.start_handling(case, handler, version=case.version)
            tr.reply_case(case, head, version=case.version, **OPINION)
    elapsed = time.perf_counter() - start
    count = 4 * n

    start = time.perf_counter()
    for case in reference:
        for _ in range(4):
            with transaction.atomic():
                Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
                CaseEvent.objects.create(case=case, at=timezone.now(), action="bench", label="基准")
    ref = time.perf_counter() - start

    print(f"workflow_transitions_per_second: {count / elapsed:.0f} transitions/s")
    print(f"workflow_ms_per_transition: {1000 * elapsed / count:.2f} ms")
    print(f"workflow_queries_per_transition: {len(queries) / count:.1f} queries")
    print(f"reference_update_plus_event_per_second: {count / ref:.0f} transitions/s")
    print(f"workflow_vs_reference_ratio: {elapsed / ref:.1f} x")


if __name__ == "__main__":
    main()
