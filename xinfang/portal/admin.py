from django.contrib import admin

from xinfang.cases.admin import CaseScopedAdmin
from xinfang.cases.permissions import visible_cases

from .models import Evaluation, EvaluationExemption, OnlineReviewRequest


@admin.register(Evaluation)
class EvaluationAdmin(CaseScopedAdmin):
    list_display = [
        "case",
        "stage",
        "status",
        "result",
        "channel",
        "exempted",
        "window_closes",
        "evaluated_at",
    ]
    list_filter = ["stage", "status", "result", "channel", "exempted"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "recorded_by"]
    readonly_fields = ["created_at"]


@admin.register(EvaluationExemption)
class EvaluationExemptionAdmin(admin.ModelAdmin):
    list_display = ["evaluation", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["evaluation", "requested_by", "decided_by"]

    def get_queryset(self, request):
        # Only the exemptions of cases the user may open (an evaluation names its case).
        seen = visible_cases(request.user).values("pk")
        return super().get_queryset(request).filter(evaluation__case__in=seen)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # request and decision stay on the record


@admin.register(OnlineReviewRequest)
class OnlineReviewRequestAdmin(CaseScopedAdmin):
    list_display = ["case", "submitted_at", "window_end", "handled_at"]
    raw_id_fields = ["case"]
