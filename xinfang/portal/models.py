"""Petitioner satisfaction evaluation (满意度评价), domain/petition.md §4.2 and rule 20."""

from __future__ import annotations

from django.db import models

from xinfang.cases.models import Case


class EvaluationStatus(models.TextChoices):
    PENDING = "pending", "待评价"
    EVALUATED = "evaluated", "已评价"
    EXPIRED = "expired", "超期未评价"


class EvaluationResult(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Evaluation(models.Model):
    """One evaluation per case, opened when the reply is served; the window closes N days later."""

    case = models.OneToOneField(
        Case, verbose_name="信访事项", on_delete=models.CASCADE, related_name="evaluation"
    )
    status = models.CharField(
        "评价状态", max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.PENDING
    )
    result = models.CharField("评价结果", max_length=16, choices=EvaluationResult.choices, blank=True)
    reply_date = models.DateField("答复日期")
    window_closes = models.DateField("评价截止日期")
    evaluated_at = models.DateTimeField("评价时间", null=True, blank=True)
    comment = models.TextField("评价意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        indexes = [
            models.Index(fields=["status", "window_closes"], name="evaluation_status_window"),
            models.Index(fields=["evaluated_at"], name="evaluation_evaluated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="evaluated")
                | (~models.Q(result="") & models.Q(evaluated_at__isnull=False)),
                name="evaluation_evaluated_has_result",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_status_display()}"
