"""PostgreSQL: cases and events partitioned by registration year (xinfang/core/partitions.py).

The whole suite already runs on the partitioned tables when DATABASE_URL is PostgreSQL; these tests show the
partitions themselves: where rows land, which partitions a query reads, the yearly job, and the foreign keys
that became trigger pairs. SQLite has no partitions, so they run on PostgreSQL only (.ci/run runs them).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import isolate_apps

from tests.factories import make_case, make_district, make_user
from xinfang.analytics import metrics
from xinfang.cases.models import Case, CaseEvent
from xinfang.cases.selectors import filtered_cases
from xinfang.core import partitions
from xinfang.jobs import services as job_services
from xinfang.orgs.roles import Role

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="分区表仅用于 PostgreSQL"),
    pytest.mark.django_db,
]


def _partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def years():
    """Partitions for 2024 and 2025 beside the migration's (this year, next year)."""
    for year in (2024, 2025):
        partitions.ensure_year(year)
    return (2024, 2025)


def test_cases_and_events_are_partitioned_by_year_with_a_default():
    for table in ("cases_case", "cases_caseevent"):
        assert partitions.is_partitioned(table)
        names = partitions.partition_names(table)
        this_year = date.today().year
        assert f"{table}_y{this_year}" in names and f"{table}_y{this_year + 1}" in names
        assert f"{table}_default" in names


def test_a_case_and_its_events_land_in_their_registration_year(years):
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    case = make_case(registered_by=registrar, received=date(2024, 5, 6))
    event = CaseEvent.objects.get(case=case)
    assert event.case_year == 2024
    assert _partition_of("cases_case", case.pk) == "cases_case_y2024"
    assert _partition_of("cases_caseevent", event.pk) == "cases_caseevent_y2024"


def test_list_statistics_and_timeline_queries_read_only_the_years_they_need(years):
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    case = make_case(registered_by=registrar, received=date(2025, 3, 3))

    listed = filtered_cases(registrar, {"date_from": date(2025, 1, 10)}).explain()
    assert "cases_case_y2025" in listed and "cases_case_y2024" not in listed

    counted = Case.objects.filter(metrics.registered_in(date(2024, 2, 1), date(2024, 2, 29))).explain()
    assert "cases_case_y2024" in counted and "cases_case_y2025" not in counted
    assert "cases_case_default" not in counted

    timeline = CaseEvent.objects.of(case).explain()
    assert "cases_caseevent_y2025" in timeline and "cases_caseevent_y2024" not in timeline

    everything = filtered_cases(registrar, {}).explain()
    assert "cases_case_y2024" in everything and "cases_case_y2025" in everything


def test_the_yearly_job_creates_next_years_partition_and_moves_rows_out_of_the_default():
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    stray = make_case(registered_by=registrar, received=date(2031, 1, 5))  # a year nobody created yet
    assert _partition_of("cases_case", stray.pk) == "cases_case_default"

    result = job_services.ensure_partitions(date(2030, 12, 31))
    assert set(result["created"]) == {
        "cases_case_y2030", "cases_caseevent_y2030", "cases_case_y2031", "cases_caseevent_y2031",
    }  # fmt: skip
    assert _partition_of("cases_case", stray.pk) == "cases_case_y2031"
    event = CaseEvent.objects.get(case=stray)
    assert _partition_of("cases_caseevent", event.pk) == "cases_caseevent_y2031"
    connection.check_constraints()  # every reference still names a present row after the move
    assert job_services.ensure_partitions(date(2030, 12, 31)) == {"created": []}


def test_references_to_a_partitioned_table_are_still_enforced():
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    case = make_case(registered_by=registrar)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            case_id=case.pk + 10_000, case_year=case.year, at=case.registered_at, action="x"
        )
        connection.check_constraints()

    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:  # bypassing Django's cascade: the events still name the case
            cursor.execute("DELETE FROM cases_case WHERE id = %s", [case.pk])
        connection.check_constraints()

    case.delete()  # Django deletes the dependants first, as it does with real foreign keys
    connection.check_constraints()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()


def test_the_case_number_stays_unique():
    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    case = make_case(registered_by=registrar)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_case(registered_by=registrar, number=case.number, seq=case.seq + 500)


@isolate_apps("xinfang.cases")
def test_a_later_migration_adding_a_reference_to_cases_gets_the_trigger_pair():
    class Note(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE)

        class Meta:
            app_label = "cases"
            db_table = "cases_test_note"

        def __str__(self) -> str:
            return str(self.case_id)

    registrar = make_user(Role.REGISTRAR, make_district().bureau)
    case = make_case(registered_by=registrar)
    with connection.schema_editor() as editor:
        editor.create_model(Note)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cases_test_note_case_id_%%' AND tgparentid = 0"
        )
        assert cursor.fetchone()[0] == 2  # the check on the note, the restriction on the cases

    Note.objects.create(case=case)
    connection.check_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.create(case_id=case.pk + 10_000)
        connection.check_constraints()

    with connection.schema_editor() as editor:
        editor.delete_model(Note)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'cases_test_note_case_id_%%' AND tgparentid = 0"
        )
        assert cursor.fetchone()[0] == 0
