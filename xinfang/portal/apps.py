from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinfang.portal"
    label = "portal"
    verbose_name = "公众服务"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
