import pytest

from tests.factories import make_district
from xinfang.calendar.services import clear_cache


@pytest.fixture
def district(db):
    return make_district()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Cached holiday years must not outlive the test (and its rolled-back override rows).
    clear_cache()
    yield
    clear_cache()
