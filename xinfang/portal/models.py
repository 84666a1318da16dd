"""Public portal records: satisfaction evaluation (domain/petition.md §4.2, rules 13 and 20), its exemptions
(申诉核减), the public access to a case (only a hash of the query code), online review requests and throttling."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.cases.models import Case


class EvaluationStatus(models.TextChoices):
    PENDING = "pending", "待评价"
    EVALUATED = "evaluated", "已评价"
    EXPIRED = "expired", "超期未评价"


class EvaluationResult(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class EvaluationStage(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理环节"
    RESULT = "result", "办理结果"


class EvaluationChannel(models.TextChoices):
    ONLINE = "online", "网上评价"
    PHONE = "phone", "电话回访"
    SITE = "site", "现场评价"


class Evaluation(models.Model):
    """One evaluation per case and stage, opened by the workflow (acceptance, reply); the window closes N days
    later. Only the handling-result stage enters 参评率/满意率 (`for_rates`)."""

    case = models.ForeignKey(
        Case, verbose_name="信访事项", on_delete=models.CASCADE, related_name="evaluations"
    )
    stage = models.CharField(
        "评价环节", max_length=16, choices=EvaluationStage.choices, default=EvaluationStage.RESULT
    )
    status = models.CharField(
        "评价状态", max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.PENDING
    )
    result = models.CharField("评价结果", max_length=16, choices=EvaluationResult.choices, blank=True)
    channel = models.CharField("评价渠道", max_length=16, choices=EvaluationChannel.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_date = models.DateField("答复（受理）日期")
    window_closes = models.DateField("评价截止日期")
    evaluated_at = models.DateTimeField("评价时间", null=True, blank=True)
    comment = models.TextField("评价意见", blank=True)
    # Set only by an approved 申诉核减 (the exemption row keeps request and decision): out of 满意率 only.
    exempted = models.BooleanField("已核减", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        indexes = [
            models.Index(fields=["status", "window_closes"], name="evaluation_status_window"),
            models.Index(fields=["evaluated_at"], name="evaluation_evaluated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="evaluated")
                | (~models.Q(result="") & models.Q(evaluated_at__isnull=False)),
                name="evaluation_evaluated_has_result",
            ),
            models.UniqueConstraint(fields=["case", "stage"], name="evaluation_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_stage_display()} {self.get_status_display()}"


class ExemptionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已核减"
    REJECTED = "rejected", "不予核减"


class EvaluationExemption(models.Model):
    """申诉核减: the responsible unit asks the bureau to leave an evaluation of an unreasonable request out of
    满意率; the bureau decides. Never deleted: request and decision stay on the record."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="exemptions"
    )
    reason = models.TextField("申诉理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField(
        "审核状态", max_length=16, choices=ExemptionStatus.choices, default=ExemptionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "评价申诉核减"
        verbose_name_plural = "评价申诉核减"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(status="pending"),
                name="exemption_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.get_status_display()}"


class PublicAccess(models.Model):
    """How the public reaches a case: a keyed hash of the query code (the code itself is shown once and never
    stored) and the last four digits of the phone to confirm it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="public_access")
    code_hash = models.CharField(max_length=64, unique=True)
    phone4_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公众查询凭据"
        verbose_name_plural = "公众查询凭据"

    def __str__(self) -> str:
        return f"{self.case.number}"


class OnlineReviewRequest(models.Model):
    """A 复查 request made online: kept for the registrar, who enters it with the workflow's request_review."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="online_review_requests")
    reason = models.TextField("复查理由")
    submitted_at = models.DateTimeField("提交时间")
    window_end = models.DateField("复查申请期限")
    handled_at = models.DateTimeField("录入时间", null=True, blank=True)

    class Meta:
        verbose_name = "网上复查申请"
        verbose_name_plural = "网上复查申请"

    def __str__(self) -> str:
        return f"{self.case.number} 网上复查申请"


class ThrottleHit(models.Model):
    """Counted public attempts (failed look-ups, submissions) by a hashed address or ID number."""

    scope = models.CharField(max_length=24)
    key_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "at"], name="throttle_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
