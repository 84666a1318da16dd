"""One register for every written supervision item: 提醒函, 督办函, 问责建议函 and the art.40 recommendations.

They share the record, the number, the addressee, the written feedback and its deadline, so they are one
model (the former SupervisionLetter and Recommendation were merged by migration 0003).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xinfang.cases.models import Case
from xinfang.orgs.models import Organisation


class LetterKind(models.TextChoices):
    REMINDER = "reminder", "提醒函"
    URGE = "urge", "督办函"
    ACCOUNTABILITY = "accountability", "问责建议函"
    RECOMMENDATION = "recommendation", "信访工作建议"


# The short word of each kind's number: 督办〔2025〕15号.
NUMBER_PREFIX = {
    LetterKind.REMINDER: "提醒",
    LetterKind.URGE: "督办",
    LetterKind.ACCOUNTABILITY: "问责建议",
    LetterKind.RECOMMENDATION: "建议",
}


class RecommendationKind(models.TextChoices):
    """The three recommendation powers (三项建议权), art.40."""

    IMPROVE_WORK = "improve_work", "改进工作建议"
    IMPROVE_POLICY = "improve_policy", "完善政策建议"
    ACCOUNTABILITY = "accountability", "追究责任建议"


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", "待领导审批"
    OPEN = "open", "待反馈"
    CLOSED = "closed", "已反馈"
    DECLINED = "declined", "领导未批准"


class LetterOrigin(models.TextChoices):
    SWEEP = "sweep", "每日督办巡查"
    MANUAL = "manual", "人工发出"


class Letter(models.Model):
    kind = models.CharField("函件类型", max_length=24, choices=LetterKind.choices)
    recommendation_kind = models.CharField(
        "建议类型", max_length=24, choices=RecommendationKind.choices, blank=True
    )
    number = models.CharField("文号", max_length=40, blank=True)
    year = models.PositiveIntegerField("年度", null=True, blank=True)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    unit = models.ForeignKey(
        Organisation, verbose_name="发往单位", on_delete=models.PROTECT, related_name="supervision_letters"
    )
    case = models.ForeignKey(
        Case,
        verbose_name="相关信访事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_letters",
    )
    content = models.TextField("内容")
    reason = models.CharField("发函理由", max_length=300, blank=True)
    origin = models.CharField(
        "来源", max_length=16, choices=LetterOrigin.choices, default=LetterOrigin.MANUAL
    )
    # The deadline that triggered a sweep letter: one letter of a kind per case and deadline (idempotent).
    trigger_due = models.DateField("触发期限", null=True, blank=True)
    follows = models.ForeignKey(
        "self", verbose_name="前序督办函", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField("发出日期")
    feedback_due = models.DateField("书面反馈期限")
    status = models.CharField(
        "状态", max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    feedback = models.TextField("书面反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted = models.BooleanField("是否采纳", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "督办函件与建议"
        verbose_name_plural = "督办函件与建议"
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["status", "feedback_due"], name="letter_status_due"),
            models.Index(fields=["kind", "status", "issued_on"], name="letter_kind_status_issued"),
            models.Index(fields=["unit", "status"], name="letter_unit_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "trigger_due"],
                condition=Q(origin="sweep"),
                name="letter_sweep_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "seq"], condition=Q(seq__isnull=False), name="letter_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()}（{self.unit}）"

    @property
    def kind_label(self) -> str:
        if self.kind == LetterKind.RECOMMENDATION and self.recommendation_kind:
            return self.get_recommendation_kind_display()
        return self.get_kind_display()


class LetterCounter(models.Model):
    """The last number given per kind and year; incremented with a row-locking UPDATE (race-safe)."""

    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "函件编号"
        verbose_name_plural = "函件编号"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="letter_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class MarkState(models.TextChoices):
    AT_RISK = "at_risk", "临期"
    OVERDUE = "overdue", "超期"


class MarkStep(models.TextChoices):
    TRIAGE = "triage", "分流"
    ACCEPTANCE = "acceptance", "书面告知受理"
    HANDLING = "handling", "办理"
    REVIEW = "review", "复查"
    REREVIEW = "rereview", "复核"
    LETTER = "letter", "督办函件反馈"


class DeadlineMark(models.Model):
    """What the daily sweep found: a step of a case (or a letter's feedback) at risk or overdue.

    One row per (step, subject, due date); a later deadline of the same step is a new row. The sweep writes
    these rows with one INSERT … SELECT and removes the ones whose step has moved on.
    """

    step = models.CharField("环节", max_length=16, choices=MarkStep.choices)
    subject_id = models.BigIntegerField("对象")  # the case, or the letter for step "letter"
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("期限")
    state = models.CharField("状态", max_length=16, choices=MarkState.choices)
    marked_on = models.DateField("标记日期")

    class Meta:
        verbose_name = "期限预警标记"
        verbose_name_plural = "期限预警标记"
        constraints = [
            models.UniqueConstraint(fields=["step", "subject_id", "due_date"], name="mark_step_subject_due")
        ]
        indexes = [
            models.Index(fields=["state", "unit"], name="mark_state_unit"),
            models.Index(fields=["case"], name="mark_case"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.subject_id} {self.state}"
