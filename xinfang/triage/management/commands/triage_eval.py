"""manage.py triage_eval [--train TRAIN.csv] TEST.csv — per-class F1, latency, baseline, accuracy, macro-F1."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinfang.triage import evaluation, store
from xinfang.triage.data import load_labelled
from xinfang.triage.errors import TriageError


class Command(BaseCommand):
    help = "评估分类模型：给出 --train 时在其上训练新模型，否则评估当前模型"

    def add_arguments(self, parser) -> None:
        parser.add_argument("test", help="测试集 CSV（列 id,label,text）")
        parser.add_argument("--train", help="训练集 CSV；省略时使用当前模型")
        parser.add_argument("--no-baseline", action="store_true", help="不计算字符 TF-IDF + SVM 基线")

    def handle(self, *args, **opts) -> None:
        try:
            test_x, test_y = load_labelled(opts["test"])
            if opts["train"]:
                train_x, train_y = load_labelled(opts["train"])
                model, seconds = evaluation.train(train_x, train_y)
                self.stdout.write(f"train_seconds: {seconds:.1f} s")
            else:
                model, version = store.active_model()
                train_x = None
                self.stdout.write(f"model: {version}")
        except TriageError as exc:
            raise CommandError(exc.message) from exc
        result = evaluation.evaluate(model, test_x, test_y)
        self.stdout.write("per-class F1:")
        for label, f1 in result.per_class_f1.items():
            self.stdout.write(f"  {label}: {f1:.4f}")
        self.stdout.write(f"median_latency_ms: {result.median_latency_ms:.2f} ms")
        if result.p90_latency_ms is not None:
            self.stdout.write(f"p90_latency_ms: {result.p90_latency_ms:.2f} ms")
        if train_x is not None and not opts["no_baseline"]:
            base = evaluation.baseline(train_x, train_y, test_x, test_y)
            self.stdout.write(f"baseline_accuracy: {base.accuracy:.4f}")
            self.stdout.write(f"baseline_macro_f1: {base.macro_f1:.4f}")
            self.stdout.write(f"macro_f1_gain: {result.macro_f1 - base.macro_f1:+.4f}")
        self.stdout.write(f"accuracy: {result.accuracy:.4f}")
        self.stdout.write(f"macro_f1: {result.macro_f1:.4f}")
