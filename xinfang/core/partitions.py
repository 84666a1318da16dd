"""Cases and their events partitioned by registration year on PostgreSQL (declarative range partitions).

PostgreSQL wants every unique key of a partitioned table to contain the partition key, so the cases' primary
key becomes (id, year), 信访件编号 is unique per (number, year) (the number spells its year, so it stays unique)
and no plain foreign key can point at `cases_case(id)` any more. References to a partitioned table are kept
by a pair of deferred constraint triggers instead (made by the SQL function `xinfang_add_fk`): like Django's foreign keys they are checked at commit (or at
`SET CONSTRAINTS ALL IMMEDIATE`) and raise foreign_key_violation. The database backend `xinfang.core.db`
creates such a pair for any foreign key to a partitioned table that a later migration adds, so models keep
declaring ordinary ForeignKeys. Ids still come from one sequence per table, so an id alone names a row.

Each year has its partition (`cases_case_y2026`), and a default partition catches a year nobody created; the
daily job `ensure_partitions` creates this year's and next year's ahead of time, and moves any rows of that
year out of the default partition first. SQLite keeps plain tables: every function here returns at once there.
"""

from __future__ import annotations

import re

from django.db import connection as default_connection
from django.db import transaction

# table → its partition key (both a registration year).
PARTITIONED = {"cases_caseevent": "case_year", "cases_case": "year"}  # events first: see partition_table

FUNCTIONS_SQL = [
    r"""
CREATE OR REPLACE FUNCTION xinfang_add_fk(child text, col text, parent text, pcol text, ckey text DEFAULT 'id')
RETURNS void
LANGUAGE plpgsql AS $$
-- FOREIGN KEY (child.col) REFERENCES parent(pcol) DEFERRABLE INITIALLY DEFERRED, as two constraint triggers:
-- <child>_<col>_fk_<tag> on the child checks the row it names exists, <child>_<col>_rk_<tag> on the parent
-- refuses to let a still-named row go (a row that only moved to another partition is still present). Each has
-- its own function with static SQL, so its plan is cached; an unchanged key on UPDATE costs nothing. As with
-- PostgreSQL's own foreign keys, a deferred check of a row deleted (or re-pointed) since passes: the row that
-- counts is the one present at the check (found again by its key column ckey).
DECLARE
  base text := left(child || '_' || col, 40);
  tag text := substr(md5(child || '.' || col || '>' || parent), 1, 8);
BEGIN
  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF NEW.%I IS NULL THEN RETURN NULL; END IF;
      IF TG_OP = 'UPDATE' THEN
        IF NEW.%I IS NOT DISTINCT FROM OLD.%I THEN RETURN NULL; END IF;
      END IF;
      PERFORM 1 FROM %I WHERE %I = NEW.%I AND %I = NEW.%I;
      IF NOT FOUND THEN RETURN NULL; END IF;
      PERFORM 1 FROM %I WHERE %I = NEW.%I;
      IF NOT FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = 'insert or update on table ' || TG_TABLE_NAME
          || ' violates foreign key ' || TG_NAME || ': ' || %L || '=' || NEW.%I || ' is not present in ' || %L;
      END IF;
      RETURN NULL;
    END $body$ $f$,
    'xinfang_fk_' || tag, col, col, col, child, ckey, ckey, col, col, parent, pcol, col, col, col, parent);
  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF NEW.%I IS NOT DISTINCT FROM OLD.%I THEN RETURN NULL; END IF;
      END IF;
      PERFORM 1 FROM %I WHERE %I = OLD.%I;
      IF FOUND THEN RETURN NULL; END IF;
      PERFORM 1 FROM %I WHERE %I = OLD.%I;
      IF FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = 'update or delete on table ' || %L || ' violates foreign key '
          || TG_NAME || ': ' || %L || '=' || OLD.%I || ' is still referenced from ' || %L;
      END IF;
      RETURN NULL;
    END $body$ $f$,
    'xinfang_rk_' || tag, pcol, pcol, parent, pcol, pcol, child, col, pcol, parent, pcol, pcol, child);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_fk_' || tag, child);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_rk_' || tag, parent);
  EXECUTE format(
    'CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OF %I ON %I DEFERRABLE INITIALLY DEFERRED '
    'FOR EACH ROW EXECUTE FUNCTION %I()', base || '_fk_' || tag, col, child, 'xinfang_fk_' || tag);
  EXECUTE format(
    'CREATE CONSTRAINT TRIGGER %I AFTER DELETE OR UPDATE OF %I ON %I DEFERRABLE INITIALLY DEFERRED '
    'FOR EACH ROW EXECUTE FUNCTION %I()', base || '_rk_' || tag, pcol, parent, 'xinfang_rk_' || tag);
END $$""",
    r"""
CREATE OR REPLACE FUNCTION xinfang_drop_fk(child text, col text, parent text) RETURNS void
LANGUAGE plpgsql AS $$
-- Undo xinfang_add_fk (the child's table or column is going away).
DECLARE
  base text := left(child || '_' || col, 40);
  tag text := substr(md5(child || '.' || col || '>' || parent), 1, 8);
BEGIN
  IF to_regclass(child) IS NOT NULL THEN
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_fk_' || tag, child);
  END IF;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_rk_' || tag, parent);
  EXECUTE format('DROP FUNCTION IF EXISTS %I()', 'xinfang_fk_' || tag);
  EXECUTE format('DROP FUNCTION IF EXISTS %I()', 'xinfang_rk_' || tag);
END $$""",
]


