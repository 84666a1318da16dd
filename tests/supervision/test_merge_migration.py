"""Migration 0003 moves the former SupervisionLetter and Recommendation rows into the one Letter register."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("supervision", "0001_initial")]
AFTER = [("supervision", "0004_remove_old_letter_models")]


@pytest.fixture
def back_to_latest():
    """Leave the schema fully migrated: tests after this one on the same database (and the worker processes
    they start) need the tables of the migrations after AFTER, such as 0005's risk scan."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_letters_and_recommendations_become_numbered_letters(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Org = old.get_model("orgs", "Organisation")
    User = old.get_model("orgs", "User")
    unit = Org.objects.create(code="U1", name="区第1局", kind="department", path="/u1/")
    user = User.objects.create(username="old_officer", role="registrar")
    old.get_model("supervision", "SupervisionLetter").objects.create(
        kind="supervision",
        unit_id=unit.pk,
        content="督办",
        issued_on=date(2025, 3, 2),
        reply_due=date(2025, 3, 17),
        status="closed",
        reply="已整改",
        replied_on=date(2025, 3, 10),
        issued_by_id=user.pk,
    )
    old.get_model("supervision", "Recommendation").objects.create(
        kind="improve_policy",
        unit_id=unit.pk,
        content="建议完善政策",
        issued_on=date(2025, 4, 1),
        feedback_due=date(2025, 5, 1),
        issued_by_id=user.pk,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("supervision", "Letter").objects.order_by("issued_on")
    assert [(x.kind, x.recommendation_kind, x.number, x.status, x.feedback) for x in rows] == [
        ("urge", "", "督办〔2025〕1号", "closed", "已整改"),
        ("recommendation", "improve_policy", "建议〔2025〕1号", "open", ""),
    ]
    counters = new.get_model("supervision", "LetterCounter").objects.order_by("kind")
    assert [(c.kind, c.year, c.last) for c in counters] == [("recommendation", 2025, 1), ("urge", 2025, 1)]
    assert new.get_model("supervision", "RiskWord").objects.filter(word="自焚").exists()
