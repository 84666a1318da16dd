from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "xinfang.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
