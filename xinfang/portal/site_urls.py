"""URLs of the portal-only site (XINFANG_SITE=portal): the public pages, /api/public/ and static files;
no staff page, no login, no admin, no staff API. A bureau can expose this one on the internet."""

from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from django.views.generic import RedirectView
from ninja import NinjaAPI

from xinfang.api.errors import install_error_handlers
from xinfang.api.renderer import ChineseJSONRenderer

from .api import build_router
from .urls import public_patterns

public_api = NinjaAPI(
    title="网上信访公众服务 API",
    version="1",
    description="网上信访、进度查询、满意度评价、网上申请复查、人民建议征集。无需登录。",
    renderer=ChineseJSONRenderer(),
    auth=None,
    urls_namespace="public_api",
    openapi_url="/public/openapi.json",
    docs_url="/public/docs",
)
install_error_handlers(public_api)
public_api.add_router("/public", build_router())

urlpatterns = [
    path("", RedirectView.as_view(url="/portal/", permanent=False)),
    path("portal/", include((public_patterns, "portal"))),
    path("api/", public_api.urls),
]
if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
