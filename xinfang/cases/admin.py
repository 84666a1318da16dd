from django.contrib import admin

from xinfang.orgs.admin import AuditedAdmin

from .models import CaseDocument, CaseOpinion, Category, Extension, Hearing, ReviewRequest


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("code", "name")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records change only through the workflow services; admin shows them."""

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


for model in (Extension, ReviewRequest, Hearing, CaseOpinion, CaseDocument):
    admin.site.register(model, ReadOnlyAdmin)
