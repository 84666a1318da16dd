"""manage.py deadline START N UNIT — print a due date (UNIT: day | workday), or many with --stdin."""

from __future__ import annotations

import datetime
import re
import sys

from django.core.management.base import BaseCommand, CommandError

from xinfang.calendar.services import Due, add_days, add_working_days

UNITS = ("day", "workday")
MAX_N = 3650
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadInput(ValueError):
    pass


def compute(start: str, n: str, unit: str, *, roll_forward: bool = True) -> Due:
    """Parse one query and compute it; BadInput carries a Chinese reason."""
    if not DATE_RE.match(start):
        raise BadInput(f"起始日期格式不正确（应为 YYYY-MM-DD）：{start}")
    try:
        day = datetime.date.fromisoformat(start)
    except ValueError:
        raise BadInput(f"起始日期不存在：{start}")
    if not re.fullmatch(r"\d+", n) or int(n) > MAX_N:
        raise BadInput(f"天数必须是 0 到 {MAX_N} 之间的整数：{n}")
    if unit not in UNITS:
        raise BadInput(f"单位必须是 day（自然日）或 workday（工作日）：{unit}")
    try:
        if unit == "day":
            return add_days(day, int(n), roll_forward=roll_forward)
        return add_working_days(day, int(n))
    except (OverflowError, ValueError):  # past 9999-12-31
        raise BadInput("结果日期超出可计算范围")


class Command(BaseCommand):
    help = (
        "计算期限：起始日不计入，day 为自然日（到期日遇休息日顺延至下一个工作日），workday 为工作日；"
        "涉及尚无节假日安排的年份时在日期后标注 provisional"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("start", nargs="?", help="起始日期 YYYY-MM-DD（事件当日，不计入）")
        parser.add_argument("n", nargs="?", help="天数")
        parser.add_argument("unit", nargs="?", help="day 或 workday")
        parser.add_argument("--stdin", action="store_true", help="从标准输入逐行读取“起始日期 天数 单位”")
        parser.add_argument("--no-roll-forward", action="store_true", help="自然日到期日遇休息日不顺延")

    def handle(self, *args, **options) -> None:
        roll = not options["no_roll_forward"]
        batch = options["stdin"]
        if batch:
            if options["start"] is not None:
                raise CommandError("使用 --stdin 时不能同时给出命令行参数")
            # call_command("deadline", stdin=stream) hands the stream in place of the flag's True
            return self._batch(batch if hasattr(batch, "read") else sys.stdin, roll)
        if None in (options["start"], options["n"], options["unit"]):
            raise CommandError("用法：deadline 起始日期 天数 单位（day|workday），或 deadline --stdin")
        try:
            due = compute(options["start"], options["n"], options["unit"], roll_forward=roll)
        except BadInput as exc:
            raise CommandError(str(exc))
        self.stdout.write(str(due))

    def _batch(self, stream, roll: bool) -> None:
        out: list[str] = []
        bad = 0
        for line in stream:
            parts = line.split()
            if not parts:
                out.append("")
                continue
            try:
                if len(parts) != 3:
                    raise BadInput(f"每行应为“起始日期 天数 单位”三项，实际 {len(parts)} 项")
                out.append(str(compute(*parts, roll_forward=roll)))
            except BadInput as exc:
                bad += 1
                out.append(f"error: {exc}")
        if out:
            self.stdout.write("\n".join(out))
        if bad:
            raise CommandError(f"共 {bad} 行输入有误")
