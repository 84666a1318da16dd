"""The unit picker of the routing actions: units grouped by kind, filterable by name or pinyin initials,
the triage suggestion preselected, and the accused unit's chain left out of an accusation's list.

The filter box is part of the widget's HTML; `static/xinfang/unit-picker.js` filters the options with one
delegated listener, so forms swapped in by htmx need no set-up.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from xinfang.orgs.models import Organisation, OrgKind

from ..choices import Nature
from ..models import Case

# Option groups in the order a registrar scans them (the organisation kinds a case may be sent to).
GROUPS = (
    (OrgKind.DEPARTMENT, "区直部门"),
    (OrgKind.TOWN, "镇街"),
    (OrgKind.VILLAGE, "村社区"),
    (OrgKind.DISTRICT, "区人民政府"),
    (OrgKind.CITY, "上级机关"),
    (OrgKind.PROVINCE, "上级机关"),
    (OrgKind.NATIONAL, "上级机关"),
)
GROUP_OF = dict(GROUPS)


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """区住房和城乡建设局 → qzfhcxjsj (what staff type to find a unit quickly)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


class UnitSelect(forms.Select):
    template_name = "workflow/unit_select.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value not in ("", None):
            option["attrs"]["data-initials"] = initials(str(label).split("（")[0])
        return option


class OrgChoice(forms.ModelChoiceField):
    """Organisations as option groups by kind; validation is ModelChoiceField's (a pk in the queryset).

    `hidden` units are left out of the list but still parse, so that choosing one anyway (through the API)
    reaches the service, which refuses it with its own code and article.
    """

    widget = UnitSelect

    def __init__(self, *args: Any, hidden: QuerySet | None = None, **kwargs: Any) -> None:
        self.hidden = hidden  # before super(): setting the queryset already renders the choices
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"

    def _grouped(self) -> list[tuple[Any, Any]]:
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        offered = self.queryset if self.hidden is None else self.queryset.exclude(pk__in=self.hidden)
        for org in offered:
            groups[GROUP_OF.get(org.kind, "其他")].append((org.pk, self.label_from_instance(org)))
        ordered = list(dict.fromkeys([*GROUP_OF.values(), *groups]))
        return [("", self.empty_label or "")] + [(g, groups[g]) for g in ordered if groups.get(g)]

    choices = property(_grouped, forms.ChoiceField.choices.fset)


def eligible_units() -> QuerySet:
    """Organisations a "unit" field accepts: active, never a bureau or a grid."""
    # Grids are where problems happen, not bodies a case is sent to; codes order each group as the tree does.
    kinds = (OrgKind.BUREAU, OrgKind.GRID)
    return Organisation.objects.filter(is_active=True).exclude(kind__in=kinds).order_by("kind", "code")


def accused_chain(case: Case | None) -> QuerySet | None:
    """For an accusation: the accused unit, its parents short of the district, and its own sub-units — the
    units the picker never offers (art.30 ¶3)."""
    accused = _accused(case)
    if accused is None:
        return None
    above = [pk for pk in accused.ancestor_ids() if pk != accused.pk]
    return Organisation.objects.filter(
        Q(path__startswith=accused.path) | (Q(pk__in=above) & ~Q(kind__in=GOVERNMENT_ABOVE))
    ).values("pk")


GOVERNMENT_ABOVE = (OrgKind.DISTRICT, OrgKind.CITY, OrgKind.PROVINCE, OrgKind.NATIONAL)


def _accused(case: Case | None) -> Organisation | None:
    if case is None or case.nature != Nature.ACCUSATION or not case.accused_organisation_id:
        return None
    return case.accused_organisation


def accused_note(case: Case) -> str:
    accused = _accused(case)
    if accused is None:
        return ""
    return f"检举控告件：已从列表中排除被反映单位（{accused.name}）及其上级、下属单位（《信访工作条例》第三十条）。"


def suggested_unit_id(case: Case) -> int | None:
    """The unit the registrar chose or the triage model suggested at registration, if any."""
    choice = getattr(case, "triage_choice", None) if case.pk else None
    if choice is None:
        return None
    if choice.unit_id:
        return choice.unit_id
    for item in choice.suggested_units or []:
        pk = item.get("unit_id") or item.get("id") if isinstance(item, dict) else item
        if pk:
            return int(pk)
    return None
