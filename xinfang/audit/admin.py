from django.contrib import admin
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from xinfang.orgs.admin import ReadOnlyAdmin
from xinfang.orgs.permissions import visible_cases

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "action")
    date_hierarchy = "at"

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        # A case's events carry its snapshots (title, content): only for users who may open the case.
        visible = visible_cases(request.user).annotate(key=Cast("pk", CharField())).values("key")
        return super().get_queryset(request).filter(~Q(object_type="cases.case") | Q(object_id__in=visible))
