"""Who may see which case: the one place every view, API endpoint, export and document asks.

(It lives in the cases app, which owns the cases; `orgs` knows organisations and roles only.)

Rules (design.md §7):
- bureau roles (registrar, supervisor, leader, admin, auditor) see every case of the district;
- unit roles (handler, unit_head) see cases routed to their own organisation;
- finance sees no cases;
- a 检举控告 case is never visible to users of the accused organisation or of its parents
  (the district root excepted, since every unit sits under it);
- a confidential case is visible only to its designated officers (and the auditor).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import FULL_IDENTITY_ROLES, REGISTERING_ROLES, Role

from .models import Case, CaseRouting

# Levels whose organisation contains every unit: being "above" an accused unit says nothing about them.
NEVER_ACCUSED_KINDS = frozenset({OrgKind.DISTRICT, OrgKind.CITY, OrgKind.PROVINCE, OrgKind.NATIONAL})


def _accused_blocked_q(user: User) -> Q:
    """Cases accusing the user's organisation, a unit below it, or a unit above it (the whole chain of the
    accused: its parents and its own sub-units never see the accusation, art.30 ¶3). The district root and
    the levels above it are exempt, since every unit sits under them."""
    org = user.organisation
    if org is None or org.kind in NEVER_ACCUSED_KINDS:
        return Q(pk__in=[])
    above = Organisation.objects.filter(pk__in=org.ancestor_ids()[:-1]).exclude(kind__in=NEVER_ACCUSED_KINDS)
    return Q(nature="accusation") & (
        Q(accused_organisation__path__startswith=org.path) | Q(accused_organisation_id__in=above.values("pk"))
    )


def visible_cases(user: User, qs: QuerySet | None = None) -> QuerySet:
    qs = Case.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.AUDITOR:
        return qs.exclude(_accused_blocked_q(user))
    if user.is_bureau_role:
        scoped = qs
    elif user.is_unit_role and user.organisation_id:
        # IN, not EXISTS: the planner then starts from the unit's routings (an index) instead of scanning cases.
        scoped = qs.filter(pk__in=CaseRouting.objects.filter(unit_id=user.organisation_id).values("case_id"))
    else:
        return qs.none()
    officer_of = Case.confidential_officers.through.objects.filter(user_id=user.pk).values("case_id")
    return scoped.exclude(_accused_blocked_q(user)).filter(Q(is_confidential=False) | Q(pk__in=officer_of))


def get_case_for(user: User, case_id: int | str):
    """Load a case the user may see, or raise 404 (never 403: do not reveal that it exists)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404("信访件不存在或无权查看")
    try:
        return visible_cases(user, Case.objects.select_related("category", "responsible_unit")).get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("信访件不存在或无权查看")


def can_view(user: User, case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def is_accused_org(case, org: Organisation | None) -> bool:
    """True when org is in the accused organisation's chain: the accused itself, a parent (short of the
    district and above) or one of its own sub-units (art.30 ¶3)."""
    if org is None or case.nature != "accusation" or case.accused_organisation_id is None:
        return False
    if org.kind in NEVER_ACCUSED_KINDS:
        return False
    accused = case.accused_organisation
    return accused.is_within(org) or org.is_within(accused)


def sees_full_identity(user: User) -> bool:
    return user.role in FULL_IDENTITY_ROLES


def can_register(user: User) -> bool:
    return user.is_authenticated and user.role in REGISTERING_ROLES


LEDGER_REFUSED = "批量导入台账仅限信访局登记人员使用"


def can_import_ledger(user: User) -> bool:
    """批量导入台账 is the bureau's: a unit registering directly starts its own notice clock per case
    (workflow/rulings.py), which the bulk path does not run."""
    return can_register(user) and user.organisation is not None and user.organisation.kind == OrgKind.BUREAU
