"""Writing and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditEvent, AuditHead


def _canonical(value: Any) -> Any:
    """JSON-safe form of a value (dates, decimals and UUIDs as strings), stable across databases."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def row_hash(prev_hash: str, *, at, actor_id, action, object_type, object_id, before, after) -> str:  # noqa: ANN001
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor_id,
            "action": action,
            "type": object_type,
            "id": str(object_id),
            "before": before,
            "after": after,
        },
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


@transaction.atomic
def record(
    action: str,
    *,
    actor=None,  # noqa: ANN001
    obj=None,  # noqa: ANN001
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
    digest = row_hash(
        head.last_hash,
        at=at,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before_c,
        after=after_c,
    )
    event = AuditEvent.objects.create(
        at=at,
        actor_id=actor_id,
        actor_label=str(actor) if actor is not None else "系统",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before_c,
        after=after_c,
        address=address,
        prev_hash=head.last_hash,
        hash=digest,
    )
    AuditHead.objects.filter(pk=1).update(last_hash=digest, count=head.count + 1)
    return event


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
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for ev in rows:
            if ev.prev_hash != prev:
                return ChainReport(checked, ev.id, "上一条哈希不匹配（记录被删除或插入）")
            expected = row_hash(
                prev,
                at=ev.at,
                actor_id=ev.actor_id,
                action=ev.action,
                object_type=ev.object_type,
                object_id=ev.object_id,
                before=ev.before,
                after=ev.after,
            )
            if expected != ev.hash:
                return ChainReport(checked, ev.id, "内容哈希不匹配（记录被篡改）")
            prev = ev.hash
            checked += 1
            last_id = ev.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, last_id or None, "链尾与记录不一致（末尾记录被删除）")
    return ChainReport(checked, None, "")
