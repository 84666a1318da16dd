"""Warnings (domain §6): detection in the daily sweep, and handling (acknowledge, assign, close with a note).

Each warning carries a plain-Chinese reason and its cases; it is keyed by (kind, key) so a second sweep of
the same day adds nothing. The reasons never quote another case's number or title: readers reach the cases
through the warning's case list, which is filtered by what they may see.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.cases.models import Case, CasePetitioner
from xinfang.cases.similarity import text_similarity
from xinfang.core import clock
from xinfang.core.errors import ErrorCode, ServiceError, ValidationFailed
from xinfang.triage import text as triage_text
from xinfang.triage.models import HotSpot

from . import conf
from .models import RiskScan, RiskWord, Warning, WarningKind, WarningStatus


def _raise(kind: str, key: str, reason: str, case_ids: list[int], day: date) -> bool:
    """Create the warning, or add new cases to an open one; True when something changed."""
    warning, created = Warning.objects.get_or_create(
        kind=kind, key=key[:120], defaults={"reason": reason[:400], "raised_on": day}
    )
    if not created and warning.status == WarningStatus.CLOSED:
        return False
    known = set(warning.cases.values_list("pk", flat=True))
    new = [pk for pk in case_ids if pk not in known]
    if new:
        warning.cases.add(*new)
    if not created and new and warning.reason != reason[:400]:
        warning.reason = reason[:400]
        warning.save(update_fields=["reason"])
    if created:
        record(
            "warning.raise", obj=warning, after={"kind": kind, "reason": warning.reason, "cases": case_ids}
        )
    return created or bool(new)


def _recent(day: date, days: int):
    return Case.objects.filter(received_date__gt=day - timedelta(days=days), received_date__lte=day)


def _warned(kind: str):
    """A case that already has a warning of this kind (the per-case kinds are keyed by the case)."""
    return Warning.cases.through.objects.filter(case_id=OuterRef("pk"), warning__kind=kind)


def _mask(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else "某"


def repeat_petitioners(day: date) -> int:
    days, least = int(conf.get("REPEAT_WINDOW_DAYS")), int(conf.get("REPEAT_MIN_CASES"))
    recent = _recent(day, days).values("pk")
    groups = (
        CasePetitioner.objects.filter(case__in=recent)
        .values("petitioner_id", "petitioner__name")
        .annotate(n=Count("case_id", distinct=True))
        .filter(n__gte=least)
    )
    counts = {g["petitioner_id"]: (g["petitioner__name"], g["n"]) for g in groups}
    rows = CasePetitioner.objects.filter(case__in=recent, petitioner_id__in=list(counts)).order_by("case_id")
    cases: dict[int, list[int]] = {}
    for pid, case_id in rows.values_list("petitioner_id", "case_id"):
        cases.setdefault(pid, []).append(case_id)
    changed = 0
    for pid, (name, n) in counts.items():
        reason = f"同一信访人（{_mask(name)}）近{days}日内信访{n}次"
        changed += _raise(WarningKind.REPEAT, f"petitioner:{pid}", reason, cases[pid], day)
    return changed


def _clusters(rows: list[tuple[int, str]], threshold: float) -> list[list[tuple[int, str]]]:
    clusters: list[list[tuple[int, str]]] = []
    for row in rows:  # in id order, so a cluster's first case (its key) stays the same from day to day
        for cluster in clusters:
            if text_similarity(cluster[0][1], row[1]) >= threshold:
                cluster.append(row)
                break
        else:
            clusters.append([row])
    return clusters


def _common_words(texts: list[str], limit: int = 3) -> list[str]:
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update({w for w in triage_text.words(triage_text.normalise(t)) if len(w) >= 2})
    return [w for w, _ in counts.most_common(limit)]


def collective_matters(day: date) -> int:
    days, least = int(conf.get("COLLECTIVE_WINDOW_DAYS")), int(conf.get("COLLECTIVE_MIN_CASES"))
    threshold = float(conf.get("COLLECTIVE_SIMILARITY"))
    recent = _recent(day, days).filter(place_organisation__isnull=False)
    places = recent.values("place_organisation_id").annotate(n=Count("pk")).filter(n__gte=least)
    changed = 0
    for place in places:
        pid = place["place_organisation_id"]
        rows = list(
            recent.filter(place_organisation_id=pid)
            .order_by("pk")
            .values_list("pk", "title", "content", "place_organisation__name")
        )
        name = rows[0][3]
        for cluster in _clusters([(pk, f"{t}{c}") for pk, t, c, _ in rows], threshold):
            if len(cluster) < least:
                continue
            words = "、".join(_common_words([t for _, t in cluster]))
            reason = f"{name}{days}日内有{len(cluster)}件反映同一事项的信访（关键词：{words}），有集体访苗头"
            key = f"place:{pid}:{cluster[0][0]}"
            changed += _raise(WarningKind.COLLECTIVE, key, reason, [pk for pk, _ in cluster], day)
    return changed


def matched_risk_words(text: str, words: set[str]) -> list[str]:
    """Risk words found in the jieba segmentation of `text` (a word may span up to three segments)."""
    tokens = triage_text.words(triage_text.normalise(text))
    found: list[str] = []
    for i in range(len(tokens)):
        for span in (1, 2, 3):
            joined = "".join(tokens[i : i + span])
            if joined in words and joined not in found:
                found.append(joined)
    return found


def _risk_scan_since(day: date, words: set[str]) -> tuple[Q | None, str]:
    """(the cases to read, fingerprint): None means the whole window. With the word list of the last run and a
    later day, only the cases added since that run (see RiskScan); a re-read is harmless (warned cases are
    skipped)."""
    fingerprint = hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()
    last = RiskScan.objects.filter(pk=1).first()
    if last is None or last.fingerprint != fingerprint or last.last_day > day:
        return None, fingerprint
    began = timezone.make_aware(datetime.combine(last.last_day, time.min))
    return Q(pk__gt=last.last_case) | Q(registered_at__gte=began), fingerprint


def risk_words(day: date) -> int:
    words = set(RiskWord.objects.filter(is_active=True).values_list("word", flat=True))
    if not words:
        return 0
    since, fingerprint = _risk_scan_since(day, words)
    any_word = Q()
    for w in words:
        any_word |= Q(search_text__contains=w)
    window = _recent(day, int(conf.get("RISK_WINDOW_DAYS")))
    if since is not None:
        window = window.filter(since)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    RiskScan.objects.update_or_create(
        pk=1, defaults={"last_day": day, "fingerprint": fingerprint, "last_case": top}
    )  # one row
    candidates = (
        window.filter(any_word)
        .exclude(Exists(_warned(WarningKind.RISK_WORDS)))
        .values_list("pk", "search_text")
    )
    changed = 0
    for pk, text in candidates:
        found = matched_risk_words(text, words)
        if found:
            reason = f"信访材料含扬言或极端言辞：{'、'.join(found)}"
            changed += _raise(WarningKind.RISK_WORDS, f"case:{pk}", reason, [pk], day)
    return changed


FLAG_REASONS = {
    WarningKind.LEVEL_SKIPPING: ("is_level_skipping", "越级信访：信访人越过本级向上级机关提出信访事项"),
    WarningKind.TO_BEIJING: ("is_to_beijing", "进京信访：信访人到北京提出信访事项，须及时报告并稳控化解"),
}


def flagged_cases(day: date) -> int:
    changed = 0
    for kind, (flag, reason) in FLAG_REASONS.items():
        ids = (
            _recent(day, int(conf.get("RISK_WINDOW_DAYS")))
            .filter(**{flag: True})
            .exclude(Exists(_warned(kind)))
            .values_list("pk", flat=True)
        )
        for pk in ids:
            changed += _raise(kind, f"case:{pk}", reason, [pk], day)
    return changed


def hotspots(day: date) -> int:
    latest = HotSpot.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    if latest is None:
        return 0
    changed = 0
    for spot in HotSpot.objects.filter(computed_at=latest, is_warning=True).prefetch_related("cases"):
        label = "、".join(spot.keywords[:3]) or spot.title
        where = f"（{'、'.join(spot.places[:2])}）" if spot.places else ""
        reason = f"信访热点“{label}”{where}：近期{spot.size}件。{spot.warning_reason}"
        ids = [c.pk for c in spot.cases.all()]
        changed += _raise(WarningKind.HOTSPOT, f"hotspot:{spot.title}", reason, ids, day)
    return changed


def detect_warnings(day: date) -> dict:
    return {
        "warnings_repeat": repeat_petitioners(day),
        "warnings_collective": collective_matters(day),
        "warnings_risk_words": risk_words(day),
        "warnings_flags": flagged_cases(day),
        "warnings_hotspot": hotspots(day),
    }


# --- handling ------------------------------------------------------------------------------------------


def _move(warning: Warning, *, actor, to: str, action: str, **fields) -> Warning:
    warning = Warning.objects.select_for_update().get(pk=warning.pk)
    if warning.status == WarningStatus.CLOSED:
        raise ServiceError("该预警已关闭", code=ErrorCode.NOT_ALLOWED)
    before = {"status": warning.status}
    warning.status, warning.handled_by = to, actor
    for name, value in fields.items():
        setattr(warning, name, value)
    warning.save()
    record(
        action,
        actor=actor,
        obj=warning,
        before=before,
        after={"status": to, **{k: str(v) for k, v in fields.items()}},
    )
    return warning


@transaction.atomic
def acknowledge_warning(warning: Warning, *, actor) -> Warning:
    return _move(warning, actor=actor, to=WarningStatus.ACKNOWLEDGED, action="warning.acknowledge")


@transaction.atomic
def assign_warning(warning: Warning, *, actor, assignee) -> Warning:
    if assignee is None:
        raise ValidationFailed({"assignee": ["请选择处理人"]})
    return _move(warning, actor=actor, to=WarningStatus.ASSIGNED, action="warning.assign", assignee=assignee)


@transaction.atomic
def close_warning(warning: Warning, *, actor, note: str) -> Warning:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": ["请填写处理情况"]})
    return _move(
        warning,
        actor=actor,
        to=WarningStatus.CLOSED,
        action="warning.close",
        note=note,
        closed_on=clock.today(),
    )
