from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q

from xinfang.audit.services import record

from .models import ApiToken, Organisation, User
from .permissions import visible_cases


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


class CaseScopedAdmin(admin.ModelAdmin):
    """Rows that name a case are listed, opened and linked only when the user may open that case.

    The admin is no way round `visible_cases`: a confidential case stays with its designated officers, an
    accusation away from the accused organisation. Rows with no case (nullable links) are shown.
    """

    case_field = "case"

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        qs = super().get_queryset(request)
        scoped = Q(**{f"{self.case_field}__in": visible_cases(request.user).values("pk")})
        if qs.model._meta.get_field(self.case_field).null:
            scoped |= Q(**{f"{self.case_field}__isnull": True})
        return qs.filter(scoped)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # noqa: ANN001, ANN201
        if db_field.name == self.case_field:
            kwargs["queryset"] = visible_cases(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (workflow records, the audit trail, job runs): the admin shows them."""

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


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

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
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
