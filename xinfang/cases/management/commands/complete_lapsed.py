"""Run the daily 办结 sweep now: answered cases whose 复查/复核 window lapsed unused become 已办结."""

from django.core.management.base import BaseCommand

from xinfang.cases.workflow.actions import complete_lapsed_cases


class Command(BaseCommand):
    help = "复查（复核）申请期限届满未申请的信访件办结"

    def handle(self, *args, **opts) -> None:
        self.stdout.write(f"办结 {complete_lapsed_cases()} 件")
