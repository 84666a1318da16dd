"""Triage tables: model versions, label→category mapping, the routing table, recorded choices, the duplicate
index and hot spots. Rules are rows here, applied by the services."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case, Category
from xinfang.orgs.models import Organisation


class ModelVersion(models.Model):
    """A trained category model: its file, what it learned from and how it scored."""

    version = models.PositiveIntegerField("版本", unique=True)
    path = models.CharField("模型文件", max_length=300)
    source = models.CharField("训练来源", max_length=100)
    n_train = models.PositiveIntegerField("训练样本数")
    labels = models.JSONField("分类标签", default=list)
    evaluation = models.JSONField("评估结果", default=dict)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("训练时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "分类模型版本"
        verbose_name_plural = "分类模型版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class CategoryMapping(models.Model):
    """Maps a label of the model (e.g. the demo board's 城乡建设) onto the bureau's category tree."""

    label = models.CharField("模型标签", max_length=50, unique=True)
    category = models.ForeignKey(
        Category, verbose_name="内容分类", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "分类映射"
        verbose_name_plural = "分类映射"

    def __str__(self) -> str:
        return f"{self.label} → {self.category}"


class RoutingRule(models.Model):
    """事权 × 属地: which unit handles a category in a place. Empty category/place match anything; the rule with
    neither is the catch-all. The most specific active rule wins, then the lowest priority number."""

    category = models.ForeignKey(
        Category,
        verbose_name="内容分类（事权）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    place = models.ForeignKey(
        Organisation, verbose_name="属地", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField("依据", max_length=200, help_text="如：《信访工作条例》第三十一条；部门三定方案")
    priority = models.PositiveSmallIntegerField("优先级", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = "分办规则"
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"{self.category or '任意分类'} × {self.place or '任意属地'} → {self.unit}"


class RecordedChoice(models.Model):
    """The registrar's final category and unit for a case, with what was suggested: the retraining data."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="triage_choice")
    text = models.TextField("文本")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    suggested_categories = models.JSONField("建议分类", default=list, blank=True)
    suggested_units = models.JSONField("建议单位", default=list, blank=True)
    accepted_suggestion = models.BooleanField("采用了首选建议", default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "分办选择记录"
        verbose_name_plural = "分办选择记录"

    def __str__(self) -> str:
        return f"{self.case_id}: {self.category_id}"


class CaseSignature(models.Model):
    """MinHash signature of a case's text (see duplicates.py)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="triage_signature")
    signature = models.BinaryField()

    def __str__(self) -> str:
        return f"signature of {self.case_id}"


class CaseBand(models.Model):
    """One LSH band key of a case; equal keys mean candidate near-duplicates. Indexed for lookup by key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"


class HotSpot(models.Model):
    computed_at = models.DateTimeField("计算时间")
    window_start = models.DateField("窗口开始")
    window_end = models.DateField("窗口结束")
    title = models.CharField("热点", max_length=200)
    keywords = models.JSONField("关键词", default=list)
    places = models.JSONField("地点", default=list)
    size = models.PositiveIntegerField("件数")
    growth = models.FloatField("增长")
    engagement = models.PositiveIntegerField("关注度", default=0)
    score = models.FloatField("得分")
    is_warning = models.BooleanField("预警", default=False)
    warning_reason = models.CharField("预警原因", max_length=200, blank=True)
    cases = models.ManyToManyField(Case, related_name="+", blank=True)

    class Meta:
        verbose_name = "热点"
        verbose_name_plural = "热点"
        ordering = ["-computed_at", "-score"]

    def __str__(self) -> str:
        return self.title
