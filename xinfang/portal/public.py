"""What the public does without an account: submit a petition or a 人民建议, track it by query code and the
last four digits of the phone, and ask for 复查 online. The query code is shown once; only a keyed hash is
stored (`PublicAccess`), and the case's own `query_code` field is left empty for online cases."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xinfang.audit.services import record
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.identity import id_number_error, phone_error
from xinfang.cases.models import Case, Category
from xinfang.cases.services import QUERY_CODE_ALPHABET, register_case
from xinfang.cases.validation import PetitionerInput, RegistrationInput
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed

from . import notifications, throttle
from .accounts import system_account
from .models import PublicAccess

CODE_LENGTH = 16  # 32 symbols → 80 bits
NOT_FOUND_MESSAGE = "查询码或手机号后四位不正确"
# Size limits for what the public may send (the registration rules still apply on top).
LIMITS = {"name": 50, "address": 200, "title": 100, "content": 5000, "requests": 2000}
LABELS = {"name": "姓名", "address": "住址", "title": "标题", "content": "反映内容", "requests": "诉求"}


@dataclass
class Submission:
    name: str
    id_number: str
    phone: str
    address: str
    title: str
    content: str
    requests: str = ""
    nature: str = Nature.APPEAL
    accused_organisation: int | None = None
    category: int | None = None
    website: str = ""  # honeypot: people never see it, bots fill it in
    attachments: list[UploadedFile] = field(default_factory=list)


def new_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c.isalnum())


def _phone4_hash(phone4: str) -> str:
    return throttle.keyed_hash("phone4:" + (phone4 or "").strip())


def _check(data: Submission) -> None:
    errors: dict[str, list[str]] = {}
    if data.website:
        errors["website"] = ["提交无效，请刷新页面后重试"]
    for name, limit in LIMITS.items():
        value = (getattr(data, name) or "").strip()
        if len(value) > limit:
            errors.setdefault(name, []).append(f"{LABELS[name]}不能超过{limit}字")
    for name, label in (("name", "姓名"), ("phone", "手机号码"), ("id_number", "身份证号码")):
        if not (getattr(data, name) or "").strip():
            errors.setdefault(name, []).append(f"请填写{label}")
    if data.id_number and (reason := id_number_error(data.id_number)):
        errors.setdefault("id_number", []).append(reason)
    if data.phone and phone_error(data.phone):
        errors.setdefault("phone", []).append("手机号码格式不正确")
    if data.nature not in Nature.values:
        errors.setdefault("nature", []).append("信访目的取值无效")
    if len(data.attachments) > settings.XINFANG["PORTAL_MAX_ATTACHMENTS"]:
        errors["attachments"] = [f"附件最多{settings.XINFANG['PORTAL_MAX_ATTACHMENTS']}个"]
    if errors:
        raise ValidationFailed(errors)


def _triage(data: Submission) -> tuple[int | None, dict]:
    """The category (chosen, else the model's first suggestion, else 其他) and what triage suggested."""
    from xinfang.triage.services import case_text, suggest_categories

    try:
        suggested = suggest_categories(case_text(data.title, data.content, data.requests))
    except Exception:
        suggested = []
    cats = [
        {
            "label": s.label,
            "probability": round(s.probability, 3),
            "category_id": s.category and s.category.pk,
        }
        for s in suggested
    ]
    category = data.category
    if category in (None, ""):
        category = next((c["category_id"] for c in cats if c["category_id"]), None) or _fallback_category()
    return category, {"categories": cats, "units": []}


def _fallback_category() -> int | None:
    leaves = Category.objects.filter(parent__isnull=False, is_active=True)
    fallback = (
        leaves.filter(name__contains="其他").order_by("code").first() or leaves.order_by("code").first()
    )
    return fallback.pk if fallback else None  # none configured: registration asks for a category (422)


def submit(data: Submission, *, address: str) -> tuple[Case, str]:
    """网上信访 / 人民建议: register the case (channel online) for the bureau's system account; returns the case
    and the query code (shown once)."""
    throttle.check("submit_addr", address)
    throttle.check("submit_id", (data.id_number or "").strip().upper())
    _check(data)
    category, suggestions = _triage(data)
    person = PetitionerInput(
        name=data.name.strip(),
        id_number=data.id_number.strip().upper(),
        phone=data.phone.strip(),
        address=data.address.strip(),
    )
    registration = RegistrationInput(
        channel=Channel.ONLINE,
        title=data.title.strip(),
        content=data.content.strip(),
        requests=data.requests.strip(),
        category=category,
        nature=data.nature,
        received_date=clock.today(),
        petitioners=[person],
        accused_organisation=data.accused_organisation,
    )
    with transaction.atomic():
        case = register_case(
            actor=system_account(), data=registration, attachments=data.attachments, suggestions=suggestions
        )
        code = new_code()
        PublicAccess.objects.create(
            case=case, code_hash=throttle.keyed_hash(code), phone4_hash=_phone4_hash(person.phone[-4:])
        )
        Case.objects.filter(pk=case.pk).update(query_code="")  # the code lives only as a hash
        throttle.hit("submit_addr", address)
        throttle.hit("submit_id", person.id_number)
        record("portal.submit", obj=case, address=address, after={"nature": case.nature})
        notifications.notify_on_commit(case, notifications.Event.REGISTERED, query_code=code)
    return case, code


def find_case(code: str, phone4: str) -> Case | None:
    """The case for this code and phone, or None. A wrong code and a wrong phone cost the same: one indexed
    query and one constant-time comparison of keyed hashes (against a dummy when the code matched nothing)."""
    row = PublicAccess.objects.select_related("case").filter(
        code_hash=throttle.keyed_hash(normalise_code(code))
    )
    row = row.first()
    expected = row.phone4_hash if row is not None else throttle.keyed_hash("phone4:no-such-case")
    matches = hmac.compare_digest(expected, _phone4_hash(phone4))
    return row.case if row is not None and matches else None


def lookup(code: str, phone4: str, *, address: str) -> Case:
    """find_case with throttling: failed look-ups from one address are counted; past the limit → Throttled."""
    throttle.check("lookup_fail", address)
    case = find_case(code, phone4)
    if case is None:
        throttle.hit("lookup_fail", address)
        raise ServiceError(NOT_FOUND_MESSAGE, code=ErrorCode.NOT_FOUND)
    return case
