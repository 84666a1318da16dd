from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "xinfang.cases"
    label = "cases"
    verbose_name = "信访事项"

    def ready(self) -> None:
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from xinfang.orgs.models import Organisation

        from .forms import FILTER_CHOICES_KEY
        from .models import Category

        def forget_filter_choices(**kwargs) -> None:
            cache.delete(FILTER_CHOICES_KEY)  # the list filter shows the change at once (in this process)

        for model in (Organisation, Category):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_filter_choices, sender=model, dispatch_uid=f"cases.filter-choices.{model.__name__}"
                )
