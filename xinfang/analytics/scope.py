"""Which cases a figure covers: a unit subtree and a category subtree (either may be absent)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from xinfang.cases.models import CaseRouting, Category
from xinfang.orgs.models import Organisation


@dataclass(frozen=True)
class Scope:
    """A unit subtree (责任单位 or any unit the case was routed to) and a category subtree.

    Metric functions accept a `Scope` wherever they accept a unit; a bare `Organisation` means that unit's
    subtree and every category.
    """

    unit: Organisation | None = None
    category: Category | None = None

    def category_ids(self) -> list[int]:
        """The category and its children (the tree has two levels), resolved first so the case filter is an IN."""
        if self.category is None:
            return []
        return [
            self.category.pk,
            *Category.objects.filter(parent_id=self.category.pk).values_list("pk", flat=True),
        ]


def as_scope(scope: Scope | Organisation | None) -> Scope:
    return scope if isinstance(scope, Scope) else Scope(unit=scope)


def scope_cases(qs: QuerySet, scope: Scope | Organisation | None, case_field: str = "") -> QuerySet:
    """Restrict a queryset (of cases, or of rows with a `case` FK named by case_field) to a scope."""
    scope = as_scope(scope)
    prefix = f"{case_field}__" if case_field else ""
    if scope.category is not None:
        qs = qs.filter(**{f"{prefix}category_id__in": scope.category_ids()})
    if scope.unit is None:
        return qs
    # The subtree's ids first (small), so the case filter is an indexed IN rather than a path join per row.
    unit_ids = list(
        Organisation.objects.filter(path__startswith=scope.unit.path).values_list("pk", flat=True)
    )
    routed = CaseRouting.objects.filter(
        case_id=OuterRef(f"{case_field}_id" if case_field else "pk"), unit_id__in=unit_ids
    )
    return qs.filter(Q(**{f"{prefix}responsible_unit_id__in": unit_ids}) | Q(Exists(routed)))


# What metric functions accept as their `unit` argument.
Scoped = Scope | Organisation | None
