"""积案化解 (long-running matters with a leader in charge) and the 矛盾纠纷排查化解 dispute ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case
from xinfang.orgs.models import Organisation


class LedgerStatus(models.TextChoices):
    OPEN = "open", "化解中"
    RESOLVED = "resolved", "已化解"
    CLOSED = "closed", "已销号"


class BacklogItem(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="包案领导", on_delete=models.PROTECT)
    plan = models.TextField("化解方案", blank=True)
    status = models.CharField("状态", max_length=16, choices=LedgerStatus.choices, default=LedgerStatus.OPEN)
    result = models.TextField("化解结果", blank=True)
    created_on = models.DateField("列入日期")

    class Meta:
        verbose_name = "积案"
        verbose_name_plural = "积案化解台账"

    def __str__(self) -> str:
        return f"积案：{self.case_id}"


class BacklogNote(models.Model):
    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField("时间")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("进展")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class RiskLevel(models.TextChoices):
    LOW = "low", "一般"
    MEDIUM = "medium", "较大"
    HIGH = "high", "重大"


class Dispute(models.Model):
    grid = models.ForeignKey(
        Organisation, verbose_name="网格/街镇", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("纠纷事项", max_length=200)
    description = models.TextField("情况")
    risk_level = models.CharField("风险等级", max_length=16, choices=RiskLevel.choices, default=RiskLevel.LOW)
    owner = models.CharField("责任人", max_length=50)
    status = models.CharField("状态", max_length=16, choices=LedgerStatus.choices, default=LedgerStatus.OPEN)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField("排查日期")

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷排查化解台账"
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["grid", "status"], name="dispute_grid_status")]

    def __str__(self) -> str:
        return self.title
