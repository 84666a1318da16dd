"""Workflow records (extensions, hearings, review requests, opinions, documents).

Imported at the end of models.py. All rows are append-only: the services create them, nothing edits them
(a document's .docx is filled in once, on first use, from the values fixed when it was issued).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from xinfang.orgs.models import Organisation

from ..models import Case, CaseEvent

__all__ = ["CaseDocument", "CaseOpinion", "Extension", "Hearing", "Recusal", "ReviewRequest"]


class Extension(models.Model):
    """延期 (art.34): approved by the unit head, reason told to the petitioner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长天数")
    reason = models.TextField("延期理由")
    old_due = models.DateField("原办结期限")
    new_due = models.DateField("新办结期限")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期")

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class ReviewRequest(models.Model):
    """A 复查 (level 1) or 复核 (level 2) request, received by the body one level up."""

    REVIEW = "review"
    REREVIEW = "rereview"
    LEVELS = [(REVIEW, "复查"), (REREVIEW, "复核")]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="review_requests")
    level = models.CharField("类别", max_length=8, choices=LEVELS)
    body = models.ForeignKey(
        Organisation, verbose_name="受理机关", on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField("收到请求日期")
    window_end = models.DateField("申请期限")
    due_date = models.DateField("意见期限")
    hearing_days = models.PositiveSmallIntegerField("听证天数", default=0)
    reason = models.TextField("请求理由")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "复查复核申请"
        verbose_name_plural = "复查复核申请"
        indexes = [models.Index(fields=["body", "due_date"], name="review_body_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"


class Hearing(models.Model):
    """听证: its days are added to the 复核 deadline (art.36 ¶2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    review_request = models.ForeignKey(ReviewRequest, null=True, blank=True, on_delete=models.CASCADE)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    days = models.PositiveSmallIntegerField("天数")
    note = models.TextField("说明", blank=True)
    held_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"{self.case_id} {self.start}–{self.end}"


class CaseOpinion(models.Model):
    """处理意见书 / 复查意见书 / 复核意见书: what it states, who issued it, when it was served."""

    KINDS = [("reply", "处理意见书"), ("review", "复查意见书"), ("rereview", "复核意见书")]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    kind = models.CharField(max_length=8, choices=KINDS)
    issuer = models.ForeignKey(
        Organisation, verbose_name="出具机关", on_delete=models.PROTECT, related_name="+"
    )
    request_text = models.TextField("信访请求")
    facts = models.TextField("事实和理由")
    decision = models.CharField("处理结果", max_length=16)
    decision_text = models.TextField("处理意见")
    legal_basis = models.TextField("法律依据")
    review_route = models.TextField("复查（复核）途径和期限", blank=True)
    result_report = models.TextField("办结报告", blank=True)
    served_on = models.DateField("送达日期")
    # Last day for the petitioner to ask the next level (None after a 复核 opinion).
    next_window_end = models.DateField("下一级申请期限", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "处理（复查、复核）意见"
        verbose_name_plural = "处理（复查、复核）意见"

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class CaseDocument(models.Model):
    """A generated .docx, linked to the timeline event. What it says is fixed when it is issued (`values`, read
    from the case by the action); the .docx is laid out from them on first use (`content`) and stored once, so
    an action does not pay for python-docx and the file never changes after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    event = models.ForeignKey(CaseEvent, null=True, on_delete=models.SET_NULL, related_name="+")
    doc_type = models.CharField("文书类型", max_length=32)
    title = models.CharField("文书名称", max_length=100)
    filename = models.CharField(max_length=150)
    rendered = models.BinaryField(db_column="content", blank=True, default=b"")
    sha256 = models.CharField(max_length=64, blank=True)  # of the .docx, set when it is laid out
    values = models.JSONField(default=dict, blank=True)  # every value the document shows, fixed at issue
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "信访文书"
        verbose_name_plural = "信访文书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def content(self) -> bytes:
        """The .docx: laid out from `values` on first use and stored; a concurrent first use keeps the first."""
        if not self.rendered and self.values:
            from xinfang.documents.case_documents import build_docx

            _title, content = build_docx(self.doc_type, self.values)
            sha = hashlib.sha256(content).hexdigest()
            if self.pk is None:  # not saved yet: it is stored with the row
                self.rendered, self.sha256 = content, sha
            elif CaseDocument.objects.filter(pk=self.pk, sha256="").update(rendered=content, sha256=sha):
                self.rendered, self.sha256 = content, sha
            else:
                self.refresh_from_db(fields=["rendered", "sha256"])
        return bytes(self.rendered)

    @content.setter
    def content(self, value: bytes) -> None:
        self.rendered = value


class Recusal(models.Model):
    """回避 (art.28 ¶3): a staff member with a direct interest declares it; they take no action on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals")
    reason = models.TextField("回避理由")
    declared_on = models.DateField("申请日期")

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="recusal_once_per_user")]

    def __str__(self) -> str:
        return f"{self.case_id} 回避 {self.user_id}"
