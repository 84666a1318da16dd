"""Holiday overrides: dates whose working/rest status differs from the packaged calendar (design.md §4),
and the years whose schedule an administrator has marked complete."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

WEEKDAYS = "一二三四五六日"
MIN_YEAR, MAX_YEAR = 1900, 2999  # the years the calendar page and the services accept


class HolidayOverride(models.Model):
    """One date's status as published by the State Council, entered or imported by an admin.

    Read before the chinese-calendar package. In a year the package does not cover, Mon–Fri work except rows
    marked rest and weekends rest except rows marked work; rows alone never make such a year known, only a
    CalendarYear marked complete does.
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
    """An administrator's statement that a year's override rows hold the whole published schedule.

    A year the chinese-calendar package does not cover is "known" (deadlines not provisional) only while its
    row here has complete=True. Written through services.set_year_complete (page, admin, import --complete).
    """

    year = models.PositiveSmallIntegerField(
        "年份", unique=True, validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    complete = models.BooleanField(
        "安排已完整", default=False, help_text="勾选表示该年节假日与调休安排已全部录入"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="标记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField("标记时间", null=True, blank=True)
    note = models.CharField(
        "备注", max_length=200, blank=True, help_text="如：依据国务院办公厅通知（国办发明电〔…〕…号）"
    )

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.status_label}）"

    @property
    def status_label(self) -> str:
        return "已完整" if self.complete else "未完整"

    def snapshot(self) -> dict:
        """The fields an audit event records."""
        return {"year": self.year, "complete": self.complete, "note": self.note}
