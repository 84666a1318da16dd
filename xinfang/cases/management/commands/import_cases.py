"""manage.py import_cases FILE --user USERNAME: the ledger (台账) import, the same service as the page."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.cases.ledger import LedgerRejected
from xinfang.cases.ledger_write import import_ledger
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import User


class Command(BaseCommand):
    help = "批量导入信访台账（.xlsx 或 .csv）：整批校验，任何一行有误则全部不导入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件（.xlsx，或 UTF-8 / GBK 编码的 .csv）")
        parser.add_argument("--user", required=True, help="以哪位登记员的名义登记（用户名）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户不存在或已停用：{options['user']}")
        try:
            outcome = import_ledger(actor=actor, content=path.read_bytes(), filename=path.name)
        except LedgerRejected as exc:
            raise CommandError("导入失败，未导入任何数据：\n" + "\n".join(exc.errors)) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        for text, _warning in outcome.summary():
            self.stdout.write(text)
