from django.contrib import admin
from django.db import transaction
from django.db.models.functions import ExtractYear

from xinfang.audit.services import record

from .models import HolidayOverride


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        years = (
            HolidayOverride.objects.annotate(y=ExtractYear("date"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):  # noqa: ANN001, ANN201
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_working_day", "name", "updated_at")
    list_filter = (YearFilter, "is_working_day")
    search_fields = ("name", "date")
    ordering = ("-date",)
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="星期")
    def weekday(self, obj: HolidayOverride) -> str:
        return obj.weekday_label

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        before = HolidayOverride.objects.get(pk=obj.pk).snapshot() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "calendar.override.update" if change else "calendar.override.create"
            record(action, actor=request.user, obj=obj, before=before, after=obj.snapshot())

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        with transaction.atomic():
            record("calendar.override.delete", actor=request.user, obj=obj, before=obj.snapshot())
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        with transaction.atomic():
            for obj in queryset:
                record("calendar.override.delete", actor=request.user, obj=obj, before=obj.snapshot())
            super().delete_queryset(request, queryset)
