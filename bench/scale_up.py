"""Grow a seeded demo database to benchmark volume on PostgreSQL by copying its cases in SQL.

The demo's bulk path plays every case through the workflow rules (about 60 cases a second on two cores), so
a million cases would take hours. For read benchmarks (lists, searches) the database only needs the shape of
real data at volume: this copies the seeded cases K times in three INSERT … SELECT statements, each copy
with its own number (year, seq + k·1,000,000), its own petitioners (ID numbers and phones rewritten per copy,
names kept: a common name is shared by many people, as in life), party rows and routings to the same units.
Events and documents are not copied; `copy_rollup_states` gives the copies their rollup shares.

    from bench.scale_up import scale_up; scale_up(1_000_000)
"""

from __future__ import annotations

from django.db import connection

from xinfang.analytics.cohorts import rebuild_units
from xinfang.analytics.models import COHORT_COUNTERS, CaseRollupState, CohortRollup, UnitRollup
from xinfang.cases.models import Case, CasePetitioner, CaseRouting, Petitioner

STEP = 1_000_000  # copy k gets seq + k·STEP (the demo's sequences stay far below it)


def _columns(model, skip: set[str]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def scale_up(target: int) -> int:
    """Copy the existing cases until there are at least `target`; return the number of cases now. Resumable:
    copies already made are linked to their petitioners and units if an earlier run stopped before that."""
    assert connection.vendor == "postgresql", "scale_up needs PostgreSQL"
    originals = Case.objects.filter(seq__lt=STEP).count()
    total = Case.objects.count()
    if originals == 0:
        return total
    case_t, pet_t = Case._meta.db_table, Petitioner._meta.db_table
    with connection.cursor() as cur:
        if total < target:
            cur.execute(f"SELECT coalesce(max(seq), 0) / %s FROM {case_t}", [STEP])
            done = cur.fetchone()[0]  # copies made by an earlier call: the next one starts after them
            copies = -(-(target - total) // originals)
            case_cols = _columns(Case, {"id", "number", "seq"})
            pet_cols = _columns(Petitioner, {"id", "id_number", "phone"})
            cur.execute(
                f"CREATE TEMP TABLE copies AS SELECT generate_series({done + 1}, {done + copies}) AS k"
            )
            cur.execute(
                f"INSERT INTO {case_t} (number, seq, {', '.join(case_cols)}) "
                f"SELECT {NEW_NUMBER}, c.seq + k * %s, {', '.join('c.' + col for col in case_cols)} "
                f"FROM {case_t} c CROSS JOIN copies WHERE c.seq < %s",
                [STEP, STEP, STEP],
            )
            cur.execute(
                f"INSERT INTO {pet_t} (id_number, phone, {', '.join(pet_cols)}) "
                f"SELECT {NEW_ID}, {NEW_PHONE}, {', '.join('p.' + col for col in pet_cols)} "
                f"FROM {pet_t} p CROSS JOIN copies WHERE (p.id_number <> '' OR p.phone <> '') AND p.id <= %s",
                [_originals_last_petitioner(cur)],
            )
            cur.execute("DROP TABLE copies")
        _link(cur)
        cur.execute("ANALYZE")
    return Case.objects.count()


NEW_NUMBER = "'XF-' || c.year || '-' || lpad((c.seq + k * %s)::text, 9, '0')"
# Positions 7–10 of an ID number are the birth year: the copy number takes their place (unique per copy).
NEW_ID = (
    "CASE WHEN p.id_number = '' THEN '' "
    "ELSE substr(p.id_number, 1, 6) || lpad(k::text, 4, '0') || substr(p.id_number, 11) END"
)
NEW_PHONE = "CASE WHEN p.phone = '' THEN '' ELSE left(p.phone, 3) || lpad(((k * 7919 + p.id) %% 100000000)::text, 8, '0') END"


def _originals_last_petitioner(cur) -> int:
    """The highest petitioner id the original cases name (every copy lies above it)."""
    cp_t, case_t = CasePetitioner._meta.db_table, Case._meta.db_table
    cur.execute(
        f"SELECT coalesce(max(cp.petitioner_id), 0) FROM {cp_t} cp JOIN {case_t} c ON c.id = cp.case_id "
        f"WHERE c.seq < %s",
        [STEP],
    )
    return cur.fetchone()[0]


def _link(cur) -> None:
    """Parties and routings for the copies that have none yet, each copy k of case c to copy k of c's people."""
    case_t, pet_t = Case._meta.db_table, Petitioner._meta.db_table
    cp_t, rt_t = CasePetitioner._meta.db_table, CaseRouting._meta.db_table
    cur.execute(
        f"CREATE TEMP TABLE case_map AS SELECT c.id AS src, n.id AS dst, n.seq / %s AS k "
        f"FROM {case_t} n JOIN {case_t} c ON c.year = n.year AND c.seq = n.seq %% %s "
        f"WHERE n.seq >= %s AND NOT EXISTS (SELECT 1 FROM {cp_t} x WHERE x.case_id = n.id)",
        [STEP, STEP, STEP],
    )
    cur.execute("SELECT min(k), max(k) FROM case_map")
    first, last = cur.fetchone()
    if not last:
        cur.execute("DROP TABLE case_map")
        return
    # The people the originals name, and their copies found by the rewritten keys (both indexed).
    cur.execute(
        f"CREATE TEMP TABLE pet_map AS SELECT p.id AS src, n.id AS dst, k FROM "
        f"(SELECT DISTINCT petitioner_id FROM {cp_t} cp JOIN {case_t} c ON c.id = cp.case_id WHERE c.seq < %s) o "
        f"JOIN {pet_t} p ON p.id = o.petitioner_id CROSS JOIN generate_series(%s, %s) k "
        f"JOIN LATERAL (SELECT n.id FROM {pet_t} n WHERE n.id_number = ({NEW_ID}) AND n.phone = ({NEW_PHONE}) "
        f"AND n.id <> p.id ORDER BY n.id LIMIT 1) n ON true",
        [STEP, first, last],
    )
    cur.execute("CREATE INDEX ON case_map (src, k)")
    cur.execute("CREATE INDEX ON pet_map (src, k)")
    cur.execute("ANALYZE case_map")
    cur.execute("ANALYZE pet_map")
    cur.execute(
        f"INSERT INTO {cp_t} (case_id, petitioner_id, is_primary, is_representative) "
        f"SELECT cm.dst, pm.dst, cp.is_primary, cp.is_representative FROM {cp_t} cp "
        f"JOIN case_map cm ON cm.src = cp.case_id JOIN pet_map pm ON pm.src = cp.petitioner_id AND pm.k = cm.k"
    )
    cur.execute(
        f"INSERT INTO {rt_t} (case_id, unit_id, kind, routed_at) "
        f"SELECT cm.dst, r.unit_id, r.kind, r.routed_at FROM {rt_t} r JOIN case_map cm ON cm.src = r.case_id"
    )
    cur.execute("DROP TABLE case_map, pet_map")


def copy_rollup_states() -> int:
    """Give each copy its original's recorded rollup share (a copy has the same dates, units, categories and
    outcomes, so the same share), then re-sum CohortRollup from every case's share in one GROUP BY: the rollups
    of a scaled-up database without playing a million cases through `cohorts.rebuild`. Returns the rollup rows."""
    assert connection.vendor == "postgresql", "copy_rollup_states needs PostgreSQL"
    case_t, state_t = Case._meta.db_table, CaseRollupState._meta.db_table
    roll_t = CohortRollup._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {state_t} (case_id, shares) SELECT n.id, s.shares FROM {case_t} n "
            f"JOIN {case_t} c ON c.year = n.year AND c.seq = n.seq %% %s JOIN {state_t} s ON s.case_id = c.id "
            f"WHERE n.seq >= %s AND NOT EXISTS (SELECT 1 FROM {state_t} x WHERE x.case_id = n.id)",
            [STEP, STEP],
        )
        sums = ", ".join(f"sum(coalesce((e->1->>'{name}')::bigint, 0))" for name in COHORT_COUNTERS)
        cur.execute(f"DELETE FROM {roll_t}")
        cur.execute(
            f"INSERT INTO {roll_t} (kind, day, unit_id, category_id, channel, nature, place, "
            f"{', '.join(COHORT_COUNTERS)}) "
            f"SELECT e->0->>0, (e->0->>1)::date, (e->0->>2)::int, (e->0->>3)::int, e->0->>4, e->0->>5, "
            f"(e->0->>6)::int, {sums} FROM {state_t} s CROSS JOIN LATERAL jsonb_array_elements(s.shares) e "
            f"GROUP BY 1, 2, 3, 4, 5, 6, 7"
        )
    rebuild_units()  # UnitRollup is derived from CohortRollup
    with connection.cursor() as cur:
        cur.execute(
            f"VACUUM ANALYZE {state_t}, {roll_t}, {UnitRollup._meta.db_table}"
        )  # DELETEs left dead rows
    return CohortRollup.objects.count()
