"""Reads other apps use: the evaluations that enter 参评率/满意率 (analytics.metrics.evaluation_breakdown)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Evaluation, EvaluationStage


def rated_evaluations() -> QuerySet[Evaluation]:
    """One row per case: the handling-result stage (the acceptance stage is recorded, not rated)."""
    return Evaluation.objects.filter(stage=EvaluationStage.RESULT)


def satisfaction_counted() -> Q:
    """Evaluations that stay in 满意率: all but those exempted by an approved 申诉核减."""
    return Q(exempted=False)
