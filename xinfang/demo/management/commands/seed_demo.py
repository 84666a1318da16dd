"""Build a demo district: organisations, users for every role and body, and cases played through the
workflow engine on a controlled clock, with a budget year for the finance officer.

manage.py seed_demo                    # ~600 cases over 2 years, every step through the engine (one to two minutes)
manage.py seed_demo --cases 1000000    # benchmark volume: the bulk path (same rules, no documents)
manage.py seed_demo --if-empty         # do nothing when the database already has organisations
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from xinfang.audit.services import record
from xinfang.core import clock, partitions
from xinfang.demo.cases import build_cases
from xinfang.demo.district import DEMO_LOGINS, DEMO_PASSWORD, build_orgs, build_users
from xinfang.demo.texts import CATEGORY_ROUTING
from xinfang.demo.triage import seed_triage_demo
from xinfang.orgs.models import Organisation
from xinfang.orgs.roles import Role

DEFAULT_CASES_PER_YEAR = 300
# From this many cases on, the bulk path: the same table, guards and effects, inserted in batches.
BULK_FROM = 20000


class Command(BaseCommand):
    help = "生成演示数据：示例区的组织、各角色用户、经办理流程推进的信访事项和一个预算年度"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=None, help="信访事项总数（默认每年约300件）")
        parser.add_argument("--years", type=int, default=2, help="覆盖的年数（截至今天）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--if-empty", action="store_true", help="已有数据时跳过")
        parser.add_argument(
            "--no-triage", action="store_true", help="不生成分办规则和相似检索索引（基准测试用）"
        )

    def handle(self, *args, **opts) -> None:
        if opts["if_empty"] and Organisation.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据生成。")
            self._print_logins()
            return
        rng = random.Random(opts["seed"])
        years = max(1, opts["years"])
        total = opts["cases"] if opts["cases"] is not None else DEFAULT_CASES_PER_YEAR * years
        started = time.monotonic()
        with transaction.atomic():
            orgs = build_orgs()
            users = build_users(orgs)
            record(
                "demo.seed", object_type="demo", object_id="district", after={"cases": total, "years": years}
            )
            if not opts["no_triage"]:
                routing = {name: dept for name, (dept, _weight) in CATEGORY_ROUTING.items()}
                rules = seed_triage_demo(orgs, routing, index_recent=0)
                self.stdout.write(f"分办规则 {rules} 条")
        self.stdout.write(f"组织 {Organisation.objects.count()} 个，用户 {len(users)} 个")
        # PostgreSQL: each year of the span its own partition (before the cases: the DDL locks the table), so the
        # earlier years do not pile up in the default partition.
        today = clock.today()
        for year in range(today.year - years, today.year + 1):
            partitions.ensure_year(year)
        if total >= BULK_FROM:
            from xinfang.demo.bulk import bulk_cases

            made = bulk_cases(orgs, users, total=total, years=years, rng=rng, progress=self._progress)
            self.stdout.write(f"信访事项 {made} 件（批量路径），用时 {time.monotonic() - started:.1f} 秒")
        else:
            refused = build_cases(orgs, users, total=total, years=years, rng=rng, progress=self._progress)
            self.stdout.write(
                f"信访事项 {total} 件，全部经办理流程推进，用时 {time.monotonic() - started:.1f} 秒"
            )
            for number, code, message in refused:
                self.stderr.write(f"  未执行：{number} {code}：{message}")
        self._seed_performance(orgs, users)
        self._seed_supervision(users)
        self._print_logins()

    def _seed_performance(self, orgs: dict, users: list) -> None:
        from xinfang.performance.demo import seed_performance_demo

        finance = next(u for u in users if u.role == Role.FINANCE)
        seed_performance_demo(orgs["bureau"], finance, clock.today().year - 1)

    def _seed_supervision(self, users: list) -> None:
        """Reception days for the coming weeks, and the first daily sweep (letters, warnings) for today."""
        from xinfang.supervision.receptions import seed_reception_demo
        from xinfang.supervision.sweep import sweep

        leaders = [u for u in users if u.role == Role.LEADER]
        slots = seed_reception_demo(leaders=leaders)
        sweep(clock.today())
        self.stdout.write(f"领导接访日程已发布 {slots} 个时段，今日督办巡查已运行")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  已生成 {done}/{total}")

    def _print_logins(self) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {label}")
