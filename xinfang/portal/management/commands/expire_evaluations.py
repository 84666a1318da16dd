from django.core.management.base import BaseCommand

from xinfang.portal.services import expire_evaluations


class Command(BaseCommand):
    help = "将超过评价期限仍未评价的信访事项标记为“超期未评价”（建议每日运行）"

    def handle(self, *args, **options) -> None:
        moved = expire_evaluations()
        self.stdout.write(f"已将 {moved} 件信访事项标记为超期未评价")
