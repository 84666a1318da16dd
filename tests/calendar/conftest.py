import pytest

from xinfang.calendar.services import clear_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Override rows vanish with each test's rollback, so the per-process year cache must too."""
    clear_cache()
    yield
    clear_cache()
