from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet

from .models import AuditEvent
from .services import record


class AuditedAdmin(admin.ModelAdmin):
    """Every admin change goes into the audit chain too."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record(
            f"admin.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            after={"fields": list(form.changed_data)},
        )

    def delete_model(self, request, obj) -> None:
        record("admin.delete", actor=request.user, obj=obj, before={"repr": str(obj)})
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (workflow records, the audit trail, job runs): the admin shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Object types whose audit rows only some users may read: object_type -> (user -> the object ids, as text, the
# user may see). The app that owns the objects registers the rule (cases registers "cases.case"), so the audit
# app needs to know no other app.
VISIBLE_OBJECTS: dict[str, Callable[[Any], QuerySet]] = {}


def restrict_objects(object_type: str, visible_ids: Callable[[Any], QuerySet]) -> None:
    VISIBLE_OBJECTS[object_type] = visible_ids


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "action")
    date_hierarchy = "at"

    def get_queryset(self, request):
        # A case's events carry its snapshots (title, content): only for users who may open the case.
        qs = super().get_queryset(request)
        for object_type, visible_ids in VISIBLE_OBJECTS.items():
            qs = qs.filter(~Q(object_type=object_type) | Q(object_id__in=visible_ids(request.user)))
        return qs
