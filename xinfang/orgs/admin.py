from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from xinfang.audit.admin import AuditedAdmin
from xinfang.audit.services import record

from .models import ApiToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "region_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(User)
class XinfangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("信访平台", {"fields": ("display_name", "role", "organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("信访平台", {"fields": ("display_name", "role", "organisation")}),
    )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record(
            f"admin.user.{'change' if change else 'add'}",
            actor=request.user,
            obj=obj,
            after={"role": obj.role, "organisation": obj.organisation_id, "fields": list(form.changed_data)},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    readonly_fields = ("key_hash", "created_at", "last_used_at")
