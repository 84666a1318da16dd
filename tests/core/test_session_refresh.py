"""The idle timeout slides without a session write on every request (core/sessions.py)."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import PASSWORD, make_district, make_user
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_a_session_is_renewed_once_per_interval_and_expires_when_idle(settings):
    settings.SESSION_REFRESH_SECONDS = 300
    settings.SESSION_COOKIE_AGE = 3600
    user = make_user(Role.REGISTRAR, make_district().bureau)
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False) as clock:
        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        assert c.get("/cases/").status_code == 200
        first = Session.objects.get().expire_date
        clock.shift(60)  # within the interval: read, not written
        assert c.get("/cases/").status_code == 200
        assert Session.objects.get().expire_date == first
        clock.shift(300)  # past it: renewed, the idle timeout counts from now
        assert c.get("/cases/").status_code == 200
        renewed = Session.objects.get().expire_date
        assert (renewed - first).total_seconds() == 360
        clock.shift(3601)  # idle longer than SESSION_COOKIE_AGE: logged out
        response = c.get("/cases/")
        assert response.status_code == 302 and "/login/" in response["Location"]
