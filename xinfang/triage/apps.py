from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "xinfang.triage"
    label = "triage"
    verbose_name = "智能分办"

    def ready(self) -> None:
        from .receivers import connect

        connect()
