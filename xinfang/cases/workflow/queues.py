"""What waits on whom: the to-do list of a registrar (cases to route) and of a unit (cases to accept, handle
and answer), read from the workflow's own table of who owns each state (actors.STAGE_OWNER)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import REGISTERING_ROLES, UNIT_ROLES

from ..choices import Status as S
from .actors import STAGE_OWNER, UNIT

# The bureau owns more states than these (replied, reviewed …), but there it waits on the petitioner or on
# a window; the registrar's queue is what still has to be routed.
REGISTRAR_QUEUE = (S.REGISTERED, S.OBJECTED)
UNIT_QUEUE = tuple(state for state, owner in STAGE_OWNER.items() if owner == UNIT)


def has_queue(user: User) -> bool:
    return user.role in REGISTERING_ROLES or user.role in UNIT_ROLES


def todo(user: User, qs: QuerySet) -> QuerySet:
    """Narrow an already permission-scoped case queryset to the user's to-do list."""
    if user.role in UNIT_ROLES:
        org = user.organisation_id
        # A case received directly by the unit (art.23 ¶2) waits on it from registration.
        return qs.filter(
            Q(responsible_unit_id=org, status__in=UNIT_QUEUE) | Q(registering_org_id=org, status=S.REGISTERED)
        )
    if user.role in REGISTERING_ROLES:
        # The bureaus' ids first, so the list reads the queue index in deadline order instead of joining the
        # organisations (whose "bureau" the planner cannot see is nearly every queued case).
        bureaus = list(Organisation.objects.filter(kind=OrgKind.BUREAU).values_list("id", flat=True))
        return qs.filter(status__in=REGISTRAR_QUEUE, registering_org_id__in=bureaus)
    return qs.none()
