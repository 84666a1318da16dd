"""The site's URLs plus a view that fails, for the 500 page test."""

from django.urls import path

from xinfang.urls import handler400, handler403, handler404, handler500  # noqa: F401
from xinfang.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *site_patterns]
