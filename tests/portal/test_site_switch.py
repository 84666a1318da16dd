"""XINFANG_SITE=portal serves only the public URLs: portal pages, /api/public/ and static files."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches

import xinfang.urls

STAFF_URLS = [
    "/login/",
    "/logout/",
    "/cases/",
    "/cases/register/",
    "/cases/1/",
    "/calendar/",
    "/performance/",
    "/triage/",
    "/admin/",
    "/admin/login/",
    "/api/cases/",
    "/api/docs",
    "/api/openapi.json",
    "/portal/staff/exemptions/",
    "/portal/staff/cases/1/evaluation/",
]


@pytest.fixture
def portal_site(settings):
    settings.XINFANG_SITE = "portal"
    importlib.reload(xinfang.urls)
    clear_url_caches()
    yield
    settings.XINFANG_SITE = "full"
    importlib.reload(xinfang.urls)
    clear_url_caches()


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_URLS)
def test_portal_only_site_serves_no_staff_url(portal_site, client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.django_db
def test_portal_only_site_serves_the_public_pages_and_api(portal_site, client, district):
    assert client.get("/").status_code == 302
    for url in (
        "/portal/",
        "/portal/submit/",
        "/portal/suggest/",
        "/portal/track/",
        "/api/public/categories/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/public/petitions/AAAA/?phone4=1234").status_code == 404
    paths = client.get("/api/public/openapi.json").json()["paths"]
    assert paths and all(p.startswith("/api/public/") for p in paths)


@pytest.mark.django_db
def test_full_site_serves_both(client):
    assert client.get("/portal/").status_code == 200
    assert client.get("/login/").status_code == 200
