"""Writing and verifying the audit chain.

The chain is anchored outside the database too: after each append commits, (id, hash) of the new row is
appended as a line to `settings.AUDIT_ANCHOR_FILE`. Deleting the newest rows and rewriting `AuditHead` to
match, all in SQL, still leaves the file naming a row that is gone (or whose hash changed), and
`verify_audit` reports it. The file belongs with the database: a fresh database starts a fresh file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from xinfang.core import bulk_write

from .models import GENESIS_HASH, HASH_VERSION, AuditEvent, AuditHead

logger = logging.getLogger(__name__)


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value (dates, decimals and UUIDs as strings), stable across databases."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def row_hash(
    prev_hash: str,
    *,
    at,
    actor_id,
    action,
    object_type,
    object_id,
    before,
    after,
    actor_label: str = "",
    address: str = "",
    version: int = HASH_VERSION,
) -> str:
    fields = {
        "prev": prev_hash,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "type": object_type,
        "id": str(object_id),
        "before": before,
        "after": after,
    }
    if version >= 2:
        # The version is hashed too: relabelling a row as version 1 to drop these fields breaks its hash.
        fields.update({"v": version, "label": actor_label, "address": address})
    payload = json.dumps(
        fields,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


# No savepoint of its own when called inside a transaction (two statements saved on every action): a failure
# here fails the caller's transaction, which is what it must do anyway.
@transaction.atomic(savepoint=False)
def record(
    action: str,
    *,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict | None = None,
    after: dict | None = None,
    address: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction so both commit or neither does."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    head = _head()
    at = timezone.now()
    before_c, after_c = _canonical(before), _canonical(after)
    actor_id = getattr(actor, "pk", None)
    # Stored values as the database will give them back (the column lengths), so verification recomputes
    # the same hash.
    actor_label = (str(actor) if actor is not None else "系统")[:150]
    address = address[:64]
    digest = row_hash(
        head.last_hash,
        at=at,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before_c,
        after=after_c,
        actor_label=actor_label,
        address=address,
    )
    event = AuditEvent.objects.create(
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before_c,
        after=after_c,
        address=address,
        prev_hash=head.last_hash,
        hash=digest,
        hash_version=HASH_VERSION,
    )
    AuditHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    transaction.on_commit(lambda: _write_anchor(event.pk, digest))
    return event


def _anchor_file() -> Path | None:
    path = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    return Path(path) if path else None


def _write_anchor(event_id: int, digest: str) -> None:
    """Append (id, hash) of a committed row to the anchor file; a failure is logged, never raised."""
    path = _anchor_file()
    if path is None:
        return
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": event_id, "hash": digest}, separators=(",", ":")) + "\n")
    except OSError:
        logger.exception("审计锚点写入失败：%s", path)


def latest_anchor() -> tuple[int, str] | None:
    """The anchor with the highest id in the anchor file (lines may arrive out of order)."""
    path = _anchor_file()
    if path is None or not path.exists():
        return None
    best: tuple[int, str] | None = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                item = json.loads(line)
                anchor = (int(item["id"]), str(item["hash"]))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash
            if best is None or anchor[0] > best[0]:
                best = anchor
    return best


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first row whose link or content does not match."""
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    version = 1
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for ev in rows:
            if ev.prev_hash != prev:
                return ChainReport(checked, ev.id, "上一条哈希不匹配（记录被删除或插入）")
            if ev.hash_version < version:
                return ChainReport(checked, ev.id, "哈希格式倒退（记录被篡改）")
            version = ev.hash_version
            expected = row_hash(
                prev,
                at=ev.at,
                actor_id=ev.actor_id,
                action=ev.action,
                object_type=ev.object_type,
                object_id=ev.object_id,
                before=ev.before,
                after=ev.after,
                actor_label=ev.actor_label,
                address=ev.address,
                version=ev.hash_version,
            )
            if expected != ev.hash:
                return ChainReport(checked, ev.id, "内容哈希不匹配（记录被篡改）")
            prev = ev.hash
            checked += 1
            last_id = ev.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainReport(checked, last_id or None, "链尾与记录不一致（末尾记录被删除）")
    return _check_anchor(checked)


def _check_anchor(checked: int) -> ChainReport:
    """The newest anchor written outside the database must name a row still there, unchanged."""
    anchor = latest_anchor()
    if anchor is None:
        return ChainReport(checked, None, "")
    anchor_id, anchor_hash = anchor
    stored = AuditEvent.objects.filter(pk=anchor_id).values_list("hash", flat=True).first()
    if stored is None:
        return ChainReport(checked, anchor_id, f"外部锚点记录的第 {anchor_id} 条已不存在（末尾记录被删除）")
    if stored != anchor_hash:
        return ChainReport(checked, anchor_id, f"外部锚点与第 {anchor_id} 条记录的哈希不一致（记录被改写）")
    return ChainReport(checked, None, "")


def record_batch(action: str, *, actor, object_type: str, items: list[tuple[int | str, dict]]) -> int:
    """Append one event per (object id, after) for `actor` (None: the system), taking the chain head's lock once
    and inserting the rows through the bulk writer (COPY on PostgreSQL).

    For writes of hundreds of events in one transaction (a bulk registration's per-case trail, the supervision
    sweep's letters): calling `record` that often updates the one head row as many times, which PostgreSQL
    makes quadratic. The events and their hashes are exactly those the same calls to `record` would produce.
    """
    if not items:
        return 0
    head = _head()
    prev, at = head.last_hash, timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_label = (str(actor) if actor is not None else "系统")[:150]
    ids = bulk_write.take_ids(AuditEvent, len(items))
    tbl = bulk_write.table(AuditEvent)
    make = tbl.maker("id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "before",
                     "after", "address", "prev_hash", "hash", "hash_version")  # fmt: skip
    rows = []
    for pk, (object_id, after) in zip(ids, items, strict=True):
        after_c = _canonical(after)
        digest = row_hash(
            prev, at=at, actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
            before=None, after=after_c, actor_label=actor_label, address="",
        )  # fmt: skip
        rows.append(make(pk, at, actor_id, actor_label, action, object_type, str(object_id), None, after_c, "",
                         prev, digest, HASH_VERSION))  # fmt: skip
        prev = digest
    bulk_write.insert(tbl, rows)
    AuditHead.objects.filter(pk=1).update(last_hash=prev, count=head.count + len(rows))
    last_id = ids[-1]
    transaction.on_commit(lambda: _write_anchor(last_id, prev))
    return len(rows)
