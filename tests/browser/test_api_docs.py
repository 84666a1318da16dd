"""The API docs page renders Swagger UI offline and within the Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_from_local_static_files(page, live_server):
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector("#swagger-ui .info .title")
    assert "信访工作与绩效管理平台 API" in page.inner_text("#swagger-ui .info .title")
    assert not [u for u in external if not u.startswith("data:")], external
