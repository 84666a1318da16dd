from django.contrib import admin

from xinfang.orgs.admin import AuditedAdmin

from .models import Category


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", "parent")
    search_fields = ("code", "name")
