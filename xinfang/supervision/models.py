"""Supervision records: major/urgent report tasks (art.25), recommendations (art.40) and supervision letters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case
from xinfang.orgs.models import Organisation


class ReportRecipient(models.TextChoices):
    """art.25: report at once to the same-level Party committee and government, the petition department one
    level up and, at the same time, 国家信访局."""

    PARTY_COMMITTEE = "party_committee", "同级党委"
    GOVERNMENT = "government", "同级政府"
    UPPER_BUREAU = "upper_bureau", "上一级信访部门"
    NATIONAL_BUREAU = "national_bureau", "国家信访局"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "待报告"
    REPORTED = "reported", "已报告"


class ReportTask(models.Model):
    case = models.ForeignKey(
        Case, verbose_name="信访事项", on_delete=models.CASCADE, related_name="report_tasks"
    )
    recipient_kind = models.CharField("报告对象", max_length=24, choices=ReportRecipient.choices)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name="报告对象单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField("报告对象名称", max_length=100)
    status = models.CharField(
        "状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    created_at = models.DateTimeField("生成时间")
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报告人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("报告情况", blank=True)

    class Meta:
        verbose_name = "重大紧急信访报告任务"
        verbose_name_plural = "重大紧急信访报告任务"
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "recipient_kind"], name="report_task_case_recipient_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.recipient_name}"


class RecommendationKind(models.TextChoices):
    """The three recommendation powers (三项建议权), art.40."""

    IMPROVE_WORK = "improve_work", "改进工作建议"
    IMPROVE_POLICY = "improve_policy", "完善政策建议"
    ACCOUNTABILITY = "accountability", "追究责任建议"


class FeedbackStatus(models.TextChoices):
    OPEN = "open", "待反馈"
    CLOSED = "closed", "已反馈"


class Recommendation(models.Model):
    kind = models.CharField("建议类型", max_length=24, choices=RecommendationKind.choices)
    unit = models.ForeignKey(
        Organisation, verbose_name="建议对象单位", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="相关信访事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("建议内容")
    issued_on = models.DateField("发出日期")
    feedback_due = models.DateField("书面反馈期限")
    status = models.CharField(
        "状态", max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    feedback = models.TextField("书面反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    adopted = models.BooleanField("是否采纳", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "信访工作建议"
        verbose_name_plural = "信访工作建议"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "feedback_due"], name="recommendation_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.unit}）"


class LetterKind(models.TextChoices):
    REMINDER = "reminder", "提醒函"
    SUPERVISION = "supervision", "督办函"
    ACCOUNTABILITY = "accountability", "问责建议函"


class SupervisionLetter(models.Model):
    kind = models.CharField("函件类型", max_length=24, choices=LetterKind.choices)
    unit = models.ForeignKey(
        Organisation, verbose_name="发往单位", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="相关信访事项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("函件内容")
    issued_on = models.DateField("发函日期")
    reply_due = models.DateField("书面回复期限")
    status = models.CharField(
        "状态", max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    reply = models.TextField("书面回复", blank=True)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "督办函件"
        verbose_name_plural = "督办函件"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "reply_due"], name="letter_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.unit}）"
