"""Triage services: category and unit suggestions, similar/repeat cases, recording the registrar's choice.

Suggestions only: nothing here changes a case. The registrar decides; the decision is recorded for retraining.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from xinfang.cases.choices import Nature
from xinfang.cases.models import Case, Category
from xinfang.orgs.models import Organisation, OrgKind

from . import duplicates, store
from .context import read_in_context
from .models import CaseBand, CaseSignature, CategoryMapping, RecordedChoice, RoutingRule
from .text import normalise

UNIT_SIMILARITY_MIN = 0.25


@dataclass
class CategorySuggestion:
    label: str
    probability: float
    words: list[str]
    category: Category | None = None

    @property
    def display(self) -> str:
        return str(self.category) if self.category else self.label


@dataclass
class UnitSuggestion:
    unit: Organisation
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class SimilarCase:
    case: Case
    similarity: float
    phrases: list[str]
    segments: list[tuple[str, bool]]
    is_repeat: bool = False
    reason: str = ""


def case_text(title: str = "", content: str = "", requests: str = "") -> str:
    return "".join(p for p in (title, content, requests) if p)


def _category_for(label: str, mapping: dict[str, Category]) -> Category | None:
    if label in mapping:
        return mapping[label]
    # Models retrained from recorded choices use the bureau's category codes as labels.
    return Category.objects.filter(code=label, is_active=True).first()


def suggest_categories(text: str, k: int = 3) -> list[CategorySuggestion]:
    if not normalise(text):
        return []
    model, _version = store.active_model()
    mapping = {
        m.label: m.category for m in CategoryMapping.objects.select_related("category", "category__parent")
    }
    return [
        CategorySuggestion(s.label, s.probability, s.words, _category_for(s.label, mapping))
        for s in read_in_context(text, model.suggest(text, k))
    ]


def _excluded(org: Organisation, nature: str, accused: Organisation | None) -> bool:
    """Never the accused organisation of an accusation, a unit above it, or one below it (the district root
    excepted). Stricter than `cases.permissions.is_accused_org`, which only refuses the accused and the units above
    it: a suggestion should not even propose the accused organisation's own subordinate unit."""
    if nature != Nature.ACCUSATION or accused is None or org.kind == OrgKind.DISTRICT:
        return False
    return accused.is_within(org) or org.is_within(accused)


def _rule_rank(rule: RoutingRule, category: Category | None, place: Organisation | None) -> tuple | None:
    cat_spec = 0
    if rule.category_id is not None:
        if category is None:
            return None
        if rule.category_id == category.pk:
            cat_spec = 2
        elif rule.category_id == category.parent_id:
            cat_spec = 1
        else:
            return None
    place_spec = 0
    if rule.place_id is not None:
        if place is None or not place.is_within(rule.place):
            return None
        place_spec = len(rule.place.ancestor_ids())
    return (-cat_spec, -place_spec, rule.priority, rule.pk)


# Words that show an accusation is about a public official (then the discipline-inspection body handles it).
OFFICIAL_WORDS = re.compile(
    r"干部|书记|主任|局长|科长|处长|镇长|乡长|村长|支书|领导|公职人员|工作人员|党员|官员|所长|站长|队长|村委|居委"
)
# How a discipline-inspection and supervision body (纪委监委) is named.
DISCIPLINE_NAME = re.compile(r"纪委|监委|纪律检查委员会|监察委员会")


def discipline_body(place: Organisation | None = None) -> Organisation | None:
    """The 纪检监察机关 that takes accusations against officials: the active one nearest the place."""
    bodies = [o for o in Organisation.objects.filter(is_active=True) if DISCIPLINE_NAME.search(o.name)]
    if not bodies:
        return None
    if place is None:
        return bodies[0]
    return max(bodies, key=lambda b: len(set(b.ancestor_ids()) & set(place.ancestor_ids())))


def suggest_units(
    *,
    categories: list[Category],
    place: Organisation | None,
    nature: str = "",
    accused: Organisation | None = None,
    similar: Sequence[SimilarCase] = (),
    k: int = 3,
    text: str = "",
) -> list[UnitSuggestion]:
    """Routing-table units for the (suggested or chosen) categories × place, then units of similar past cases.
    An accusation against an official goes first to the discipline-inspection body (art.22 ¶2, art.30).

    `similar` must come from `similar_cases(user, …)`: a reason names the case, so only cases the registrar may
    see can give one.
    """
    out: dict[int, UnitSuggestion] = {}
    if nature == Nature.ACCUSATION and (found := OFFICIAL_WORDS.search(text or "")):
        body = discipline_body(place)
        if body is not None and not _excluded(body, nature, accused):
            out[body.pk] = UnitSuggestion(
                body,
                [f"检举控告公职人员（“{found.group()}”），依第二十二条第二款、第三十条转纪检监察机关"],
                2.0,
            )
    rules = list(RoutingRule.objects.filter(is_active=True).select_related("unit", "place", "category"))
    for rank_cat, category in enumerate(categories or [None]):
        ranked = sorted(
            (r for r in rules if _rule_rank(r, category, place) is not None),
            key=lambda r: _rule_rank(r, category, place),
        )
        for rule in ranked:
            if _excluded(rule.unit, nature, accused):
                continue
            sug = out.setdefault(rule.unit.pk, UnitSuggestion(rule.unit))
            what = f"{category.name if category else '任意分类'} × {rule.place.name if rule.place else '任意属地'}"
            sug.reasons.append(f"分办规则：{what}（{rule.basis}）")
            sug.score = max(sug.score, 1.0 - 0.1 * rank_cat)
            break  # the most specific rule for this category
    for sim in similar:
        unit = sim.case.responsible_unit
        if unit is None or sim.similarity < UNIT_SIMILARITY_MIN or _excluded(unit, nature, accused):
            continue
        sug = out.setdefault(unit.pk, UnitSuggestion(unit))
        sug.reasons.append(f"相似信访件 {sim.case.number} 由其办理（相似度 {sim.similarity:.0%}）")
        sug.score = max(sug.score, 0.5 * sim.similarity)
    return sorted(out.values(), key=lambda s: -s.score)[:k]


