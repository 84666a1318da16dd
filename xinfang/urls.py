from django.contrib import admin
from django.urls import include, path

from xinfang.api.urls import api
from xinfang.core import error_pages
from xinfang.orgs import views as org_views

admin.site.site_header = "信访工作与绩效管理平台 · 系统管理"
admin.site.site_title = "信访平台管理"
admin.site.index_title = "系统管理"
# /admin/login/ shares the lockout and the audited login of /login/ (its form runs the same checks).
admin.site.login_form = org_views.ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", org_views.home, name="home"),
    path("login/", org_views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", org_views.logout_view, name="logout"),
    path("cases/", include("xinfang.cases.urls")),
    path("cases/", include("xinfang.cases.workflow.urls")),
    path("calendar/", include("xinfang.calendar.urls")),
    path("performance/", include("xinfang.performance.urls")),
    path("triage/", include("xinfang.triage.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# Chinese error pages inside the site's frame (xinfang/core/error_pages.py).
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
