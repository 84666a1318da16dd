from django.contrib import admin

from xinfang.orgs.admin import AuditedAdmin, CaseScopedAdmin, ReadOnlyAdmin

from .models import CaseDocument, CaseOpinion, Category, Extension, Hearing, ReviewRequest


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("code", "name")


class CaseRecordAdmin(CaseScopedAdmin, ReadOnlyAdmin):
    """Workflow records and documents: read-only, and only those of cases the user may open."""


for model in (Extension, ReviewRequest, Hearing, CaseOpinion, CaseDocument):
    admin.site.register(model, CaseRecordAdmin)
