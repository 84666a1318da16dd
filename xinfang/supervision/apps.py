from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xinfang.supervision"
    label = "supervision"
    verbose_name = "督办与预警"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
