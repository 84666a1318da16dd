import importlib
import os
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db.models.signals import post_migrate

from tests.factories import make_district
from xinfang.calendar.services import clear_cache


def _reload_migrated_rows(sender, **kwargs) -> None:
    """A transactional test's teardown flushes every table, the rows the data migrations loaded included
    (content categories, risk words); Django then emits post_migrate, and this puts them back. Without it a
    later test in the same process (with pytest-xdist, tests of both kinds interleave) finds them missing."""
    if kwargs.get("using") != "default" or getattr(sender, "label", "") != "supervision":
        return
    from xinfang.cases.categories import load_default_categories
    from xinfang.cases.models import Category
    from xinfang.supervision.models import RiskWord

    if not Category.objects.exists():
        load_default_categories()
    if not RiskWord.objects.exists():
        words = importlib.import_module("xinfang.supervision.migrations.0003_merge_letters_data").RISK_WORDS
        RiskWord.objects.bulk_create([RiskWord(word=w) for w in words])


def pytest_configure(config):
    # The production PBKDF2 (1,000,000 iterations) costs 0.6 s per user created; tests need no strength.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    post_migrate.connect(_reload_migrated_rows, dispatch_uid="tests-reload-migrated-rows")
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


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    # The cached list counts are keyed by the audit trail's length, which a rolled-back test resets: a later
    # test with the same ids and length must count its own rows.
    cache.clear()
    yield
    cache.clear()
