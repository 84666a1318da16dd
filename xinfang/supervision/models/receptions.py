"""Leader receptions (领导接访, art.18 ¶2): schedules as data, slots with a capacity, bookings by staff and by
the public, reception records; and 包案 (a leader owns a case)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case


class ReceptionSchedule(models.Model):
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接访领导", on_delete=models.PROTECT)
    title = models.CharField("名称", max_length=100)
    # ISO weekdays as digits: "4" every Thursday; "1357" Monday, Wednesday, Friday and Sunday.
    weekdays = models.CharField("接访日（星期）", max_length=7)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    capacity = models.PositiveIntegerField("每场名额", default=10)
    skip_rest_days = models.BooleanField("遇节假日顺延取消", default=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "领导接访安排"
        verbose_name_plural = "领导接访安排"

    def __str__(self) -> str:
        return self.title


class ReceptionSlot(models.Model):
    schedule = models.ForeignKey(
        ReceptionSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接访领导", on_delete=models.PROTECT)
    day = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    place = models.CharField("地点", max_length=100)
    capacity = models.PositiveIntegerField("名额")
    booked = models.PositiveIntegerField("已预约", default=0)
    is_published = models.BooleanField("已公布", default=True)

    class Meta:
        verbose_name = "接访场次"
        verbose_name_plural = "接访场次"
        ordering = ["day", "start"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "day", "start"], name="slot_leader_day_start"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_capacity"
            ),
        ]
        indexes = [models.Index(fields=["is_published", "day"], name="slot_published_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.start:%H:%M} {self.place}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class BookingSource(models.TextChoices):
    PUBLIC = "public", "网上预约"
    STAFF = "staff", "工作人员登记"


class ReceptionBooking(models.Model):
    slot = models.ForeignKey(ReceptionSlot, on_delete=models.PROTECT, related_name="bookings")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("证件号码", max_length=32)
    phone = models.CharField("联系电话", max_length=20)
    matter = models.TextField("反映事项")
    source = models.CharField("预约方式", max_length=16, choices=BookingSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("预约时间")

    class Meta:
        verbose_name = "接访预约"
        verbose_name_plural = "接访预约"
        constraints = [models.UniqueConstraint(fields=["slot", "id_number"], name="booking_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.slot_id}：{self.name}"


class ReceptionRecord(models.Model):
    booking = models.OneToOneField(
        ReceptionBooking, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接访领导", on_delete=models.PROTECT)
    received_on = models.DateField("接访日期")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("接访情况")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "接访记录"
        verbose_name_plural = "接访记录"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.received_on} 接访记录"


class CaseOwnership(models.Model):
    """包案: a leader owns a case (with a role and measures); one active owner per case and role."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="包案领导", on_delete=models.PROTECT)
    role = models.CharField("职责", max_length=20, default="包案领导")
    measures = models.TextField("化解措施", blank=True)
    assigned_on = models.DateField("包案日期")
    is_active = models.BooleanField("在办", default=True)

    class Meta:
        verbose_name = "领导包案"
        verbose_name_plural = "领导包案"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"], condition=models.Q(is_active=True), name="ownership_active_role"
            )
        ]
        indexes = [models.Index(fields=["leader", "is_active"], name="ownership_leader")]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.leader_id}"
