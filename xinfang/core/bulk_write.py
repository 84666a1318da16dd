"""Writing many cases at once: COPY on PostgreSQL, bulk_create elsewhere. One writer for every bulk path
(the ledger import, the benchmark seed).

Rows are plain tuples in the table's column order (`Table.maker` builds them from the few values a caller
has, the model's defaults filling the rest), so no ORM object is made per row. Rows that other rows point
at (cases, petitioners, the seed's events) get their ids first, in one round trip, from the table's own
sequence (`take_ids`): on PostgreSQL the cases and events tables are to be partitioned by year, where the
id default is a plain owned sequence, not an identity column, and COPY into the partitioned parent routes
each row. Callers wrap everything in one transaction: all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

Row = Sequence[Any]
CHUNK = 2000  # values per IN list where parameters are bound one by one (SQLite allows 32766)


class Table:
    """One model's columns in insert order, with its defaults; `with_id=False` leaves the id to the
    database (for rows nothing points at)."""

    def __init__(self, model: type[models.Model], *, with_id: bool = True):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.attnames = tuple(f.attname for f in self.fields)
        self.columns = tuple(f.column for f in self.fields)
        self.position = {name: i for i, name in enumerate(self.attnames)}
        self.blank = [f.get_default() for f in self.fields]  # "" for a text field without a default
        self.json = tuple(
            (i, f.encoder) for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)
        )

    def maker(self, *names: str) -> Callable[..., list]:
        """A function taking the values of `names` (in that order) and returning a full row."""
        places = [self.position[n] for n in names]
        blank = self.blank

        def make(*values: Any) -> list:
            row = blank.copy()
            for place, value in zip(places, values, strict=True):
                row[place] = value
            return row

        return make

    def from_object(self, obj: models.Model) -> list:
        """A row from an unsaved model instance (its related objects' ids read now, as bulk_create does)."""
        row = []
        for f in self.fields:
            if f.is_relation and f.is_cached(obj):
                related = f.get_cached_value(obj)
                row.append(None if related is None else related.pk)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                row.append(f.pre_save(obj, add=True))
            else:
                row.append(getattr(obj, f.attname))
        return row


@cache
def table(model: type[models.Model], with_id: bool = True) -> Table:
    return Table(model, with_id=with_id)


def take_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` fresh primary keys for `model`, in one round trip. Call inside the transaction that inserts them."""
    if n <= 0:
        return []
    name, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [name, pk, n]
            )
            return [r[0] for r in cursor.fetchall()]
        # SQLite (AUTOINCREMENT): above every id used so far, deleted ones included. The transaction holds the
        # write lock from its start (transaction_mode IMMEDIATE), so no one takes the same ids meanwhile.
        cursor.execute(f"SELECT coalesce(max({pk}), 0) FROM {name}")  # noqa: S608
        top = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = %s", [name])
        top = max(top, cursor.fetchone()[0])
    return list(range(top + 1, top + 1 + n))


def among(field: str, values: list[str]) -> list[Q]:
    """Filters for the text `field` IN `values`: on PostgreSQL one array parameter (`= ANY` over unnest; thousands of
    placeholders cost more to build than to run), elsewhere chunks within SQLite's limit on parameters."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        return [Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::text[])", [list(values)])})]
    return [Q(**{f"{field}__in": values[i : i + CHUNK]}) for i in range(0, len(values), CHUNK)]


def insert(tbl: Table, rows: Iterable[Row]) -> int:
    """Insert `rows` (each in `tbl`'s column order); returns how many."""
    if connection.vendor == "postgresql":
        return _copy(tbl, rows)
    objs = [tbl.model(**dict(zip(tbl.attnames, row, strict=True))) for row in rows]
    tbl.model.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def _copy(tbl: Table, rows: Iterable[Row]) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in tbl.columns)
    sql = f"COPY {quote(tbl.model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(sql) as copy:
            write = copy.write_row
            if tbl.json:
                for row in rows:
                    row = list(row)
                    for i, encoder in tbl.json:
                        if row[i] is not None:
                            row[i] = json.dumps(row[i], cls=encoder, ensure_ascii=False)
                    write(row)
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
    return count
