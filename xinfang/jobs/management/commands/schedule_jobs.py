"""manage.py schedule_jobs [--run-now JOB] — enqueue the daily jobs whose time has come (cron, every few minutes)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xinfang.jobs.models import DailyRun
from xinfang.jobs.schedule import DAILY_JOBS, UnknownJob, run_now, schedule_due


class Command(BaseCommand):
    help = (
        "将到点的每日任务加入后台队列（每个任务每天至多一次，可由 cron 每隔几分钟运行）；"
        "任务由 manage.py db_worker 执行"
    )

    def add_arguments(self, parser) -> None:
        names = "、".join(job.name for job in DAILY_JOBS)
        parser.add_argument(
            "--run-now", metavar="任务", help=f"立即将该任务加入队列，不等计划时间（可用：{names}）"
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="秒",
            help="常驻运行，每隔这么多秒检查一次（make serve 用它代替 cron）；不填则检查一次后退出",
        )

    def handle(self, *args, **options) -> None:
        if options["run_now"]:
            self._run_now(options["run_now"])
            return
        if options["every"]:
            if options["every"] < 1:
                raise CommandError("--every 须为正整数（秒）")
            while True:  # stopped by the process manager (honcho, systemd)
                self._schedule()
                time.sleep(options["every"])
        self._schedule()

    def _schedule(self) -> None:
        runs = schedule_due()
        if not runs:
            self.stdout.write("没有需要加入队列的每日任务（未到计划时间，或今日已加入队列）")
            return
        for run in runs:
            self.stdout.write(self._describe(run))
        self.stdout.write(f"共 {len(runs)} 个任务已加入队列")

    def _run_now(self, name: str) -> None:
        try:
            outcome = run_now(name)
        except UnknownJob as exc:
            raise CommandError(str(exc)) from exc
        run = outcome.run
        if outcome.enqueued:
            self.stdout.write(self._describe(run))
        else:
            self.stdout.write(
                f"{run.title}（{run.job}）今日（{run.day:%Y-%m-%d}）{run.get_status_display()}，未重复加入队列"
            )

    @staticmethod
    def _describe(run: DailyRun) -> str:
        at = timezone.localtime(run.enqueued_at)
        return f"已加入队列：{run.title}（{run.job}），日期 {run.day:%Y-%m-%d}，时间 {at:%H:%M}"
