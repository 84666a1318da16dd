"""Build a demo district: organisations, users for every role and N years of plausible cases.

manage.py seed_demo                    # ~5,000 cases a year for 2 years
manage.py seed_demo --cases 1000000    # benchmark volume, bulk inserts
manage.py seed_demo --if-empty         # do nothing when the database already has organisations
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from xinfang.audit.services import record
from xinfang.cases.demo import DEMO_PASSWORD, build_cases, build_orgs, build_users
from xinfang.orgs.models import Organisation


class Command(BaseCommand):
    help = "生成演示数据：示例区的组织、各角色用户和信访事项"

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--cases", type=int, default=None, help="信访事项总数（默认每年约5000件）")
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
        total = opts["cases"] if opts["cases"] is not None else 5000 * years
        started = time.monotonic()
        with transaction.atomic():
            orgs = build_orgs()
            users = build_users(orgs)
            record(
                "demo.seed", object_type="demo", object_id="district", after={"cases": total, "years": years}
            )
        self.stdout.write(f"组织 {Organisation.objects.count()} 个，用户 {len(users)} 个")
        made = build_cases(orgs, users, total=total, years=years, rng=rng, progress=self._progress)
        if not opts["no_triage"]:
            from xinfang.cases.demo import CATEGORY_ROUTING
            from xinfang.triage.demo import seed_triage_demo

            routing = {name: dept for name, (dept, _weight) in CATEGORY_ROUTING.items()}
            rules = seed_triage_demo(orgs, routing, index_recent=min(made, 2000))
            self.stdout.write(f"分办规则 {rules} 条，已为最近 {min(made, 2000)} 件建立相似检索索引")
        self.stdout.write(f"信访事项 {made} 件，用时 {time.monotonic() - started:.1f} 秒")
        self._print_logins()

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  已生成 {done}/{total}")

    def _print_logins(self) -> None:
        from xinfang.cases.demo import DEMO_LOGINS

        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {label}")
