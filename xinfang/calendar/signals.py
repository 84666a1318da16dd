"""Drop the per-process calendar cache whenever an override or a CalendarYear row changes (now, and again
after commit)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarYear, HolidayOverride
from .services import clear_cache


@receiver(post_save, sender=HolidayOverride, dispatch_uid="xf_calendar_override_saved")
@receiver(post_delete, sender=HolidayOverride, dispatch_uid="xf_calendar_override_deleted")
@receiver(post_save, sender=CalendarYear, dispatch_uid="xf_calendar_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="xf_calendar_year_deleted")
def _calendar_changed(**kwargs) -> None:
    clear_cache()
    transaction.on_commit(clear_cache)
