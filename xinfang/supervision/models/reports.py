"""Major/urgent report tasks (art.25)."""

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
