"""Uploads across a failed submit, and downloads: a registration form that comes back with errors keeps the
files already chosen (as PendingUpload rows of that user) so nothing is chosen twice; a saved attachment is
downloaded only by someone who may see its case, and every download is audited."""

from __future__ import annotations

from datetime import timedelta

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404

from xinfang.audit.services import record
from xinfang.core import clock
from xinfang.orgs.models import User

from .attachments import attachment_error, content_type_for, sha256_of
from .models import Attachment, Case, PendingUpload
from .permissions import get_case_for

PENDING_HOURS = 24


def keep(user: User, uploads: list[UploadedFile]) -> tuple[list[PendingUpload], list[str]]:
    """Store the acceptable uploads as the user's pending files; return them and the refusals (Chinese)."""
    kept, errors = [], []
    for upload in uploads:
        if msg := attachment_error(upload):
            errors.append(msg)
            continue
        row = PendingUpload(
            original_name=(upload.name or "")[:200],
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_at=clock.now(),
            uploaded_by=user,
        )
        row.file.save(upload.name, upload, save=False)
        row.save()
        kept.append(row)
    return kept, errors


def pending_of(user: User, ids: list[str]) -> list[PendingUpload]:
    """The user's own pending files among the ids a form sent back (anyone else's are ignored)."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:50]
    return list(PendingUpload.objects.filter(pk__in=wanted, uploaded_by=user).order_by("id"))


def as_files(rows: list[PendingUpload]) -> list[File]:
    """Pending files as uploads for register_case (same checks, same storage as a fresh upload)."""
    return [File(row.file.open("rb"), name=row.original_name) for row in rows]


def discard(rows: list[PendingUpload]) -> None:
    """After the case saved them as attachments: drop the pending copies (files once the commit is sure)."""
    for row in rows:
        row.file.close()
        name, storage = row.file.name, row.file.storage
        row.delete()
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))


def purge_pending(now=None) -> int:
    """Pending files nobody came back for within PENDING_HOURS (a daily job)."""
    before = (now or clock.now()) - timedelta(hours=PENDING_HOURS)
    rows = list(PendingUpload.objects.filter(uploaded_at__lt=before))
    for row in rows:
        row.file.storage.delete(row.file.name)
    PendingUpload.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


def download(user: User, case_id: int, attachment_id: int, address: str = "") -> FileResponse:
    """The attachment as a download, for a user who may see the case (404 otherwise); audited."""
    case: Case = get_case_for(user, case_id)
    att = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if att is None:
        raise Http404("附件不存在")
    with transaction.atomic():
        record(
            "attachment.download",
            actor=user,
            obj=att,
            address=address,
            after={"case": case.number, "name": att.original_name, "sha256": att.sha256},
        )
    kind = content_type_for(att.original_name)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.original_name, content_type=kind
    )
