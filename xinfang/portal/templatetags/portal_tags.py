"""The portal's panel on the bureau's case page: evaluations, online 复查 requests, 申诉核减."""

from __future__ import annotations

from django import template

from xinfang.cases.permissions import can_register

from .. import exemptions
from ..models import Evaluation

register = template.Library()


@register.inclusion_tag("portal/staff/_case_panel.html", takes_context=True)
def portal_case_panel(context, case) -> dict:
    user = context["request"].user
    evaluations = list(
        Evaluation.objects.filter(case=case).prefetch_related("exemptions").select_related("recorded_by")
    )
    return {
        "case": case,
        "rows": [(ev, exemptions.can_request(user, ev)) for ev in evaluations],
        "review_requests": case.online_review_requests.order_by("-submitted_at"),
        "can_record": can_register(user),
        "csrf_token": context.get("csrf_token"),
    }
