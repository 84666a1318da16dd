"""/api/docs works offline: Swagger UI comes from this server's static files, no external host."""

import re

from django.test import Client


def test_the_docs_page_references_no_external_host():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), html
