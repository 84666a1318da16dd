import pytest

from tests.factories import make_district
from xinfang.calendar.services import clear_cache


def pytest_configure(config):
    # The production PBKDF2 (1,000,000 iterations) costs 0.6 s per user created; tests need no strength.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    return make_district()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Cached holiday years must not outlive the test (and its rolled-back override rows).
    clear_cache()
    yield
    clear_cache()
