from django.contrib import admin

from xinfang.cases.admin import CaseScopedAdmin
from xinfang.cases.permissions import visible_cases

from .models import CategoryMapping, HotSpot, ModelVersion, RecordedChoice, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "place", "unit", "basis", "priority", "is_active")
    list_filter = ("is_active",)


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ("label", "category")


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "source", "n_train", "is_active", "created_at")
    readonly_fields = (
        "version",
        "path",
        "source",
        "n_train",
        "labels",
        "evaluation",
        "created_at",
        "created_by",
    )


@admin.register(RecordedChoice)
class RecordedChoiceAdmin(CaseScopedAdmin):
    list_display = ("case", "category", "unit", "accepted_suggestion", "recorded_at")
    readonly_fields = [f.name for f in RecordedChoice._meta.fields]


@admin.register(HotSpot)
class HotSpotAdmin(admin.ModelAdmin):
    list_display = ("title", "size", "growth", "engagement", "score", "is_warning", "computed_at")
    list_filter = ("is_warning",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "cases":  # offer only the cases the user may open (the admin is no way round)
            kwargs["queryset"] = visible_cases(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
