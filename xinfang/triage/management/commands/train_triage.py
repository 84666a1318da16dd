"""manage.py train_triage — retrain the category model from recorded choices (versioned, evaluated)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinfang.triage import store, training
from xinfang.triage.errors import TriageError


class Command(BaseCommand):
    help = "用登记员记录的分办选择重新训练分类模型（或用 --ship-from 生成演示模型）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ship-from", help="用该 CSV 训练并写入随代码发布的演示模型")
        parser.add_argument("--evaluate-on", help="与 --ship-from 同用：记录在该 CSV 上的评估")

    def handle(self, *args, **opts) -> None:
        try:
            if opts["ship_from"]:
                test = Path(opts["evaluate_on"]) if opts["evaluate_on"] else None
                meta = training.build_shipped(Path(opts["ship_from"]), test)
                self.stdout.write(json.dumps(meta, ensure_ascii=False, indent=2))
                self.stdout.write(f"已写入 {store.SHIPPED_MODEL}")
                return
            mv = training.retrain_from_choices()
        except TriageError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已训练模型 v{mv.version}（{mv.n_train} 条）：{json.dumps(mv.evaluation, ensure_ascii=False)}"
        )
