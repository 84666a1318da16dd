from django.contrib import admin

from xinfang.audit.admin import ReadOnlyAdmin

from .models import DailyRun


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    """Read-only: rows are written by the scheduler and the jobs themselves."""

    list_display = ("day", "job_title", "status", "enqueued_at", "started_at", "finished_at", "attempts")
    list_filter = ("status", "job")
    date_hierarchy = "day"
    search_fields = ("job", "error")

    @admin.display(description="任务名称", ordering="job")
    def job_title(self, obj: DailyRun) -> str:
        return obj.title
