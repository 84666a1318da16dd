"""manage.py import_holidays FILE [--user USERNAME] [--complete] — load a year's holiday schedule from CSV;
with --complete the file's years are then marked complete (deadlines in them no longer provisional)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xinfang.calendar.importer import ImportFailed, import_holidays


class Command(BaseCommand):
    help = "从 CSV（date,is_working_day,name）导入节假日调整；任一行有误则全部不导入"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV 文件路径")
        parser.add_argument("--user", help="记入审计日志的操作人用户名（默认：系统）")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="导入成功后将文件涉及的年份标记为“安排已完整”（该年期限不再标注为暂定）；导入失败则不标记",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"用户不存在：{options['user']}")
        try:
            result = import_holidays(data, actor=actor, source=path.name, mark_complete=options["complete"])
        except ImportFailed as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"导入失败，共 {len(exc.errors)} 处错误，未导入任何数据")
        self.stdout.write(result.summary())
