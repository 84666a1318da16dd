"""The list's search box, read the way staff are asked for a case: a case number, an upstream reference
(交办编号), a petitioner's name, ID number or phone (only for roles that see identities; every such search is
audited, with the ID number and phone masked), or words of the title and content.

Each kind of key is looked up on its own index: the petitioner keys resolve to a short list of case ids
first, so a search stays an index probe at 1M cases instead of an OR across joined tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.orgs.models import User

from .identity import mask_id, mask_phone
from .models import CasePetitioner, Petitioner
from .permissions import sees_full_identity

CASE_NUMBER = re.compile(r"^XF-\d{4}-\d{1,9}$", re.IGNORECASE)
ID_NUMBER = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
# A name is a short run of Chinese characters (with the middle dot of minority names).
YEAR_SEQ = re.compile(r"^(19|20)\d{2}-\d{1,9}$")
SEQ_ONLY = re.compile(r"^\d{1,9}$")
FIRST_YEAR = 2000  # a bare sequence number is looked up in each year since (the (year, seq) index, probed)
NAME = re.compile(r"^[\u4e00-\u9fff·]{2,10}$")
# More petitioners than this under one name is not a lookup any more; the first ones are enough to list.
MAX_PETITIONERS = 500
MAX_WORDS = 5


@dataclass(frozen=True)
class Search:
    q: str
    kind: str  # number / year_seq / id_number / phone / name_or_text / text


def classify(q: str, user: User) -> Search:
    q = " ".join(q.split())
    compact = q.replace(" ", "")  # "4401 1119 8001 1404 12" as dictated over the phone
    identity = sees_full_identity(user)
    if CASE_NUMBER.match(compact):
        _, year, seq = compact.upper().split("-")
        return Search(f"XF-{year}-{int(seq):06d}", "number")  # "xf-2026-4632" is XF-2026-004632
    if YEAR_SEQ.match(compact) or SEQ_ONLY.match(compact):
        return Search(compact, "year_seq")  # the number without its prefix: "2026-004632", "004632"
    if identity and ID_NUMBER.match(compact):
        return Search(compact.upper(), "id_number")
    if identity and PHONE.match(compact):
        return Search(compact, "phone")
    if identity and NAME.match(q):
        return Search(q, "name_or_text")
    return Search(q, "text")


def _case_ids_of(petitioners: QuerySet) -> list[int]:
    ids = list(petitioners.values_list("pk", flat=True)[:MAX_PETITIONERS])
    return list(CasePetitioner.objects.filter(petitioner_id__in=ids).values_list("case_id", flat=True))


def _audit(user: User, kind: str, shown: str, found: int) -> None:
    with transaction.atomic():
        record(
            "case.search_identity",
            actor=user,
            object_type="cases.petitioner",
            object_id="search",
            after={"kind": kind, "query": shown, "cases": found},
        )


# The trigram index (PostgreSQL) answers a LIKE only from trigrams inside the word: for a one- or two-character
# word (most Chinese names and many words: 物业, 噪声) it has none and returns every row to recheck (2.8 s at 1M
# cases). Such a word is matched with STRPOS instead, which the index does not serve: the list then walks the
# registration-order index until its page (and the capped count) is full, which for a common word is short.
TRIGRAM = 3


def _text(q: str) -> Q:
    words = Q()
    for word in q.split()[:MAX_WORDS]:
        if len(word) >= TRIGRAM:
            words &= Q(search_text__contains=word)
        else:
            words &= Q(GreaterThan(StrIndex("search_text", Value(word)), 0))
    return words


def apply(qs: QuerySet, q: str, user: User) -> QuerySet:
    """Narrow the (already permission-scoped) case queryset by the search box."""
    s = classify(q, user)
    if not s.q:
        return qs
    if s.kind == "number":
        return qs.filter(number=s.q)
    if s.kind == "year_seq":
        year, _, seq = s.q.rpartition("-")
        years = [int(year)] if year else list(range(FIRST_YEAR, clock.today().year + 2))
        return qs.filter(year__in=years, seq=int(seq))
    if s.kind == "id_number":
        ids = _case_ids_of(Petitioner.objects.filter(id_number=s.q))
        _audit(user, "id_number", mask_id(s.q), len(ids))
        return qs.filter(pk__in=ids)
    if s.kind == "phone":
        ids = _case_ids_of(Petitioner.objects.filter(phone=s.q))
        _audit(user, "phone", mask_phone(s.q), len(ids))
        return qs.filter(pk__in=ids)
    # 交办编号 as typed, or in the case its issuer uses (they are mostly upper-case letters and digits).
    by_ref = Q(upstream_ref__in={s.q, s.q.upper(), s.q.lower()})
    if s.kind == "name_or_text":
        ids = _case_ids_of(Petitioner.objects.filter(name=s.q))
        if ids:
            _audit(user, "name", s.q, len(ids))
            # A two-character name found among the petitioners is that person: their cases, not every text that
            # contains the two characters (which would also walk the whole table to count them).
            text = _text(s.q) if len(s.q) >= TRIGRAM else Q(pk__in=[])
            return qs.filter(Q(pk__in=ids) | by_ref | text)
    return qs.filter(by_ref | _text(s.q))
