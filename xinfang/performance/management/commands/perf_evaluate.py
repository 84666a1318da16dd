"""manage.py perf_evaluate FILE [--format json|text]: score a self-evaluation exchange file (no database)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from xinfang.core import jsoninput
from xinfang.performance.exchange import ExchangeError, parse
from xinfang.performance.results import as_json, as_text, run


class Command(BaseCommand):
    help = "按自评交换格式（xinfang.self-evaluation/1）计算执行率、得分、等级并检查问题"

    def add_arguments(self, parser):
        parser.add_argument("file", help="自评 JSON 文件路径（- 表示标准输入）")
        parser.add_argument("--format", choices=("json", "text"), default="text", dest="output_format")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = jsoninput.loads(sys.stdin.buffer.read())
            else:
                with open(path, "rb") as fh:
                    data = jsoninput.loads(fh.read())
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{path}") from None
        except jsoninput.JSONInputError as exc:
            raise CommandError(f"文件有误：{exc}") from None
        try:
            ev = parse(data)
        except ExchangeError as exc:
            raise CommandError(f"数据有误 {exc}") from None
        result, findings = run(ev)
        if options["output_format"] == "json":
            self.stdout.write(json.dumps(as_json(ev, result, findings), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(ev, result, findings))
