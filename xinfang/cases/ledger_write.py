"""Writing a validated ledger: what `register_case` stores for one case, for every row at once.

Numbers continue the year's sequence (the import holds a transaction-scoped lock against another import, and
a registration that took a number meanwhile makes the unique (year, seq) refuse the batch, which is then
retried with fresh numbers, as `register_case` retries). Petitioners are upserted by ID number as
registration does; the repeat flag comes from the same detector (`repeats.same_petitioner_cases_many`, and
earlier rows of the same file); each case gets its register event (with `case_year`) and audit record, the
batch one more audit record naming the file's hash and the count; the rollups are brought up to date for the
new cases' keys (cheaper than a rebuild: the bench prints both). Case, event, petitioner, party, rollup-state
and audit rows go in through `bulk_write` (COPY on PostgreSQL).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from xinfang.audit.services import record, record_batch
from xinfang.core import bulk_write, clock
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.models import User

from .choices import Status
from .ledger import LedgerOutcome, LedgerRejected, LedgerRow, read_rows, validate_rows
from .models import Case, CaseEvent, CasePetitioner, Petitioner
from .permissions import LEDGER_REFUSED, can_import_ledger
from .repeats import CANDIDATES, EarlierCase, repeat_reason, same_petitioner_cases_many
from .services import _next_seq, _query_code, audit_values
from .signals import cases_registered_in_bulk
from .similarity import text_similarity
from .workflow import deadlines, rulings

LOCK_KEY = 7_358_100_1  # pg_advisory_xact_lock key of the ledger import

CASE_FIELDS = (
    "id", "number", "year", "seq", "channel", "upstream_ref", "upstream_level", "title", "content", "requests",
    "category_id", "nature", "accused_organisation_id", "place_organisation_id", "place_address", "headcount",
    "is_collective", "is_repeat_suspect", "repeat_reason", "received_date", "registered_at", "registered_by_id",
    "registering_org_id", "query_code", "search_text",
)  # fmt: skip
OPENING_FIELDS = ("status", "triage_due_date", "current_step", "due_date", "deadline_provisional")
DUE_AT = bulk_write.table(Case).position["due_date"]  # where a case row holds its running deadline
PERSON_AT = bulk_write.table(Petitioner).position  # where a petitioner row holds each field


def import_ledger(*, actor: User, content: bytes, filename: str = "") -> LedgerOutcome:
    """批量导入台账: read, validate every row as registration does, then write all new rows or nothing."""
    if not can_import_ledger(actor):
        raise ServiceError(LEDGER_REFUSED, code=ErrorCode.FORBIDDEN)
    digest = hashlib.sha256(content).hexdigest()
    rows = read_rows(content, filename)
    if not rows:
        raise LedgerRejected(["文件中没有数据行"])
    return write_ledger(validate_rows(rows, actor), actor=actor, digest=digest, filename=filename)


def write_ledger(rows: list[LedgerRow], *, actor: User, digest: str, filename: str) -> LedgerOutcome:
    """Write the rows not imported before, in one transaction; retried when a number was taken meanwhile."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _write(rows, actor, digest, filename)
        except IntegrityError:
            continue
    raise ServiceError("导入繁忙，请稍后重试", code=ErrorCode.CONFLICT)


def _write(rows: list[LedgerRow], actor: User, digest: str, filename: str) -> LedgerOutcome:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # two imports of one file must not both find its rows new
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    done = _imported_keys(rows)
    fresh = [r for r in rows if r.key not in done]
    outcome = LedgerOutcome(
        rows=len(rows), created=len(fresh), skipped=[r.line for r in rows if r.key in done]
    )
    if fresh:
        cases = _write_cases(fresh, actor)
        outcome.first_number, outcome.last_number = cases[0].number, cases[-1].number
        # An old ledger's rows are past their triage deadline on arrival: the summary says how many.
        today = clock.today()
        outcome.overdue = sum(1 for c in cases if (due := c.row[DUE_AT]) is not None and due < today)
    record("case.import", actor=actor, object_type="cases.ledger", object_id=digest[:32],
           after={"file": filename[:200], "sha256": digest, "rows": len(rows), "created": len(fresh),
                  "skipped": len(outcome.skipped), "first": outcome.first_number, "last": outcome.last_number})  # fmt: skip
    return outcome


