from django.contrib import admin

from xinfang.audit.admin import AuditedAdmin, ReadOnlyAdmin

from .models import CaseDocument, CaseOpinion, Category, Extension, Hearing, ReviewRequest


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("code", "name")


for model in (Extension, ReviewRequest, Hearing, CaseOpinion, CaseDocument):
    admin.site.register(model, ReadOnlyAdmin)
