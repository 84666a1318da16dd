"""Case services: one function per business action, each in one transaction with its audit event."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.cases.permissions import can_register
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.models import User

from .attachments import attachment_error, content_type_for, sha256_of
from .choices import Status
from .identity import mask_id, mask_phone
from .models import Attachment, Case, CaseEvent, CasePetitioner, Petitioner
from .registration import PetitionerInput, RegistrationInput
from .repeats import EarlierCase, find_earlier_cases, repeat_reason
from .signals import case_registered
from .validation import validate_registration
from .workflow import rulings

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _next_seq(year: int) -> int:
    return (Case.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0) + 1


def _query_code() -> str:
    # The alphabet has 32 letters: one random byte's low 5 bits pick one uniformly (the ledger import makes
    # hundreds of thousands of these; one token_bytes call beats eight secrets.choice calls).
    return "".join(QUERY_CODE_ALPHABET[b & 31] for b in secrets.token_bytes(8))


def _upsert_petitioner(p: PetitionerInput) -> Petitioner:
    """Reuse the person when the ID number is known, so their history stays linked."""
    id_number = p.id_number.strip().upper()
    if id_number:
        existing = Petitioner.objects.filter(id_number=id_number).order_by("id").first()
        if existing is not None:
            changed = False
            for attr in ("phone", "address"):
                new = getattr(p, attr).strip()
                if new and new != getattr(existing, attr):
                    setattr(existing, attr, new)
                    changed = True
            if changed:
                existing.save(update_fields=["phone", "address"])
            return existing
    return Petitioner.objects.create(
        name=p.name.strip(),
        id_type=p.id_type,
        id_number=id_number,
        phone=p.phone.strip(),
        address=p.address.strip(),
    )


# What the audit trail keeps of a case (its key → the model attribute): no identity number or phone in clear.
AUDIT_FIELDS = {
    "number": "number", "status": "status", "channel": "channel", "title": "title", "category": "category_id",
    "nature": "nature", "responsible_unit": "responsible_unit_id", "due_date": "due_date", "version": "version",
}  # fmt: skip


def audit_snapshot(case: Case) -> dict:
    people = [cp.petitioner for cp in case.parties.select_related("petitioner")]
    return audit_values(lambda attr: getattr(case, attr), people)


def audit_values(value_of: Callable[[str], Any], people: Iterable) -> dict:
    """The audit snapshot from any source of a case's attributes (the ledger import's rows are tuples) and its
    petitioners (anything with name, id_number and phone)."""
    return {
        **{key: value_of(attr) for key, attr in AUDIT_FIELDS.items()},
        "petitioners": [
            {"name": p.name, "id": mask_id(p.id_number), "phone": mask_phone(p.phone)} for p in people
        ],
    }


def register_case(
    *,
    actor: User,
    data: RegistrationInput,
    attachments: list[UploadedFile | File] | None = None,
    suggestions: dict | None = None,
) -> Case:
    """登记: validate, number, store people, start the triage clock, record timeline and audit."""
    if not can_register(actor):
        raise ServiceError("您没有登记信访事项的权限", code=ErrorCode.FORBIDDEN)
    attachments = attachments or []
    bad = [msg for f in attachments if (msg := attachment_error(f))]
    try:
        resolved = validate_registration(data, actor)
    except ValidationFailed as exc:  # one round: the attachments' refusals come with the fields' errors
        raise ValidationFailed({**exc.errors, **({"attachments": bad} if bad else {})}) from None
    if bad:
        raise ValidationFailed({"attachments": bad})
    earlier = find_earlier_cases(data.petitioners, data.content)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = _create_case(actor, resolved, earlier)
                _store_attachments(case, actor, attachments)
                record("case.register", actor=actor, obj=case, after=audit_snapshot(case))
                rulings.apply(case, actor)
                case_registered.send(sender=Case, case=case, actor=actor, suggestions=suggestions)
                return case
        except IntegrityError:
            # Two registrations took the same sequence number at once; take the next one.
            continue
    raise ServiceError("登记繁忙，请稍后重试", code=ErrorCode.CONFLICT)


def _create_case(actor: User, resolved, earlier: list[EarlierCase]) -> Case:
    data = resolved.data
    now = clock.now()
    year = timezone.localtime(now).year
    seq = _next_seq(year)
    opening = rulings.opening_fields(data.received_date)  # art.22 (or the province's row): from receipt
    case = Case.objects.create(
        number=f"XF-{year}-{seq:06d}",
        year=year,
        seq=seq,
        channel=data.channel,
        upstream_ref=data.upstream_ref.strip(),
        upstream_level=data.upstream_level,
        title=data.title.strip(),
        content=data.content.strip(),
        requests=data.requests.strip(),
        category=resolved.category,
        nature=data.nature,
        accused_organisation=resolved.accused,
        place_organisation=resolved.place,
        place_address=data.place_address.strip(),
        headcount=max(data.headcount or 1, len(data.petitioners)),
        is_first=data.is_first and resolved.related is None,
        is_level_skipping=data.is_level_skipping,
        is_to_beijing=data.is_to_beijing,
        is_collective=resolved.is_collective,
        is_major_urgent=data.is_major_urgent,
        is_confidential=data.is_confidential,
        is_repeat_suspect=bool(earlier) or resolved.related is not None,
        repeat_reason=repeat_reason(earlier)[:300],
        related_case=resolved.related,
        received_date=data.received_date,
        registered_at=now,
        registered_by=actor,
        registering_org=actor.organisation,
        **opening,
        query_code=_query_code(),
        search_text=f"{data.title}\n{data.content}\n{data.requests}",
    )
    reps = [p for p in data.petitioners if p.is_representative]
    for i, p in enumerate(data.petitioners):
        CasePetitioner.objects.create(
            case=case,
            petitioner=_upsert_petitioner(p),
            is_primary=i == 0,
            is_representative=p.is_representative or (not reps and case.is_collective),
        )
    if data.is_confidential:
        case.confidential_officers.add(actor)
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="register",
        label="登记",
        to_status=Status.REGISTERED,
        note=case.repeat_reason,
        data={
            "channel": case.channel,
            "triage_due": str(opening["triage_due_date"]),
            **({"earlier_case": earlier[0].case.pk} if earlier else {}),
        },
    )
    return case


def _store_attachments(case: Case, actor: User, uploads: list[UploadedFile | File]) -> None:
    for upload in uploads:
        att = Attachment(
            case=case,
            original_name=upload.name[:200],
            content_type=content_type_for(upload.name),
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_by=actor,
        )
        att.file.save(upload.name, upload, save=False)
        att.save()


def reveal_identity(*, actor: User, case: Case, address: str = "") -> None:
    """Record that a user saw a case's identity numbers and phones in full (design.md §7)."""
    record("case.identity_view", actor=actor, obj=case, address=address)