def _imported_keys(rows: list[LedgerRow]) -> set[str]:
    """The rows' keys already in the database: 上级交办编号 on any case, row hashes on register events."""
    refs = sorted({r.key[4:] for r in rows if r.key.startswith("ref:")})
    hashes = [r.key for r in rows if r.key.startswith("row:")]
    found: set[str] = set()
    upper = Case.objects.annotate(ref_upper=Upper("upstream_ref"))  # the case_upstream_ref_upper index
    for q in bulk_write.among("ref_upper", refs):
        found |= {f"ref:{s}" for s in upper.filter(q).values_list("ref_upper", flat=True)}
    if hashes:
        days = [r.resolved.data.received_date for r in rows]
        events = CaseEvent.objects.filter(
            action="register", case__received_date__range=(min(days), max(days))
        )
        if len(hashes) > bulk_write.CHUNK:  # each IN list would scan the date range again: read it once
            found |= set(events.values_list("data__import_key", flat=True).iterator(chunk_size=5000)) & set(
                hashes
            )
        else:
            found |= set(
                events.filter(data__import_key__in=hashes).values_list("data__import_key", flat=True)
            )
    return found


def _write_cases(rows: list[LedgerRow], actor: User) -> list:
    now = clock.now()
    year = timezone.localtime(now).year
    first_seq = _next_seq(year)
    case_ids = bulk_write.take_ids(Case, len(rows))
    people, parties = _petitioners(rows, case_ids)
    reasons = _repeat_reasons(rows, case_ids, now)
    profile = deadlines.active_profile()
    opening: dict = {}
    make_case = bulk_write.table(Case).maker(*CASE_FIELDS, *OPENING_FIELDS)
    make_event = bulk_write.table(CaseEvent, with_id=False).maker(
        "case_id", "case_year", "at", "actor_id", "action", "label", "to_status", "note", "data"
    )
    org = actor.organisation
    case_rows, event_rows, shown = [], [], []
    for i, (row, pk) in enumerate(zip(rows, case_ids, strict=True)):
        data, resolved = row.resolved.data, row.resolved
        seq = first_seq + i
        number = f"XF-{year}-{seq:06d}"
        received = data.received_date
        if received not in opening:
            fields = rulings.opening_fields(received, profile)
            opening[received] = tuple(fields[name] for name in OPENING_FIELDS)
        reason, earlier = reasons.get(i, ("", None))
        collective = resolved.is_collective
        case_rows.append(make_case(
            pk, number, year, seq, data.channel, data.upstream_ref, data.upstream_level, data.title, data.content,
            data.requests, resolved.category.pk, data.nature, _pk(resolved.accused), _pk(resolved.place),
            data.place_address, max(data.headcount or 1, len(data.petitioners)), collective, bool(reason), reason,
            received, now, actor.pk, org.pk, _query_code(), f"{data.title}\n{data.content}\n{data.requests}",
            *opening[received],
        ))  # fmt: skip
        event = {"channel": data.channel, "triage_due": str(opening[received][1]), "import_key": row.key}
        if earlier is not None:
            event["earlier_case"] = earlier
        event_rows.append(
            make_event(
                pk, year, now, actor.pk, "register", "登记（台账导入）", Status.REGISTERED, reason, event
            )
        )
        shown.append(SimpleNamespace(pk=pk, number=number, row=case_rows[-1]))
    bulk_write.insert(bulk_write.table(Case), case_rows)
    bulk_write.insert(bulk_write.table(Petitioner), people)
    bulk_write.insert(bulk_write.table(CasePetitioner, with_id=False), parties)
    bulk_write.insert(bulk_write.table(CaseEvent, with_id=False), event_rows)
    _announce(case_rows, actor)
    _audit(rows, shown, actor)
    return shown


def _pk(obj) -> int | None:
    return None if obj is None else obj.pk


