"""kill -9 in the middle of a write (issue 11): a registration run, or a performance .xlsx import of thousands of
rows, killed with SIGKILL while its transaction is open and has written to disk. Nothing of the killed
transaction remains, what committed before it does, the audit chain verifies, and work goes on.

The writer runs in its own process (kill9_scenario.py) against the test database, a file on SQLite (a real
PostgreSQL in the suite's PostgreSQL round). On SQLite the scenario empties the -wal file first and keeps a small
page cache, and says "MID-WRITE" only once the open transaction's pages are in the -wal file: the kill lands
after uncommitted data reached the disk.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.helpers import registration
from tests.factories import make_district, make_user
from tests.production.helpers import REPO, deployment_env, manage
from xinfang.audit.models import AuditEvent, AuditHead
from xinfang.audit.services import latest_anchor, verify_chain
from xinfang.cases.models import Case, CaseEvent, CasePetitioner, Petitioner
from xinfang.cases.services import register_case
from xinfang.orgs.roles import Role
from xinfang.performance.importers import import_xlsx
from xinfang.performance.models import BudgetLine, FiscalYear, ImportBatch, Project

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCENARIO = Path(__file__).with_name("kill9_scenario.py")


def _run_and_kill(env, kind: str, pk: int, tmp_path: Path) -> list[str]:
    """Start the scenario, SIGKILL it a moment after it reports an open transaction on disk; its output."""
    errors = tmp_path / "scenario.stderr"
    with errors.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(SCENARIO), kind, str(pk)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
        )  # fmt: skip
    # A scenario that never reaches MID-WRITE must not hang the suite.
    watchdog = threading.Timer(90, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("MID-WRITE"):
                time.sleep(random.uniform(0, 0.2))  # somewhere in the next rows' writes
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, (lines, errors.read_text())
    assert "FINISHED" not in lines and lines[-1].startswith("MID-WRITE"), (lines, errors.read_text())
    return lines


def _assert_database_sound(env) -> None:
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(connection.settings_dict["NAME"])) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = verify_chain()
    assert report.ok, report
    done = manage(env, "verify_audit", "--skip-checks")
    assert done.returncode == 0 and "审计链完整" in done.stdout, done.stdout + done.stderr


@pytest.fixture
def env(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return deployment_env(tmp_path / "var")


def test_a_registration_run_killed_mid_transaction_leaves_no_partial_case(env, tmp_path):
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    lines = _run_and_kill(env, "register", registrar.pk, tmp_path)
    assert "COMMITTED 2" in lines and int(lines[-1].split()[1]) >= 20  # cases in the killed transaction

    # The two committed cases, whole (one petitioner, who came twice); nothing of the killed transaction.
    assert sorted(Case.objects.values_list("title", flat=True)) == ["提交完成的第1件", "提交完成的第2件"]
    assert Petitioner.objects.count() == 1 and CasePetitioner.objects.count() == 2
    assert CaseEvent.objects.count() == 2
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["case.register"] * 2
    assert AuditHead.objects.get(pk=1).count == 2
    assert latest_anchor()[0] == AuditEvent.objects.order_by("id").last().pk
    _assert_database_sound(env)

    # Work goes on: the next case takes the next number, and the chain still verifies.
    case = register_case(
        actor=registrar, data=registration(title="重启后登记", received_date=timezone.localdate())
    )
    assert case.seq == max(Case.objects.exclude(pk=case.pk).values_list("seq", flat=True)) + 1
    assert verify_chain().ok and verify_chain().checked == 3


def test_an_xlsx_import_killed_mid_transaction_leaves_no_rows(env, tmp_path):
    year = FiscalYear.objects.create(year=2026)
    lines = _run_and_kill(env, "import", year.pk, tmp_path)
    assert int(lines[-1].split()[1]) >= 300  # rows written in the killed transaction

    assert not BudgetLine.objects.exists() and not Project.objects.exists()
    assert not ImportBatch.objects.exists() and not AuditEvent.objects.exists()
    _assert_database_sound(env)

    # The same file imports whole afterwards.
    from tests.production.kill9_scenario import budget_lines

    outcome = import_xlsx("budget_lines", year, budget_lines(50), filename="预算指标.xlsx")
    assert outcome.created == 50 and BudgetLine.objects.count() == 50 and verify_chain().ok
