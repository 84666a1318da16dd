from django.contrib import admin

from .models import AuditEvent
from .services import record


class AuditedAdmin(admin.ModelAdmin):
    """Every admin change goes into the audit chain too."""

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        record(
            f"admin.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            after={"fields": list(form.changed_data)},
        )

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        record("admin.delete", actor=request.user, obj=obj, before={"repr": str(obj)})
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (workflow records, the audit trail, job runs): the admin shows them."""

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id", "action")
    date_hierarchy = "at"
