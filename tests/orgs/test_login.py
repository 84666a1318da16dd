import pytest
from django.test import Client

from tests.factories import PASSWORD, make_district, make_user
from xinfang.audit.models import AuditEvent
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese():
    body = Client().get("/login/").content.decode()
    assert "用户登录" in body and 'lang="zh-CN"' in body


def test_anonymous_users_are_sent_to_login():
    response = Client().get("/cases/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_good_login_is_audited_and_lands_on_cases():
    user = make_user(Role.REGISTRAR, make_district().bureau, username="reg")
    response = Client().post("/login/", {"username": "reg", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=user).exists()


def test_a_wrong_password_gets_a_chinese_error():
    make_user(Role.REGISTRAR, make_district().bureau, username="reg")
    body = Client().post("/login/", {"username": "reg", "password": "wrong"}).content.decode()
    assert "用户名或密码错误" in body


def test_login_is_throttled_after_repeated_failures():
    make_user(Role.REGISTRAR, make_district().bureau, username="reg")
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "reg", "password": "wrong"})
    body = client.post("/login/", {"username": "reg", "password": PASSWORD}).content.decode()
    assert "登录失败次数过多" in body
    assert "_auth_user_id" not in client.session


def test_home_sends_each_role_to_its_work():
    d = make_district()
    for role, org, target in (
        (Role.FINANCE, d.bureau, "/performance/"),
        (Role.REGISTRAR, d.bureau, "/cases/?todo=on"),
        (Role.HANDLER, d.units[0], "/cases/?todo=on"),
        (Role.UNIT_HEAD, d.units[0], "/cases/?todo=on"),
        (Role.LEADER, d.bureau, "/dashboard/"),
        (Role.SUPERVISOR, d.bureau, "/supervision/"),
        (Role.AUDITOR, d.bureau, "/cases/"),
    ):
        user = make_user(role, org)
        client = Client()
        client.force_login(user)
        assert client.get("/")["Location"] == target


def test_navigation_offers_each_role_only_its_pages():
    d = make_district()

    def links(user):
        client = Client()
        client.force_login(user)
        return client.get("/performance/" if user.role == Role.FINANCE else "/cases/").content.decode()

    registrar = links(make_user(Role.REGISTRAR, d.bureau))
    assert 'href="/cases/register/"' in registrar and 'href="/triage/hotspots/"' in registrar
    assert 'href="/performance/"' not in registrar
    handler = links(make_user(Role.HANDLER, d.units[0]))
    assert 'href="/cases/register/"' not in handler and 'href="/triage/hotspots/"' not in handler
    finance = links(make_user(Role.FINANCE, d.bureau))
    assert 'href="/performance/"' in finance and 'href="/cases/"' not in finance


def test_everyone_who_may_open_the_statistics_finds_them_in_the_navigation():
    """The UI review: registrars, administrators and auditors could open /dashboard/ but had no link to it."""
    from xinfang.analytics.params import STATS_ROLES
    from xinfang.orgs.context_processors import DASHBOARD_ROLES, PERF_READ_ROLES
    from xinfang.performance.access import READ_ROLES

    assert DASHBOARD_ROLES == STATS_ROLES and PERF_READ_ROLES == READ_ROLES
    d = make_district()
    client = Client()
    client.force_login(make_user(Role.REGISTRAR, d.bureau))
    assert 'href="/dashboard/"' in client.get("/cases/").content.decode()
