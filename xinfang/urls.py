from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from django.views.generic import RedirectView
from ninja import NinjaAPI

from xinfang.analytics import views as analytics_views
from xinfang.api.errors import install_error_handlers
from xinfang.api.renderer import ChineseJSONRenderer
from xinfang.api.urls import api
from xinfang.core import error_pages
from xinfang.orgs import views as org_views
from xinfang.portal.api import build_router as public_router
from xinfang.portal.urls import public_patterns

admin.site.site_header = "信访工作与绩效管理平台 · 系统管理"
admin.site.site_title = "信访平台管理"
admin.site.index_title = "系统管理"
# /admin/login/ shares the lockout and the audited login of /login/ (its form runs the same checks).
admin.site.login_form = org_views.ThrottledAdminAuthenticationForm


def portal_site() -> list:
    """The portal-only site (XINFANG_SITE=portal): the public pages, /api/public/ (docs at /api/public/docs) and
    static files; no staff page, no login, no admin, no staff API. A bureau can expose this on the internet."""
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
    public_api.add_router("/public", public_router())
    from xinfang.portal.receptions_api import build_router as receptions_router

    public_api.add_router("/public/receptions", receptions_router())
    patterns = [
        path("", RedirectView.as_view(url="/portal/", permanent=False)),
        path("portal/", include((public_patterns, "portal"))),
        path("api/", public_api.urls),
    ]
    return patterns + (staticfiles_urlpatterns() if settings.DEBUG else [])


if settings.XINFANG_SITE == "portal":
    urlpatterns = portal_site()
else:
    urlpatterns = [
        path("", org_views.home, name="home"),
        path("login/", org_views.ThrottledLoginView.as_view(), name="login"),
        path("logout/", org_views.logout_view, name="logout"),
        path("cases/export.xlsx", analytics_views.cases_xlsx, name="cases_export"),
        path("cases/", include("xinfang.cases.urls")),
        path("cases/", include("xinfang.cases.workflow.urls")),
        path("dashboard/", include("xinfang.analytics.urls")),
        path("calendar/", include("xinfang.calendar.urls")),
        path("performance/", include("xinfang.performance.urls")),
        path("triage/", include("xinfang.triage.urls")),
        path("portal/", include("xinfang.portal.urls")),
        path("supervision/", include("xinfang.supervision.urls")),
        path("api/", api.urls),
        path("admin/", admin.site.urls),
    ]

# Chinese error pages inside the site's frame (xinfang/core/error_pages.py).
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