# --- near-duplicates -----------------------------------------------------------------------------------------
def index_case(case: Case) -> None:
    sig = duplicates.signature(case_text(case.title, case.content, case.requests))
    CaseSignature.objects.update_or_create(case=case, defaults={"signature": sig.tobytes()})
    CaseBand.objects.filter(case=case).delete()
    CaseBand.objects.bulk_create([CaseBand(case=case, key=int(k)) for k in duplicates.band_keys(sig)])


def find_similar(
    text: str,
    *,
    queryset=None,
    limit: int = 5,
    threshold: float = 0.15,
) -> list[SimilarCase]:
    """Indexed cases sharing an LSH band with the text, ranked by estimated Jaccard similarity."""
    if not normalise(text):
        return []
    sig = duplicates.signature(text)
    keys = [int(k) for k in duplicates.band_keys(sig)]
    cand_ids = set(CaseBand.objects.filter(key__in=keys).values_list("case_id", flat=True)[:5000])
    if not cand_ids:
        return []
    rows = CaseSignature.objects.filter(case_id__in=cand_ids).values_list("case_id", "signature")
    scored = []
    for case_id, raw in rows:
        s = float(duplicates.similarity(sig, np.frombuffer(bytes(raw), dtype=np.uint32)))
        if s >= threshold:
            scored.append((s, case_id))
    scored.sort(reverse=True)
    qs = queryset if queryset is not None else Case.objects.all()
    cases = qs.select_related("responsible_unit").in_bulk([cid for _, cid in scored])
    norm = normalise(text)
    out = []
    for s, cid in scored:
        case = cases.get(cid)
        if case is None:
            continue
        body = normalise(case_text(case.title, case.content))
        phrases = duplicates.shared_phrases(body, norm)
        out.append(SimilarCase(case, s, phrases, duplicates.highlight(body[:300], phrases)))
        if len(out) == limit:
            break
    return out


def similar_cases(
    user,
    text: str,
    *,
    id_numbers: list[str] = (),
    phones: list[str] = (),
    limit: int = 5,
) -> list[SimilarCase]:
    """Similar cases the user may see; a case of the same petitioner with similar content is marked as repeat."""
    from xinfang.cases import repeats
    from xinfang.cases.permissions import visible_cases

    found = find_similar(text, queryset=visible_cases(user), limit=limit)
    if not found:
        return found
    # The repeat mark comes from the one repeat detector (same person, its similarity figure), scoped to the
    # user and to the cases shown, so the panel and the earlier-case box never disagree.
    earlier = repeats.same_petitioner_cases(
        id_numbers=id_numbers,
        phones=phones,
        content=text,
        viewer=user,
        among=[f.case.pk for f in found],
        limit=len(found),
    )
    by_case = {e.case.pk: e for e in earlier}
    for f in found:
        if (e := by_case.get(f.case.pk)) is not None:
            f.is_repeat = True
            f.reason = repeats.reason_for_reader(e)
    return found


# --- recording choices ---------------------------------------------------------------------------------------
def record_choice(case: Case, actor=None, suggestions: dict | None = None) -> RecordedChoice:
    """Store the registrar's final category and unit (called inside the registration transaction)."""
    suggestions = suggestions or {}
    cats = list(suggestions.get("categories") or [])
    units = list(suggestions.get("units") or [])
    top = cats[0] if cats else None
    accepted = bool(top) and str(top.get("category_id") if isinstance(top, dict) else top) == str(
        case.category_id
    )
    with transaction.atomic():
        choice, _ = RecordedChoice.objects.update_or_create(
            case=case,
            defaults=dict(
                text=case_text(case.title, case.content, case.requests),
                category=case.category,
                unit=case.responsible_unit,
                suggested_categories=cats,
                suggested_units=units,
                accepted_suggestion=accepted,
                actor=actor,
            ),
        )
        index_case(case)
    return choice
