from django.contrib import admin

from xinfang.cases.admin import CaseScopedAdmin

from .models import Recommendation, ReportTask, SupervisionLetter


@admin.register(ReportTask)
class ReportTaskAdmin(CaseScopedAdmin):
    list_display = ["case", "recipient_kind", "recipient_name", "status", "created_at", "reported_at"]
    list_filter = ["recipient_kind", "status"]
    search_fields = ["case__number", "recipient_name"]
    raw_id_fields = ["case"]


@admin.register(Recommendation)
class RecommendationAdmin(CaseScopedAdmin):
    list_display = ["kind", "unit", "case", "issued_on", "feedback_due", "status", "adopted"]
    list_filter = ["kind", "status"]
    search_fields = ["content", "unit__name"]
    raw_id_fields = ["case"]


@admin.register(SupervisionLetter)
class SupervisionLetterAdmin(CaseScopedAdmin):
    list_display = ["kind", "unit", "case", "issued_on", "reply_due", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["content", "unit__name"]
    raw_id_fields = ["case"]
