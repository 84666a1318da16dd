"""A letter as a .docx in the official layout (GB/T 9704 style, documents.docx_style)."""

from __future__ import annotations

import io

from xinfang.documents import docx_style as s
from xinfang.orgs.models import Organisation, OrgKind

from .models import Letter


def issuing_org(letter: Letter) -> str:
    if letter.case_id and letter.case.registering_org_id:
        return letter.case.registering_org.name
    if letter.issued_by_id and letter.issued_by.organisation_id:
        return letter.issued_by.organisation.name
    bureau = Organisation.objects.filter(kind=OrgKind.BUREAU).order_by("-pk").first()
    return bureau.name if bureau else "信访局"


def letter_docx(letter: Letter) -> tuple[str, bytes]:
    """(file name, bytes) of the letter: title, number, addressee, body, feedback deadline, signature."""
    doc = s.new_document()
    s.add_title(doc, letter.kind_label if letter.kind != "recommendation" else f"关于{letter.kind_label}的函")
    number = doc.add_paragraph()
    number.alignment = 1  # centred
    s.set_run_font(number.add_run(letter.number or "（草稿，待领导审批后编号）"))
    doc.add_paragraph()
    addressee = doc.add_paragraph()
    s.set_run_font(addressee.add_run(f"{letter.unit.name}："))
    body = (
        letter.content.split("：\n", 1)[-1] if letter.content.startswith(letter.unit.name) else letter.content
    )
    for para in body.splitlines():
        if para.strip():
            s.add_body(doc, para.strip())
    if letter.case_id:
        s.add_body(doc, f"相关信访事项编号：{letter.case.number}。")
    s.add_body(doc, f"请于{s.chinese_date(letter.feedback_due)}前书面反馈。")
    doc.add_paragraph()
    s.add_signature(doc, issuing_org(letter), letter.issued_on)
    out = io.BytesIO()
    doc.save(out)
    name = f"{letter.number or letter.get_kind_display() + '草稿'}.docx"
    return name, out.getvalue()
