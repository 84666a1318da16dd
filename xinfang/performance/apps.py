from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "xinfang.performance"
    label = "performance"
    verbose_name = "预算绩效"
