"""Many audit events in one append: the sweep issues hundreds of letters at once.

`audit.services.record` locks and updates the chain head once per event; inside one transaction on
PostgreSQL every UPDATE of that one row lengthens its version chain, so thousands of appends turn quadratic.
This takes the head lock once, links the events in memory with the same `row_hash`, inserts them in order
and moves the head once: the chain is exactly what the same calls to `record` would have produced, and
`verify_audit` checks it the same way. (A `record_many` in audit.services would be its natural home.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from xinfang.audit.models import AuditEvent, AuditHead
from xinfang.audit.services import _canonical, _head, row_hash


@transaction.atomic
def record_many(action: str, objs: Iterable[Model], after_of: Callable[[Model], dict]) -> int:
    objs = list(objs)
    if not objs:
        return 0
    head = _head()
    prev, at = head.last_hash, timezone.now()
    events = []
    for obj in objs:
        object_type, after = obj._meta.label_lower, _canonical(after_of(obj))
        digest = row_hash(
            prev,
            at=at,
            actor_id=None,
            action=action,
            object_type=object_type,
            object_id=obj.pk,
            before=None,
            after=after,
        )
        events.append(
            AuditEvent(
                at=at,
                actor_id=None,
                actor_label="系统",
                action=action,
                object_type=object_type,
                object_id=str(obj.pk),
                before=None,
                after=after,
                address="",
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    AuditHead.objects.filter(pk=1).update(last_hash=prev, count=head.count + len(events))
    return len(events)
