"""manage.py triage_index [--all] — build the near-duplicate index for cases not yet indexed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xinfang.cases.models import Case
from xinfang.triage.services import index_case


class Command(BaseCommand):
    help = "为尚未建立相似检索索引的信访件建立索引（--all 时全部重建）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="全部重建")

    def handle(self, *args, **opts) -> None:
        qs = Case.objects.all() if opts["all"] else Case.objects.filter(triage_signature__isnull=True)
        n = 0
        for case in qs.only("pk", "title", "content", "requests").iterator(chunk_size=500):
            index_case(case)
            n += 1
        self.stdout.write(f"已索引 {n} 件")
