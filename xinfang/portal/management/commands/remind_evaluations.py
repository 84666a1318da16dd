from django.core.management.base import BaseCommand
from django.db import transaction

from xinfang.portal.services import remind_evaluations


class Command(BaseCommand):
    help = "向评价期限即将届满的信访人发送满意度评价提醒（建议每日运行一次）"

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = remind_evaluations()
        self.stdout.write(f"已发送 {count} 条评价提醒")
