import os
import tempfile
from pathlib import Path

import pytest

from tests.factories import make_district
from xinfang.calendar.services import clear_cache


def pytest_configure(config):
    # The production PBKDF2 (1,000,000 iterations) costs 0.6 s per user created; tests need no strength.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Test databases must not write audit anchors into the real var/ file (subprocesses inherit the env).
    anchors = Path(tempfile.mkdtemp(prefix="xf-audit-")) / "audit-anchor.jsonl"
    os.environ["XINFANG_AUDIT_ANCHOR_FILE"] = str(anchors)
    settings.AUDIT_ANCHOR_FILE = str(anchors)


@pytest.fixture(autouse=True)
def _own_audit_anchor_file(settings, tmp_path):
    # Each test its own anchor file: anchors of rows a previous test committed (then flushed) would
    # otherwise fail the chain check.
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.jsonl")


@pytest.fixture
def district(db):
    return make_district()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Cached holiday years must not outlive the test (and its rolled-back override rows).
    clear_cache()
    yield
    clear_cache()
