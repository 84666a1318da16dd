"""403, 404 and 500 pages are in Chinese, inside the site's frame, with a reason a user understands."""

import pytest
from django.test import Client, RequestFactory

from tests.factories import make_case, make_district, make_user
from xinfang.core import error_pages
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_unknown_page_is_a_chinese_404_with_the_navigation():
    user = make_user(Role.REGISTRAR, make_district().bureau)
    response = _client(user).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'lang="zh-CN"' in body
    assert 'href="/cases/"' in body  # the site's navigation
    assert "no-such-page" not in body and "tried" not in body


def test_a_case_out_of_scope_is_a_404_saying_why():
    d = make_district()
    case = make_case(unit=d.units[0])
    other = make_user(Role.HANDLER, d.units[1])
    body = _client(other).get(f"/cases/{case.pk}/").content.decode()
    assert "信访件不存在或无权查看" in body


def test_a_refused_action_is_a_chinese_403_giving_the_reason():
    handler = make_user(Role.HANDLER, make_district().units[0])
    response = _client(handler).get("/cases/register/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问" in body and "您没有登记信访事项的权限" in body


def test_django_s_english_messages_are_not_shown():
    assert error_pages.user_reason(PermissionError("No Case matches the given query.")) == ""
    assert error_pages.user_reason(PermissionError({"path": "x", "tried": []})) == ""


def test_a_failed_csrf_check_is_explained_in_chinese():
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.urls("tests.core.urls_boom")
def test_a_crash_is_a_chinese_500_in_the_site_frame():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统暂时出现错误" in body and "信访工作与绩效管理平台" in body and "boom" not in body


def test_the_500_page_touches_neither_the_request_nor_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")  # no user, no session: nothing a failing database could break
    with django_assert_num_queries(0):
        response = error_pages.server_error(request)
    assert response.status_code == 500 and "系统暂时出现错误" in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(error_pages, "render_to_string", broken)
    response = error_pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "系统暂时出现错误" in response.content.decode()
