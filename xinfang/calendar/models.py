"""Holiday overrides: dates whose working/rest status differs from the packaged calendar (design.md §4)."""

from __future__ import annotations

from django.db import models

WEEKDAYS = "一二三四五六日"


class HolidayOverride(models.Model):
    """One date's status as published by the State Council, entered or imported by an admin.

    Read before the chinese-calendar package. In a year the package does not cover, Mon–Fri work except rows
    marked rest and weekends rest except rows marked work; the year stays provisional until an administrator
    marks its schedule complete (CalendarYear).
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("工作日", help_text="勾选表示上班（含调休补班），不勾选表示休息")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节调休上班")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.status_label} {self.name}".strip()

    @property
    def status_label(self) -> str:
        return "上班" if self.is_working_day else "休息"

    @property
    def weekday_label(self) -> str:
        return "周" + WEEKDAYS[self.date.weekday()]

    def snapshot(self) -> dict:
        """The fields an audit event records."""
        return {"date": self.date.isoformat(), "is_working_day": self.is_working_day, "name": self.name}


class CalendarYear(models.Model):
    """An administrator's statement that a year's holiday schedule is entered in full.

    A year counts as known (deadlines in it are definitive, not 暂定) only when chinese-calendar covers it or
    a row here marks it complete: one override row alone says nothing about the rest of the year.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    complete = models.BooleanField("安排已完整录入", default=False)
    marked_by = models.ForeignKey(
        "orgs.User", verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField("确认时间", auto_now=True)
    note = models.CharField("说明", max_length=200, blank=True, help_text="如：国务院办公厅通知文号")

    class Meta:
        verbose_name = "节假日年度确认"
        verbose_name_plural = "节假日年度确认"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年{'已完整录入' if self.complete else '未完整录入'}"
