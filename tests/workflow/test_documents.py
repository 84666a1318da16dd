"""Stage documents: valid .docx in the official layout, filled from the case, stored with the event."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.workflow.conftest import new_case, opinion, to_handling, today_is
from xinfang.cases.models import CaseDocument
from xinfang.cases.workflow import actions as tr
from xinfang.cases.workflow.deadlines import PROFILES
from xinfang.documents import case_documents
from xinfang.documents.case_documents import DOC_TYPES, DocumentIncomplete, build_docx, case_values

pytestmark = pytest.mark.django_db

PROFILE = PROFILES["national"]


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _east_asia_fonts(content: bytes) -> set[str]:
    doc = Document(io.BytesIO(content))
    fonts = set()
    for p in doc.paragraphs:
        for run in p.runs:
            rfonts = run._element.rPr.rFonts
            fonts.add(rfonts.get(qn("w:eastAsia")))
    return fonts


def test_a_full_walk_produces_every_stage_document_linked_to_its_event(people):
    with today_is(2026, 7, 20):
        case = to_handling(new_case(people, date(2026, 3, 2)), people, date(2026, 3, 3), date(2026, 3, 4))
        case = tr.extend_deadline(
            case, people.head, version=case.version, days=20, reason="需补充鉴定", on=date(2026, 3, 10)
        )
        case = tr.reply_case(
            case, people.head, version=case.version, served_on=date(2026, 4, 20), **opinion()
        )
        case = tr.request_review(
            case,
            people.registrar,
            version=case.version,
            body=people.district,
            received_on=date(2026, 5, 6),
            reason="不服",
        )
        case = tr.review_case(
            case, people.district_head, version=case.version, served_on=date(2026, 5, 25), **opinion()
        )
        case = tr.request_rereview(
            case,
            people.registrar,
            version=case.version,
            body=people.city,
            received_on=date(2026, 6, 1),
            reason="不服",
        )
        case = tr.rereview_case(
            case, people.city_head, version=case.version, served_on=date(2026, 7, 3), **opinion()
        )
    docs = {d.doc_type: d for d in CaseDocument.objects.filter(case=case)}
    assert set(docs) == {
        "routing_slip", "acceptance_notice", "extension_notice", "handling_opinion", "review_opinion", "rereview_opinion"
    }  # fmt: skip
    for d in docs.values():
        content = bytes(d.content)
        assert content[:2] == b"PK" and d.event is not None and d.filename.endswith(".docx")
        assert {"仿宋_GB2312", "方正小标宋简体"} <= _east_asia_fonts(content)
        assert case.number in _text(content)
    reply = _text(bytes(docs["handling_opinion"].content))
    for part in (
        "请求停止夜间施工",
        "经现场核查",
        "噪声污染防治法",
        "30日内",
        "复查",
        "二〇二六年四月二十日",
    ):
        assert part in reply
    assert "转送" in docs["routing_slip"].title and people.unit.name in _text(
        bytes(docs["routing_slip"].content)
    )
    assert "不再受理" in _text(bytes(docs["rereview_opinion"].content))
    assert "二〇二六年五月二十五日" in _text(
        bytes(docs["extension_notice"].content)
    )  # 03-04 + 80 = Sat 05-23


def test_not_accepted_notice_states_the_ground(people):
    with today_is(2026, 3, 5):
        case = new_case(people, date(2026, 3, 2))
        case = tr.not_accept_case(case, people.registrar, version=case.version, ground="other_procedure")
    doc = case.documents.get()
    assert doc.doc_type == "non_acceptance_notice" and "行政复议" in _text(bytes(doc.content))


def test_an_assignment_slip_says_it_is_assigned(people):
    with today_is(2026, 3, 5):
        case = new_case(people, date(2026, 3, 2))
        case = tr.assign_case(
            case, people.registrar, version=case.version, unit=people.unit, result_due=date(2026, 4, 5)
        )
    doc = case.documents.get()
    assert "交办单" in doc.title and "办结报告" in _text(bytes(doc.content))


def test_a_handling_opinion_without_legal_basis_is_refused_by_the_document_itself(people):
    case = new_case(people, date(2026, 3, 2))
    values = case_values(
        case, profile=PROFILE, **{**opinion(legal_basis=""), "decision": "支持"}, review_route="如不服……"
    )
    with pytest.raises(DocumentIncomplete) as err:
        build_docx("handling_opinion", values)
    assert "法律依据" in str(err.value)
    title, content = build_docx(
        "handling_opinion", case_values(case, profile=PROFILE, **{**opinion(), "review_route": "如不服……"})
    )
    assert title == "信访事项处理意见书" and "法律依据" in _text(content)


def test_there_is_one_template_file_per_document_type():
    assert len(DOC_TYPES) == 12


def test_a_document_is_laid_out_on_first_use_from_the_values_fixed_at_issue(people):
    with today_is(2026, 3, 5):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
    stored = CaseDocument.objects.get(case=case)
    assert stored.rendered == b"" and stored.sha256 == ""  # the action did not run python-docx
    assert stored.values["case_number"] == case.number and stored.values["_date"] == "2026-03-05"

    # The case changes afterwards; the document still says what it said when it was issued.
    case.title = "改过的标题"
    case.save(update_fields=["title"])
    with today_is(2026, 9, 1):
        first = CaseDocument.objects.get(pk=stored.pk).content
    assert first[:2] == b"PK" and case.number in _text(first) and "改过的标题" not in _text(first)
    assert "二〇二六年三月五日" in _text(first)  # the issue date, not the day of the download

    again = CaseDocument.objects.get(pk=stored.pk)
    assert again.rendered == first and again.content == first  # stored once, read back unchanged
    assert again.sha256 == hashlib.sha256(first).hexdigest()


def test_two_first_downloads_at_once_both_get_the_copy_stored_first(people, monkeypatch):
    with today_is(2026, 3, 5):
        case = new_case(people, date(2026, 3, 2))
        case = tr.forward_case(case, people.registrar, version=case.version, unit=people.unit)
    # Both read before either lays the .docx out.
    a = CaseDocument.objects.get(case=case)
    b = CaseDocument.objects.get(case=case)
    first = a.content
    # b lays out its own copy (made different here), loses the race to store it, and reads back the first one.
    monkeypatch.setattr(case_documents, "build_docx", lambda doc_type, values: ("", b"PK another layout"))
    assert b.rendered == b"" and b.content == first
    assert CaseDocument.objects.get(pk=a.pk).sha256 == hashlib.sha256(first).hexdigest()
