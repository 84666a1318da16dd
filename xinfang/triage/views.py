"""The htmx suggestion fragment beside the registration form. Parsing only; the rules live in services.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from xinfang.cases.permissions import can_register
from xinfang.orgs.models import Organisation

from . import services
from .errors import TriageError

SIMILAR_FOR_UNITS = 10  # similar visible cases whose units are weighed
SIMILAR_SHOWN = 5


def _org(value: str | None) -> Organisation | None:
    try:
        return Organisation.objects.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


def _values_ending(post, suffix: str) -> list[str]:
    return [v for k, vs in post.lists() if k == suffix or k.endswith(f"-{suffix}") for v in vs if v]


@login_required
@require_POST
def suggest(request):
    if not can_register(request.user):
        raise PermissionDenied("只有登记员和系统管理员可以使用分办建议")
    post = request.POST
    text = services.case_text(post.get("title", ""), post.get("content", ""), post.get("requests", ""))
    context = {"empty": not text.strip(), "error": ""}
    if not context["empty"]:
        nature = post.get("nature", "")
        accused = _org(post.get("accused_organisation"))
        place = _org(post.get("place_organisation"))
        try:
            cats = services.suggest_categories(text)
        except TriageError as exc:
            cats, context["error"] = [], exc.message
        chosen = [c.category for c in cats if c.category is not None]
        similar = services.similar_cases(
            request.user,
            text,
            id_numbers=_values_ending(post, "id_number"),
            phones=_values_ending(post, "phone"),
            limit=SIMILAR_FOR_UNITS,
        )
        context.update(
            categories=cats,
            units=services.suggest_units(
                categories=chosen, place=place, nature=nature, accused=accused, similar=similar, text=text
            ),
            similar=similar[:SIMILAR_SHOWN],
        )
    return render(request, "triage/_suggestions.html", context)


@login_required
def hotspots(request):
    """The latest computed hot spots; each lists only the cases the user may see."""
    from xinfang.cases.permissions import visible_cases

    from .models import HotSpot

    if not request.user.is_bureau_role:
        raise PermissionDenied("只有信访局工作人员可以查看热点")
    latest = HotSpot.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    spots = list(HotSpot.objects.filter(computed_at=latest).order_by("-score")) if latest else []
    visible = visible_cases(request.user)
    rows = [
        (s, list(visible.filter(pk__in=s.cases.values("pk")).order_by("-registered_at")[:20])) for s in spots
    ]
    return render(request, "triage/hotspots.html", {"rows": rows, "computed_at": latest})
