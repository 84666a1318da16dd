from django.contrib import admin
from django.urls import include, path

from xinfang.analytics import views as analytics_views
from xinfang.api.urls import api
from xinfang.orgs import views as org_views

admin.site.site_header = "信访工作与绩效管理平台 · 系统管理"
admin.site.site_title = "信访平台管理"
admin.site.index_title = "系统管理"

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
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
