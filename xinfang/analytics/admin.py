from django.contrib import admin

from .models import DailyCaseRollup


@admin.register(DailyCaseRollup)
class DailyCaseRollupAdmin(admin.ModelAdmin):
    list_display = ["day", "unit", "category", "channel", "registered", "replied", "replied_on_time"]
    list_filter = ["channel"]
    date_hierarchy = "day"
