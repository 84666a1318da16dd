"""Incremental daily rollups so dashboards cost O(groups), not O(cases) (design.md §5)."""

from __future__ import annotations

from django.db import models

from xinfang.cases.models import Category
from xinfang.orgs.models import Organisation


class DailyCaseRollup(models.Model):
    """Counts per local day × unit × category × channel.

    `registered` is attributed to the registering organisation on the registration day; `replied` and
    `replied_on_time` to the responsible unit on the reply day (on time = reply date <= handling deadline).
    """

    day = models.DateField("日期")
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name="内容分类", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField("信访形式", max_length=16)
    registered = models.PositiveIntegerField("登记件数", default=0)
    replied = models.PositiveIntegerField("答复件数", default=0)
    replied_on_time = models.PositiveIntegerField("按期答复件数", default=0)

    class Meta:
        verbose_name = "每日统计汇总"
        verbose_name_plural = "每日统计汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "category", "channel"], name="rollup_day_unit_cat_channel"
            )
        ]
        indexes = [models.Index(fields=["unit", "day"], name="rollup_unit_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.unit} {self.channel}"
