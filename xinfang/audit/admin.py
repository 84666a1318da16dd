from django.contrib import admin

from xinfang.orgs.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "action")
    date_hierarchy = "at"