def _petitioners(rows: list[LedgerRow], case_ids: list[int]) -> tuple[list, list]:
    """New petitioner rows and the party rows. A known ID number reuses its person (the oldest), whose phone and
    address the row updates when it gives new ones, as registration does."""
    numbers = sorted({r.resolved.data.petitioners[0].id_number for r in rows} - {""})
    known: dict[str, Petitioner] = {}
    for q in bulk_write.among("id_number", numbers):
        for p in Petitioner.objects.filter(q).order_by("-id"):
            known[p.id_number] = p  # the oldest last, so it wins
    new_ids = {n for n in numbers if n not in known}
    anonymous = sum(1 for r in rows if not r.resolved.data.petitioners[0].id_number)
    pool = iter(bulk_write.take_ids(Petitioner, len(new_ids) + anonymous))
    make_person = bulk_write.table(Petitioner).maker(
        "id", "name", "id_type", "id_number", "phone", "address", "created_at"
    )
    make_party = bulk_write.table(CasePetitioner, with_id=False).maker(
        "case_id", "petitioner_id", "is_primary", "is_representative"
    )
    now = clock.now()
    people, parties, changed, made, place_of = [], [], {}, {}, {}
    for row, case_id in zip(rows, case_ids, strict=True):
        p = row.resolved.data.petitioners[0]
        if p.id_number in known:
            person = known[p.id_number]
            for attr in ("phone", "address"):
                if getattr(p, attr) and getattr(p, attr) != getattr(person, attr):
                    setattr(person, attr, getattr(p, attr))
                    changed[person.pk] = person
            pk = person.pk
        elif p.id_number in made:
            pk = made[p.id_number]  # a later row of a person this file brings: registration would reuse them
            for attr in ("phone", "address"):
                if getattr(p, attr):
                    people[place_of[pk]][PERSON_AT[attr]] = getattr(p, attr)
        else:
            pk = next(pool)
            people.append(make_person(pk, p.name, p.id_type, p.id_number, p.phone, p.address, now))
            if p.id_number:
                made[p.id_number] = pk
                place_of[pk] = len(people) - 1
        parties.append(make_party(case_id, pk, True, row.resolved.is_collective))
    if changed:
        Petitioner.objects.bulk_update(list(changed.values()), ["phone", "address"], batch_size=500)
    return people, parties


def _repeat_reasons(rows: list[LedgerRow], case_ids: list[int], now) -> dict[int, tuple[str, int]]:
    """row index → (the stored repeat hint, the earlier case's id), for rows whose petitioner has an earlier case
    in the database or on an earlier row of this file."""
    keys = []
    for row in rows:
        p = row.resolved.data.petitioners[0]
        keys.append(({p.id_number} - {""}, {p.phone} - {""}, row.resolved.data.content))
    stored = same_petitioner_cases_many(keys)
    rows_of: dict[str, list[int]] = defaultdict(
        list
    )  # person key → the earlier rows of this file naming them
    out = {}
    for i, (ids, tels, content) in enumerate(keys):
        earlier = list(stored[i])
        seen = {e.case.pk for e in earlier}
        for key, by in [*((f"id:{n}", "身份证号") for n in ids), *((f"tel:{t}", "联系电话") for t in tels)]:
            # Every earlier row of the person (the newest CANDIDATES), ranked as registration ranks the stored
            # cases: the most similar content first.
            for j in rows_of[key][-CANDIDATES:]:
                if case_ids[j] not in seen:
                    seen.add(case_ids[j])
                    twin = Case(pk=case_ids[j], content=keys[j][2], registered_at=now)
                    similarity = text_similarity(content, twin.content) if content else 0.0
                    earlier.append(EarlierCase(twin, by, similarity))
            rows_of[key].append(i)
        if earlier:
            # Equal similarity and time (rows of one file): the later row, as the newer case, first.
            earlier.sort(key=lambda e: (-e.similarity, -e.case.registered_at.timestamp(), -e.case.pk))
            out[i] = (repeat_reason(earlier)[:300], earlier[0].case.pk)
    return out


def _announce(case_rows: list, actor: User) -> None:
    """Tell the subscribers (the rollups) about the new cases, as registration's signal does case by case."""
    tbl = bulk_write.table(Case)
    views = []
    for row in case_rows:
        view = SimpleNamespace(**dict(zip(tbl.attnames, row, strict=True)))
        view.pk, view.registering_org = view.id, actor.organisation
        views.append(view)
    cases_registered_in_bulk.send(sender=Case, cases=views, actor=actor)


def _audit(rows: list[LedgerRow], cases: list, actor: User) -> None:
    """One case.register record per case, as registration writes (identity numbers and phones masked)."""
    at = bulk_write.table(Case).position
    items = [
        (case.pk, audit_values(lambda attr, r=case.row: r[at[attr]], row.resolved.data.petitioners[:1]))
        for row, case in zip(rows, cases, strict=True)
    ]
    record_batch("case.register", actor=actor, object_type=Case._meta.label_lower, items=items)
