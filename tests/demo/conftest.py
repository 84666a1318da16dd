"""One small demo district, seeded once per module (seeding plays every case through the engine)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed 80 cases over one year (rolled back after the module)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        out, err = StringIO(), StringIO()
        call_command("seed_demo", cases=80, years=1, stdout=out, stderr=err)
        try:
            yield out.getvalue(), err.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
