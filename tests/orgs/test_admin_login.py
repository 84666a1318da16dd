"""/admin/login/ shares the lockout and the audit of /login/."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_district, make_user
from xinfang.audit.models import AuditEvent
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _staff(username="boss"):
    user = make_user(Role.REGISTRAR, make_district().bureau, username=username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_admin_login_is_locked_after_repeated_failures():
    _staff()
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    body = client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).content.decode()
    assert "登录失败次数过多" in body
    assert "_auth_user_id" not in client.session


def test_failures_on_either_login_page_count_towards_one_lockout():
    _staff()
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "boss", "password": "wrong"})
    body = client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).content.decode()
    assert "登录失败次数过多" in body
    assert "_auth_user_id" not in client.session


def test_a_good_admin_login_is_audited():
    user = _staff()
    response = Client().post("/admin/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert AuditEvent.objects.filter(action="login", actor=user).exists()


def test_a_non_staff_user_cannot_enter_the_admin():
    make_user(Role.REGISTRAR, make_district().bureau, username="clerk")
    client = Client()
    body = client.post("/admin/login/", {"username": "clerk", "password": PASSWORD}).content.decode()
    assert "无权进入系统管理" in body
    assert "_auth_user_id" not in client.session
