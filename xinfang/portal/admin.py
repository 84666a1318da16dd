from django.contrib import admin

from xinfang.cases.admin import CaseScopedAdmin

from .models import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(CaseScopedAdmin):
    list_display = ["case", "status", "result", "reply_date", "window_closes", "evaluated_at"]
    list_filter = ["status", "result"]
    search_fields = ["case__number"]
    raw_id_fields = ["case"]
    readonly_fields = ["created_at"]
