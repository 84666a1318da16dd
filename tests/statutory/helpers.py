"""Small helpers for the statutory tests: text of a stored document, the state a refusal must not change."""

from __future__ import annotations

import io

from docx import Document

from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case


def doc_text(case: Case, doc_type: str) -> str:
    stored = case.documents.get(doc_type=doc_type)
    return "\n".join(p.text for p in Document(io.BytesIO(bytes(stored.content))).paragraphs)


def state(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.events.count(),
        fresh.documents.count(),
        AuditEvent.objects.count(),
    )