def _postgres(connection) -> bool:
    return connection.vendor == "postgresql"


def install_functions(connection=default_connection) -> None:
    if not _postgres(connection):
        return
    with connection.cursor() as cursor:
        for sql in FUNCTIONS_SQL:
            cursor.execute(sql)


def is_partitioned(table: str, connection=default_connection) -> bool:
    if not _postgres(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row and row[0])


def add_fk_sql(child: str, column: str, parent: str, parent_column: str, child_key: str = "id") -> str:
    """The statement that keeps child.column → parent(parent_column) when parent is partitioned (child_key: a
    column that finds the child's row again, its primary key)."""
    names = (child, column, parent, parent_column, child_key)
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
        raise ValueError(f"unexpected identifier in {names}")
    return "SELECT xinfang_add_fk('{}', '{}', '{}', '{}', '{}')".format(*names)


def drop_fk_sql(child: str, column: str, parent: str) -> str:
    names = (child, column, parent)
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", n) for n in names):
        raise ValueError(f"unexpected identifier in {names}")
    return "SELECT xinfang_drop_fk('{}', '{}', '{}')".format(*names)


def partition_names(table: str, connection=default_connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        return [r[0] for r in cursor.fetchall()]


def partition_table(table: str, key: str, years: set[int], connection=default_connection) -> None:
    """Rebuild an ordinary table as a partitioned one (same name, columns, indexes, checks and rows).

    The references to it become trigger pairs first (a foreign key cannot name a partitioned table's id), its
    own outgoing foreign keys are recreated on the new table. Run it for the events before the cases: the
    events' reference to the cases must still be a real foreign key when the events table is rebuilt, or its
    trigger would be lost with the old table.
    """
    if not _postgres(connection) or is_partitioned(table, connection):
        return
    old = f"{table}__unpartitioned"
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conname, c.conrelid::regclass::text, a.attname, af.attname
               FROM pg_constraint c
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
               JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
               WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = to_regclass(%s)""",
            [table],
        )
        references = cursor.fetchall()
        cursor.execute(
            """SELECT c.conname, pg_get_constraintdef(c.oid), c.confrelid::regclass::text, a.attname, af.attname
               FROM pg_constraint c
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
               JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
               WHERE c.contype = 'f' AND c.conrelid = to_regclass(%s) AND c.confrelid <> c.conrelid""",
            [table],
        )
        outgoing = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), con.conname, con.contype,
                      ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)
               FROM pg_index i LEFT JOIN pg_constraint con
                 ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
               WHERE i.indrelid = to_regclass(%s)""",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'SELECT DISTINCT "{key}" FROM "{table}"')  # noqa: S608 (names from PARTITIONED)
        years = years | {r[0] for r in cursor.fetchall()}

        for name, child, _column, _parent_column in references:
            cursor.execute(f'ALTER TABLE "{child}" DROP CONSTRAINT "{name}"')
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
        for name, _definition, constraint, _kind, _columns in indexes:
            if constraint:
                cursor.execute(f'ALTER TABLE "{old}" DROP CONSTRAINT "{constraint}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) '
            f'PARTITION BY RANGE ("{key}")'
        )
        for year in sorted(years):
            _create_partition(cursor, table, year)
        cursor.execute(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
        for name, definition, constraint, kind, columns in indexes:
            if kind in ("p", "u"):
                columns = [*columns, key] if key not in columns else columns
                what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
                cols = ", ".join(f'"{c}"' for c in columns)
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {what} ({cols})')
            elif " UNIQUE " in f" {definition.split(' ON ')[0]} ":
                raise RuntimeError(f"{name}: a unique index without the partition key cannot be kept")
            else:
                cursor.execute(definition)
        cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')  # noqa: S608
        cursor.execute(f'DROP TABLE "{old}"')
        cursor.execute(f'CREATE SEQUENCE "{table}_id_seq" OWNED BY "{table}"."id"')
        highest = f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"'  # noqa: S608
        cursor.execute(f"""SELECT setval('"{table}_id_seq"', ({highest}), false)""")
        cursor.execute(f"""ALTER TABLE "{table}" ALTER COLUMN "id" SET DEFAULT nextval('"{table}_id_seq"')""")
        for name, definition, parent, column, parent_column in outgoing:
            if is_partitioned(parent, connection):
                cursor.execute(add_fk_sql(table, column, parent, parent_column))
            else:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _name, child, column, parent_column in references:
            cursor.execute(add_fk_sql(child, column, table, parent_column, _key_column(cursor, child)))


def _key_column(cursor, table: str) -> str:
    """The first column of a table's primary key (id, also in a partitioned table's (id, year))."""
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
        "WHERE i.indrelid = to_regclass(%s) AND i.indisprimary",
        [table],
    )
    return cursor.fetchone()[0]


