"""Early warnings (domain §6): each with a plain-Chinese reason and the cases behind it, handled to closure;
the editable risk-word list; the watch lists of key persons and key matters (重点人员、重点事项)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case, Petitioner


class WarningKind(models.TextChoices):
    REPEAT = "repeat", "重复信访"
    COLLECTIVE = "collective", "集体信访苗头"
    RISK_WORDS = "risk_words", "扬言/极端言辞"
    LEVEL_SKIPPING = "level_skipping", "越级信访"
    TO_BEIJING = "to_beijing", "进京信访"
    HOTSPOT = "hotspot", "信访热点"


class WarningStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ACKNOWLEDGED = "acknowledged", "已签收"
    ASSIGNED = "assigned", "已指派"
    CLOSED = "closed", "已关闭"


class Warning(models.Model):
    kind = models.CharField("预警类型", max_length=24, choices=WarningKind.choices)
    # What makes the warning one and the same on the next sweep (a petitioner, a case, a cluster …).
    key = models.CharField("识别键", max_length=120)
    reason = models.CharField("预警原因", max_length=400)
    status = models.CharField(
        "状态", max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    raised_on = models.DateField("预警日期")
    cases = models.ManyToManyField(Case, verbose_name="相关信访事项", related_name="supervision_warnings")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("处理情况", blank=True)
    closed_on = models.DateField("关闭日期", null=True, blank=True)

    class Meta:
        verbose_name = "信访预警"
        verbose_name_plural = "信访预警"
        ordering = ["-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="warning_kind_key")]
        indexes = [models.Index(fields=["status", "-raised_on"], name="warning_status_raised")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.reason}"


class RiskWord(models.Model):
    word = models.CharField("风险词", max_length=20, unique=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "风险词"
        verbose_name_plural = "风险词（扬言/极端言辞）"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class RiskScan(models.Model):
    """How far the daily risk-word scan got: the day of its last run and the word list it used. A run with the
    same list reads only the cases added since then: a higher id (so a case registered with a back-dated time is
    read too) or registered since that day began (so one whose id was taken before the run but committed after
    it is not missed). At 1M cases re-reading the whole window every day was the sweep's slowest step. A changed
    list, or a run for an earlier day, reads the whole window."""

    last_day = models.DateField()
    fingerprint = models.CharField(max_length=64)
    last_case = models.BigIntegerField(default=0)  # the highest case id when it ran

    class Meta:
        verbose_name = "风险词扫描进度"
        verbose_name_plural = "风险词扫描进度"

    def __str__(self) -> str:
        return f"{self.last_day}"


class WatchKind(models.TextChoices):
    PERSON = "person", "重点人员"
    MATTER = "matter", "重点事项"


class WatchItem(models.Model):
    kind = models.CharField("类型", max_length=16, choices=WatchKind.choices)
    title = models.CharField("名称", max_length=200)
    petitioner = models.ForeignKey(
        Petitioner, verbose_name="信访人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cases = models.ManyToManyField(Case, verbose_name="相关信访事项", blank=True, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="包案领导", on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.CharField("责任人", max_length=50, blank=True)
    measures = models.TextField("稳控化解措施", blank=True)
    review_on = models.DateField("下次研判日期", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = "重点人员/事项"
        verbose_name_plural = "重点人员/事项台账"
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"
