"""Stage documents of a case (受理告知书 … 复核意见书) as GB/T 9704-style .docx.

Each document type is one JSON file in ``documents/templates/``: title, 文号, addressee, numbered
paragraphs (``{"heading": …}`` or ``{"text": …}`` with ``{placeholders}``), signature and the
placeholders that must not be empty. This module only fills them from the case and lays them out with
``docx_style``; what a document must contain is decided by the template and the workflow service.
"""

from __future__ import annotations

import datetime
import io
import json
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from xinfang.core import clock
from xinfang.core.text import xml_safe
from xinfang.documents.docx_style import (
    add_body,
    add_heading_cn,
    add_signature,
    add_title,
    chinese_date,
    new_document,
)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DOC_TYPES = {
    "acceptance_notice": "受理告知书",
    "non_acceptance_notice": "不予受理告知书",
    "routing_slip": "转送/交办单",
    "extension_notice": "延期告知书",
    "handling_opinion": "处理意见书",
    "review_opinion": "复查意见书",
    "rereview_opinion": "复核意见书",
    "inform_notice": "告知书",
    "not_reaccept_notice": "不再受理告知书",
    "suggestion_reply": "建议意见答复书",
    "accusation_feedback": "检举控告办理情况反馈",
    "mediation_agreement": "调解（和解）协议书",
}


class DocumentIncomplete(ValueError):
    """A required part of the document is empty; the message is Chinese and names it."""


@lru_cache(maxsize=16)
def load_template(doc_type: str) -> dict[str, Any]:
    if doc_type not in DOC_TYPES:
        raise KeyError(doc_type)
    return json.loads((TEMPLATE_DIR / f"{doc_type}.json").read_text(encoding="utf-8"))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(text: str, values: dict[str, Any]) -> str:
    return string.Formatter().vformat(text, (), _Blank(values))


def _cn(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    if isinstance(value, datetime.date):
        return chinese_date(value)
    return "" if value is None else xml_safe(str(value))


FIELD_NAMES = {
    "request_text": "信访请求",
    "facts": "事实和理由",
    "decision_text": "处理意见",
    "legal_basis": "法律依据",
    "review_route": "复查（复核）途径和期限",
    "reason": "延期理由",
    "ground": "不予受理理由",
    "route_text": "法定途径",
    "answer": "研究论证意见及理由",
    "outcome_label": "研究结果",
    "feedback": "办理情况",
    "agreement": "协议内容",
    "unit_received": "收到日期",
    "acceptance_basis": "受理依据",
    "unit": "承办单位",
}


def case_values(case, *, profile, **extra: Any) -> dict[str, Any]:
    """Placeholder values from the case (dates in 公文 form) plus the action's own values. `profile` is the
    workflow's deadline profile (its `rule(step).n` gives the statutory days the notices quote)."""
    primary = case.parties.select_related("petitioner").order_by("-is_primary", "id").first()
    values: dict[str, Any] = {
        "case_number": case.number,
        "case_title": case.title,
        "case_content": case.content,
        "case_requests": case.requests or "（未填写）",
        "petitioner": primary.petitioner.name if primary else "信访人",
        "received": case.received_date,
        "accepted": case.accepted_at,
        "handling_due": case.handling_due_date,
        "handler": case.responsible_unit.name if case.responsible_unit_id else "",
        "year": (extra.get("on") or clock.today()).year,
        "handling_days": profile.rule("handling").n,
        "extension_days": profile.rule("extension").n,
        "acceptance_days": profile.rule("acceptance").n,
        "objection_days": profile.rule("objection").n,
    }
    values.update(extra)
    # An organisation is named as the law names it (示例区人民政府, not 示例区).
    return {k: (v.legal_name if hasattr(v, "legal_name") else _cn(v)) for k, v in values.items()}


def check_complete(doc_type: str, values: dict[str, Any]) -> None:
    """Raise DocumentIncomplete (a Chinese message naming the parts) when a required part is empty."""
    tpl = load_template(doc_type)
    missing = [name for name in tpl.get("required", []) if not str(values.get(name, "")).strip()]
    if missing:
        names = "、".join(FIELD_NAMES.get(m, m) for m in missing)
        raise DocumentIncomplete(f"{DOC_TYPES[doc_type]}缺少必备内容：{names}")


def build_docx(doc_type: str, values: dict[str, Any]) -> tuple[str, bytes]:
    """Lay out one document; returns (title, .docx bytes). Raises DocumentIncomplete."""
    check_complete(doc_type, values)
    tpl = load_template(doc_type)
    title = _fill(tpl["title"], values)
    doc = new_document()
    add_title(doc, title)
    if tpl.get("number"):
        add_body(doc, _fill(tpl["number"], values)).alignment = 1  # centred 发文字号
    add_body(doc, _fill(tpl["addressee"], values)).paragraph_format.first_line_indent = 0
    for part in tpl["paragraphs"]:
        if "heading" in part:
            add_heading_cn(doc, _fill(part["heading"], values), level=1)
        else:
            text = _fill(part["text"], values).strip()
            if text:
                add_body(doc, text)
    add_signature(doc, _fill(tpl["signature"], values), _signature_date(tpl, values))
    buf = io.BytesIO()
    doc.save(buf)
    return title, buf.getvalue()


def _signature_date(tpl: dict, values: dict[str, Any]) -> datetime.date:
    """The date under the signature: the action's own (kept as `_date` by prepare_case_document), else today."""
    if isinstance(stored := values.get("_date"), str):
        return datetime.date.fromisoformat(stored)
    date_key = tpl.get("date", "on")
    return values.get(f"_{date_key}") or clock.today()


@dataclass(frozen=True)
class PreparedDocument:
    """What a stage document says, fixed when it is issued: its .docx can be laid out from `values` at any later
    time (on first download) and reads the same."""

    doc_type: str
    title: str
    filename: str
    values: dict[str, str]


def prepare_case_document(doc_type: str, case, *, profile, **extra: Any) -> PreparedDocument:
    """The document's title, file name and every value it will show, read from the case now (raises
    DocumentIncomplete now, at the action, if a required part is empty). The values are JSON: strings, and the
    signature date as ISO text."""
    raw_dates = {f"_{k}": v for k, v in extra.items() if isinstance(v, datetime.date)}
    if doc_type == "routing_slip":
        assigned = case.status == "assigned"
        extra.setdefault("slip_kind", "交办" if assigned else "转送")
        if assigned:
            extra.setdefault("assign_text", "本件为交办件，请在规定期限内办结并报送办结报告。")
    values = case_values(case, profile=profile, **extra)
    check_complete(doc_type, values)
    tpl = load_template(doc_type)
    values["_date"] = _signature_date(tpl, {**values, **raw_dates}).isoformat()
    title = _fill(tpl["title"], values)
    filename = f"{case.number}-{_fill(tpl['filename'], values)}.docx"
    return PreparedDocument(doc_type, title, filename, values)