def _create_partition(cursor, table: str, year: int) -> None:
    cursor.execute(
        f'CREATE TABLE "{table}_y{year}" PARTITION OF "{table}" FOR VALUES FROM ({year}) TO ({year + 1})'
    )


def ensure_year(year: int, connection=default_connection) -> list[str]:
    """Give `year` its own partition in every partitioned table (rows already in the default partition move).

    Returns the partitions it created. Idempotent; the daily job runs it for this year and the next.
    """
    if not _postgres(connection):
        return []
    created = []
    for table, key in PARTITIONED.items():
        if not is_partitioned(table, connection) or f"{table}_y{year}" in partition_names(table, connection):
            continue
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            part, default = f"{table}_y{year}", f"{table}_default"
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{default}" WHERE "{key}" = %s)', [year])  # noqa: S608
            if cursor.fetchone()[0]:
                # A row of this year sits in the default partition: the new partition cannot be declared over
                # it, so it is built beside the table, the rows move into it, and then it is attached.
                cursor.execute(
                    f'CREATE TABLE "{part}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
                )
                cursor.execute(
                    f'WITH moved AS (DELETE FROM "{default}" WHERE "{key}" = %s RETURNING *) '  # noqa: S608
                    f'INSERT INTO "{part}" SELECT * FROM moved',
                    [year],
                )
                cursor.execute(
                    f'ALTER TABLE "{table}" ATTACH PARTITION "{part}" FOR VALUES FROM ({year}) TO ({year + 1})'
                )
            else:
                _create_partition(cursor, table, year)
        created.append(f"{table}_y{year}")
    return created
