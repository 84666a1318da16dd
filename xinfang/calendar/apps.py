from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "xinfang.calendar"
    label = "xf_calendar"
    verbose_name = "节假日与工作日"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation receivers)
