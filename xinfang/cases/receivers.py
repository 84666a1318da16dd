"""The cases app's own listeners: the case list filter forgets its cached choices when an organisation or a
content category is saved or deleted (forms.filter_choices)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from xinfang.orgs.models import Organisation

from .forms import FILTER_CHOICES_KEY
from .models import Category


@receiver(post_save, sender=Organisation, dispatch_uid="cases.filter-choices.org-saved")
@receiver(post_delete, sender=Organisation, dispatch_uid="cases.filter-choices.org-deleted")
@receiver(post_save, sender=Category, dispatch_uid="cases.filter-choices.category-saved")
@receiver(post_delete, sender=Category, dispatch_uid="cases.filter-choices.category-deleted")
def forget_filter_choices(**kwargs) -> None:
    cache.delete(FILTER_CHOICES_KEY)  # the list filter shows the change at once (in this process)
