"""One row per daily job and day: the unique (job, day) pair is what makes a job run at most once a day."""

from __future__ import annotations

from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "已加入队列"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class DailyRun(models.Model):
    job = models.CharField("任务", max_length=64)
    day = models.DateField("日期")
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    enqueued_at = models.DateTimeField("加入队列时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("已运行次数", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "每日任务运行记录"
        verbose_name_plural = "每日任务运行记录"
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobs_dailyrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.title}"

    @property
    def title(self) -> str:
        from .schedule import job_title

        return job_title(self.job)
