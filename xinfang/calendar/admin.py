from django.contrib import admin
from django.db import transaction
from django.db.models.functions import ExtractYear

from xinfang.audit.admin import AuditedAdmin
from xinfang.audit.services import record

from .models import CalendarYear, HolidayOverride
from .services import set_year_complete


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            HolidayOverride.objects.annotate(y=ExtractYear("date"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
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

    def save_model(self, request, obj, form, change) -> None:
        before = HolidayOverride.objects.get(pk=obj.pk).snapshot() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "calendar.override.update" if change else "calendar.override.create"
            record(action, actor=request.user, obj=obj, before=before, after=obj.snapshot())

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            record("calendar.override.delete", actor=request.user, obj=obj, before=obj.snapshot())
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                record("calendar.override.delete", actor=request.user, obj=obj, before=obj.snapshot())
            super().delete_queryset(request, queryset)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    """Audited: a change of the complete flag goes through set_year_complete (calendar.year.* events, who
    and when filled in); other edits and deletions are recorded by AuditedAdmin."""

    list_display = ("year", "complete", "marked_by", "marked_at", "note")
    list_filter = ("complete",)
    ordering = ("-year",)
    readonly_fields = ("marked_by", "marked_at")
    fields = ("year", "complete", "note", "marked_by", "marked_at")

    def get_readonly_fields(self, request, obj=None):
        # the year of an existing row is its identity: unmark it instead of renumbering it
        return (*self.readonly_fields, "year") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if "complete" in form.changed_data or not change:
            with transaction.atomic():
                saved, _changed = set_year_complete(
                    obj.year, obj.complete, actor=request.user, note=obj.note, via="admin"
                )
            obj.pk, obj.marked_by, obj.marked_at = saved.pk, saved.marked_by, saved.marked_at
            return
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                record("admin.delete", actor=request.user, obj=obj, before=obj.snapshot())
            super().delete_queryset(request, queryset)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            record("admin.delete", actor=request.user, obj=obj, before=obj.snapshot())
            admin.ModelAdmin.delete_model(self, request, obj)
