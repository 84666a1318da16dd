"""Registration validation. Forms and the API both end here, so the rules live once.

The input dataclasses and their labels are declared in registration.py (re-exported here).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings

from xinfang.core import clock
from xinfang.core.errors import ValidationFailed
from xinfang.core.text import clean_text
from xinfang.orgs.models import Organisation

from .choices import Channel, IdType, Nature
from .identity import id_number_error, phone_error
from .models import Case, Category
from .permissions import visible_cases
from .registration import PetitionerInput, RegistrationInput, label, specs
from .workflow import deadlines

__all__ = [
    "Preloaded",
    "PetitionerInput",
    "References",
    "RegistrationInput",
    "Resolved",
    "validate_registration",
    "max_representatives",
]

# Read once: the enums' `values` build a fresh list on every access (felt when validating a ledger's rows).
CHANNELS, NATURES = frozenset(Channel.values), frozenset(Nature.values)
CONTENT_MAX = 20000  # characters of 反映内容 (a TextField, so the model gives no limit)


@dataclass
class Resolved:
    """Validated input with foreign keys loaded."""

    data: RegistrationInput
    category: Category
    accused: Organisation | None
    place: Organisation | None
    related: Case | None
    is_collective: bool


class References:
    """How validation finds the category and organisations a registration names: one query each."""

    def category(self, pk: int | None) -> Category | None:
        return Category.objects.filter(pk=pk, is_active=True).first()

    def organisation(self, pk: int | None) -> Organisation | None:
        return Organisation.objects.filter(pk=pk).first()


class Preloaded(References):
    """The active categories and the organisations read once, for validating many rows (the ledger import)."""

    def __init__(self) -> None:
        self.categories = {c.pk: c for c in Category.objects.filter(is_active=True).select_related("parent")}
        self.organisations = {o.pk: o for o in Organisation.objects.all()}

    def category(self, pk: int | None) -> Category | None:
        return self.categories.get(pk)

    def organisation(self, pk: int | None) -> Organisation | None:
        return self.organisations.get(pk)


_QUERIES = References()


class _Errors(dict):
    def add(self, fieldname: str, message: str) -> None:
        self.setdefault(fieldname, []).append(message)


def max_representatives(headcount: int) -> int:
    """art.20 ¶3: at most 5. A provincial profile may be stricter (Zhejiang art.15: ≤10 persons → 3)."""
    profile = settings.XINFANG.get("DEADLINE_PROFILE", "national")
    cap = deadlines.representatives_cap()
    if profile == "zhejiang" and headcount <= 10:
        return min(cap, 3)
    return cap


def normalised(data: RegistrationInput) -> RegistrationInput:
    """``data`` with every declared text field through ``clean_text`` (the form and API did it already;
    this covers the other callers: imports, the demo, scripts)."""
    people = [_cleaned(p) for p in data.petitioners]
    return dataclasses.replace(_cleaned(data), petitioners=people)


def _cleaned(obj):
    changes = {
        s.name: clean_text(value, multiline=s.multiline)
        for s in specs(type(obj))
        if s.kind == "text" and isinstance(value := getattr(obj, s.name), str)
    }
    return dataclasses.replace(obj, **changes)


def _check_sizes(obj, errors: _Errors, key: str = "", prefix: str = "") -> None:
    """Declared text lengths and integer ranges (the model's), so no database refuses the row."""
    for s in specs(type(obj)):
        value = getattr(obj, s.name)
        if s.kind == "text" and s.max_length and isinstance(value, str) and len(value) > s.max_length:
            errors.add(f"{key}{s.name}", f"{prefix}{s.label}不能超过{s.max_length}字")
        elif s.kind == "integer" and s.int_range and isinstance(value, int) and value > s.int_range[1]:
            errors.add(f"{key}{s.name}", f"{prefix}{s.label}不能大于{s.int_range[1]}")


def validate_registration(data: RegistrationInput, actor=None, *, refs: References = _QUERIES) -> Resolved:
    errors = _Errors()
    data = normalised(data)

    if data.channel not in CHANNELS:
        errors.add("channel", f"{label('channel')}取值无效")
    if data.channel == Channel.UPSTREAM:
        if not data.upstream_ref.strip():
            errors.add("upstream_ref", "上级交办件须填写上级交办编号")
        if data.upstream_level not in ("national", "province", "city"):
            errors.add("upstream_level", "上级交办件须选择交办层级（国家/省/市）")
    for name in ("title", "content"):
        if not (getattr(data, name) or "").strip():
            errors.add(name, f"{label(name)}不能为空")
    if len(data.content or "") > CONTENT_MAX:
        errors.add("content", f"{label('content')}不能超过{CONTENT_MAX}字")
    _check_sizes(data, errors)

    category = None
    if data.category in (None, ""):
        errors.add("category", "请选择内容分类")
    else:
        category = refs.category(_int_or_none(data.category))
        if category is None:
            errors.add("category", "所选内容分类不存在")

    accused = None
    if data.nature not in NATURES:
        errors.add("nature", f"{label('nature')}取值无效")
    if data.accused_organisation not in (None, ""):
        accused = refs.organisation(_int_or_none(data.accused_organisation))
        if accused is None:
            errors.add("accused_organisation", "被反映单位不存在")
    if data.nature == Nature.ACCUSATION and accused is None and "accused_organisation" not in errors:
        errors.add("accused_organisation", "检举控告类信访须填写被反映单位")

    place = None
    if data.place_organisation not in (None, ""):
        place = refs.organisation(_int_or_none(data.place_organisation))
        if place is None:
            errors.add("place_organisation", "问题属地不存在")

    today = clock.today()
    if data.received_date is None:
        errors.add("received_date", "请填写收到日期")
    elif data.received_date > today:
        errors.add("received_date", "收到日期不能晚于今天")
    elif data.received_date.year < 2000:
        errors.add("received_date", "收到日期过早，请核对")

    related = None
    if data.related_case not in (None, ""):
        # Through what the registrar may see: a hidden case answers exactly like a missing one.
        cases = Case.objects.all() if actor is None else visible_cases(actor)
        related = cases.filter(pk=_int_or_none(data.related_case)).first()
        if related is None:
            errors.add("related_case", "关联信访件不存在或无权查看")

    _validate_petitioners(data, errors)
    threshold = settings.XINFANG["COLLECTIVE_THRESHOLD"]
    if errors:
        raise ValidationFailed(dict(errors))
    return Resolved(
        data=data,
        category=category,
        accused=accused,
        place=place,
        related=related,
        is_collective=max(data.headcount or 1, len(data.petitioners)) >= threshold,  # joint letters too
    )


def _validate_petitioners(data: RegistrationInput, errors: _Errors) -> None:
    people = data.petitioners
    if not people:
        errors.add("petitioners", "至少填写一名信访人")
        return
    if data.headcount is None or data.headcount < 1:
        errors.add("headcount", "来访人数至少为1")
    elif data.headcount < len(people) and data.channel == Channel.VISIT:
        # A visit's headcount is what the registrar counted at the door; a joint letter's is its signatories
        # (the case stores the larger number), so only a visit can contradict itself.
        errors.add("headcount", f"来访人数（{data.headcount}）少于已填写的信访人数（{len(people)}）")
    seen_ids: set[str] = set()
    for i, p in enumerate(people, start=1):
        prefix = f"第{i}名信访人的"
        key = f"petitioners.{i - 1}"
        if not (p.name or "").strip():
            errors.add(f"{key}.name", f"{prefix}姓名不能为空")
        _check_sizes(p, errors, f"{key}.", prefix)
        if p.id_number:
            if p.id_type == IdType.RESIDENT_ID:
                reason = id_number_error(p.id_number)
                if reason:
                    errors.add(f"{key}.id_number", f"{prefix}{reason}")
            norm = p.id_number.strip().upper()
            if norm in seen_ids:
                errors.add(f"{key}.id_number", f"{prefix}身份证号码与其他信访人重复")
            seen_ids.add(norm)
        if p.phone and phone_error(p.phone):
            errors.add(f"{key}.phone", f"{prefix}{phone_error(p.phone)}")
    threshold = settings.XINFANG["COLLECTIVE_THRESHOLD"]
    # Art.20 ¶3 limits the representatives of a *visit*; a joint letter or an online petition signed by
    # six or more people registers with every signatory.
    if data.channel == Channel.VISIT and ((data.headcount or 0) >= threshold or len(people) > 1):
        reps = [p for p in people if p.is_representative] or people
        cap = max_representatives(data.headcount or len(people))
        if len(reps) > cap:
            errors.add("petitioners", f"多人来访推选的代表不得超过{cap}人（当前{len(reps)}人），请只登记代表")


def _int_or_none(value) -> int | None:
    """A primary key to look up, or None (also for one no database column can hold)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) < 2**63 else None
