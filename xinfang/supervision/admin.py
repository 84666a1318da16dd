from django.contrib import admin

from xinfang.cases.admin import CaseScopedAdmin

from . import models as m


@admin.register(m.ReportTask)
class ReportTaskAdmin(CaseScopedAdmin):
    list_display = ["case", "recipient_kind", "recipient_name", "status", "created_at", "reported_at"]
    list_filter = ["recipient_kind", "status"]
    search_fields = ["case__number", "recipient_name"]
    raw_id_fields = ["case"]


@admin.register(m.Letter)
class LetterAdmin(CaseScopedAdmin):
    list_display = ["number", "kind", "unit", "case", "issued_on", "feedback_due", "status", "origin"]
    list_filter = ["kind", "status", "origin"]
    search_fields = ["number", "content", "unit__name"]
    raw_id_fields = ["case", "follows"]


@admin.register(m.Warning)
class WarningAdmin(admin.ModelAdmin):
    list_display = ["kind", "reason", "status", "raised_on", "assignee"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["cases"]


@admin.register(m.RiskWord)
class RiskWordAdmin(admin.ModelAdmin):
    list_display = ["word", "is_active"]
    list_editable = ["is_active"]


@admin.register(m.WatchItem)
class WatchItemAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "leader", "responsible", "review_on", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["petitioner", "cases"]


@admin.register(m.ReceptionSchedule)
class ReceptionScheduleAdmin(admin.ModelAdmin):
    list_display = ["title", "leader", "weekdays", "start", "end", "place", "capacity", "is_active"]


@admin.register(m.ReceptionSlot)
class ReceptionSlotAdmin(admin.ModelAdmin):
    list_display = ["day", "start", "leader", "place", "capacity", "booked", "is_published"]
    list_filter = ["is_published"]


@admin.register(m.BacklogItem)
class BacklogItemAdmin(CaseScopedAdmin):
    list_display = ["case", "leader", "status", "created_on"]
    raw_id_fields = ["case"]


@admin.register(m.Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["title", "grid", "risk_level", "owner", "status", "found_on"]
    list_filter = ["risk_level", "status"]
    raw_id_fields = ["case"]


admin.site.register(m.ReceptionBooking)


@admin.register(m.CaseOwnership)
class CaseOwnershipAdmin(CaseScopedAdmin):
    list_display = ["case", "leader", "role", "is_active", "assigned_on"]


@admin.register(m.ReceptionRecord)
class ReceptionRecordAdmin(CaseScopedAdmin):
    list_display = ["leader", "received_on", "case"]
