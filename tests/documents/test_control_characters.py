"""A control character already stored in a case (pasted from Word before the edges cleaned text) never
makes a stage document fail: every value is made XML-safe on its way into the .docx."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from tests.workflow.conftest import new_case, today_is
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow.deadlines import PROFILES
from xinfang.documents.case_documents import build_docx, prepare_case_document
from xinfang.documents.docx_style import add_table, new_document

pytestmark = pytest.mark.django_db
# What a database can hold (PostgreSQL refuses NUL, neither stores lone surrogates).
STORED = "\x0b\x07\x0c\x1b\x01"


def _dirty_case(people):
    case = new_case(people, date(2026, 3, 2))
    Case.objects.filter(pk=case.pk).update(
        title=f"反映{STORED}噪声", content=f"工地夜间施工{STORED}扰民", requests=f"停止{STORED}施工"
    )
    Petitioner.objects.filter(parties__case=case).update(name=f"张{STORED}伟")
    return Case.objects.get(pk=case.pk)


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_a_document_renders_from_a_case_holding_control_characters(people):
    case = _dirty_case(people)
    with today_is(2026, 3, 5):
        prepared = prepare_case_document(
            "acceptance_notice", case, profile=PROFILES["national"], unit=people.unit,
            unit_received=case.received_date, acceptance_basis="第二十三条", handling_text="依法办理。",
        )  # fmt: skip
        _title, content = build_docx("acceptance_notice", prepared.values)
    text = _text(content)
    assert content[:2] == b"PK" and case.number in text and "张" in text
    assert not any(ch in text for ch in "\x07\x1b\x01")


def test_a_workflow_action_that_produces_a_document_still_succeeds(people):
    case = _dirty_case(people)
    with today_is(2026, 3, 5):
        case = tr.forward_case(
            case, people.registrar, version=case.version, unit=people.unit, on=date(2026, 3, 3)
        )
    assert case.documents.get().doc_type == "routing_slip"


def test_tables_take_any_stored_value():
    doc = new_document()
    add_table(doc, ["名称\x0b"], [["值\x00\x07\ud800"], [None]])
    doc.save(io.BytesIO())
