"""The one repeat detector: earlier cases of the same petitioner (same ID number or phone), ranked by how
alike their content is (character-bigram Jaccard, `similarity.text_similarity`).

Every caller goes through it, so the registration page's earlier-case box, the triage panel's repeat mark and
the stored repeat flag give the same case and the same similarity figure. It is scoped by `viewer` wherever a
person reads the result; the unscoped run (registration's repeat flag) stores a hint that never names the
earlier case, and the link is rendered per reader (`earlier_case_for`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from xinfang.core import bulk_write
from xinfang.orgs.models import User

from .models import Case, CaseEvent
from .permissions import visible_cases
from .registration import PetitionerInput
from .similarity import text_similarity

CANDIDATES = 50  # the newest earlier cases considered (a petitioner with more is a repeat anyway)


@dataclass
class EarlierCase:
    case: Case
    matched_by: str  # "身份证号" or "联系电话"
    similarity: float


def same_petitioner_cases(
    *,
    id_numbers: Iterable[str] = (),
    phones: Iterable[str] = (),
    content: str = "",
    viewer: User | None = None,
    among: Iterable[int] | None = None,
    limit: int = 5,
) -> list[EarlierCase]:
    """Earlier cases of the person with these ID numbers or phones, most similar content first. With a
    `viewer`, only the cases that user may see; `among` narrows the candidates to given case ids."""
    ids = {i.strip().upper() for i in id_numbers if i and i.strip()}
    tels = {p.strip() for p in phones if p and p.strip()}
    if not ids and not tels:
        return []
    match = Q()
    if ids:
        match |= Q(parties__petitioner__id_number__in=ids)
    if tels:
        match |= Q(parties__petitioner__phone__in=tels)
    base = Case.objects.all() if viewer is None else visible_cases(viewer)
    if among is not None:
        base = base.filter(pk__in=list(among))
    rows = (
        base.filter(match)
        .select_related("category")
        .prefetch_related("parties__petitioner")
        .distinct()
        .order_by("-registered_at")[:CANDIDATES]
    )
    return _ranked(rows, ids, content, limit)


def _ranked(cases: Iterable[Case], ids: set[str], content: str, limit: int) -> list[EarlierCase]:
    found = []
    for case in cases:
        party_ids = {cp.petitioner.id_number.upper() for cp in case.parties.all()}
        by = "身份证号" if ids & party_ids else "联系电话"
        found.append(EarlierCase(case, by, text_similarity(content, case.content) if content else 0.0))
    found.sort(key=lambda e: (-e.similarity, -e.case.registered_at.timestamp()))
    return found[:limit]


def same_petitioner_cases_many(
    people: list[tuple[set[str], set[str], str]], limit: int = 5
) -> list[list[EarlierCase]]:
    """`same_petitioner_cases` (unscoped, as registration's repeat flag runs it) for many registrations at
    once, each given as (ID numbers upper-cased, phones, content): the earlier cases are read in a few queries
    instead of one per registration."""
    every_id = sorted(set().union(*(p[0] for p in people))) if people else []
    every_tel = sorted(set().union(*(p[1] for p in people))) if people else []
    cases: dict[int, Case] = {}
    for field, keys in (
        ("parties__petitioner__id_number", every_id),
        ("parties__petitioner__phone", every_tel),
    ):
        for q in bulk_write.among(field, keys):
            rows = (
                Case.objects.filter(q)
                .select_related("category")
                .prefetch_related("parties__petitioner")
                .distinct()
            )
            cases.update((c.pk, c) for c in rows)
    by_key: dict[str, list[Case]] = defaultdict(list)
    for case in cases.values():
        for cp in case.parties.all():
            person = cp.petitioner
            if person.id_number:
                by_key[f"id:{person.id_number.upper()}"].append(case)
            if person.phone:
                by_key[f"tel:{person.phone}"].append(case)
    out = []
    for ids, tels, content in people:
        mine = {
            c.pk: c
            for key in [*(f"id:{i}" for i in ids), *(f"tel:{t}" for t in tels)]
            for c in by_key.get(key, ())
        }
        newest = sorted(mine.values(), key=lambda c: c.registered_at, reverse=True)[:CANDIDATES]
        out.append(_ranked(newest, ids, content, limit) if newest else [])
    return out


def find_earlier_cases(
    petitioners: list[PetitionerInput], content: str = "", limit: int = 5, *, viewer: User | None = None
) -> list[EarlierCase]:
    """same_petitioner_cases for the people being registered."""
    return same_petitioner_cases(
        id_numbers=[p.id_number for p in petitioners],
        phones=[p.phone for p in petitioners],
        content=content,
        viewer=viewer,
        limit=limit,
    )


def repeat_reason(earlier: list[EarlierCase]) -> str:
    """The stored hint. It never names the earlier case: its reader may not be allowed to see that case (an
    accusation, a confidential case). The link is kept in the registration event's data and rendered per
    reader (`earlier_case_for`)."""
    if not earlier:
        return ""
    top = earlier[0]
    return f"同一信访人（{top.matched_by}相同）有在先信访件，内容相似度{top.similarity:.0%}；请核实是否为重复信访"


def reason_for_reader(e: EarlierCase) -> str:
    """The hint naming the earlier case, for a reader the case was found for (a `viewer`-scoped run)."""
    return (
        f"同一信访人曾于 {e.case.received_date:%Y-%m-%d} 反映相似内容（{e.case.number}，"
        f"{e.matched_by}相同，内容相似度 {e.similarity:.0%}），疑似重复信访"
    )


def earlier_case_for(case: Case, user: User) -> Case | None:
    """The earlier case the repeat hint points at, if `user` may see it."""
    event = CaseEvent.objects.of(case).filter(action="register").only("data").first()
    pk = (event.data or {}).get("earlier_case") if event else None
    return visible_cases(user).filter(pk=pk).first() if pk else None
