"""Run by test_kill9.py in its own process, which it kills with SIGKILL half-way through a long transaction.

    kill9_scenario.py register <registrar id>   two cases committed, then registrations in one transaction
    kill9_scenario.py import <fiscal year id>   a budget-lines .xlsx of thousands of rows, imported in one go

Prints "COMMITTED <n>" once the committed part is done, then "MID-WRITE" once the open transaction has written
enough rows (on SQLite: once its pages have reached the -wal file on disk), and goes on writing until killed.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tests.cases.helpers import registration  # noqa: E402
from xinfang.cases.services import register_case  # noqa: E402
from xinfang.orgs.models import User  # noqa: E402
from xinfang.performance.importers import COLUMNS, import_xlsx  # noqa: E402
from xinfang.performance.models import BudgetLine, FiscalYear  # noqa: E402

MIN_ROWS = {"register": 20, "import": 300}


def wal_size() -> int:
    wal = Path(f"{connection.settings_dict['NAME']}-wal")
    return wal.stat().st_size if wal.exists() else 0


def prepare_sqlite() -> None:
    """Empty the -wal file, so that whatever it holds later was written by the open transaction; and a small
    page cache, so that the transaction spills its pages there long before it would commit."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA cache_size = 10")
    if wal_size():
        sys.exit("-wal 文件未能清空（另有连接正在读写），无法判断未提交的数据是否已写入磁盘")


class Progress:
    def __init__(self, kind: str) -> None:
        self.rows, self.minimum, self.said = 0, MIN_ROWS[kind], False

    def step(self) -> None:
        self.rows += 1
        on_disk = connection.vendor != "sqlite" or wal_size() > 0
        if not self.said and self.rows >= self.minimum and on_disk:
            print(
                f"MID-WRITE {self.rows} wal={wal_size() if connection.vendor == 'sqlite' else '-'}",
                flush=True,
            )
            self.said = True


def register(registrar_id: int) -> None:
    registrar = User.objects.get(pk=registrar_id)
    today = timezone.localdate()
    for i in range(2):
        register_case(actor=registrar, data=registration(title=f"提交完成的第{i + 1}件", received_date=today))
    print("COMMITTED 2", flush=True)
    if connection.vendor == "sqlite":
        prepare_sqlite()
    progress = Progress("register")
    with transaction.atomic():
        for i in range(100_000):
            register_case(
                actor=registrar, data=registration(title=f"未提交的第{i + 1}件", received_date=today)
            )
            progress.step()


def budget_lines(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(COLUMNS["budget_lines"])
    for i in range(n):
        ws.append([f"B{i:05d}", f"办公经费{i}", "一般公共预算财政拨款", "基本支出-公用经费", "", "", None, None,
                   str(1000 + i), None])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_lines(year_id: int) -> None:
    year = FiscalYear.objects.get(pk=year_id)
    content = budget_lines(5_000)
    print("COMMITTED 0", flush=True)
    if connection.vendor == "sqlite":
        prepare_sqlite()
    progress = Progress("import")
    post_save.connect(lambda **kw: progress.step(), sender=BudgetLine, weak=False)
    import_xlsx("budget_lines", year, content, filename="预算指标.xlsx")


if __name__ == "__main__":
    kind, pk = sys.argv[1], int(sys.argv[2])
    {"register": register, "import": import_lines}[kind](pk)
    print("FINISHED", flush=True)  # reaching here means the kill came too late
