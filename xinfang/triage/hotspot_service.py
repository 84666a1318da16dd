"""The daily hot-spot job over registered cases: cluster the window, store ranked hot spots, flag warnings."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinfang.cases.models import Case

from .errors import TriageError
from .hotspots import Message, Spot, find_hotspots
from .models import HotSpot


def _thresholds() -> dict:
    x = settings.XINFANG
    return {
        "warn_size": int(x.get("HOTSPOT_WARN_SIZE", 10)),
        "warn_growth": float(x.get("HOTSPOT_WARN_GROWTH", 2.0)),
    }


def case_messages(since: datetime) -> list[Message]:
    qs = (
        Case.objects.filter(registered_at__gte=since)
        .select_related("place_organisation")
        .prefetch_related("parties")
        .order_by("registered_at")
    )
    out = []
    for c in qs:
        primary = next((p for p in c.parties.all() if p.is_primary), None)
        out.append(
            Message(
                key=str(c.pk),
                title=c.title,
                body=c.content,
                at=c.registered_at,
                author=f"p{primary.petitioner_id}" if primary else f"c{c.pk}",
                place=c.place_organisation.name if c.place_organisation_id else "",
            )
        )
    return out


def compute_case_hotspots(days: int = 30, now: datetime | None = None, top: int = 10) -> list[HotSpot]:
    now = now or timezone.now()
    msgs = case_messages(now - timedelta(days=days))
    spots = find_hotspots(msgs, end=now, days=days, top=top, **_thresholds())
    with transaction.atomic():
        saved = []
        for s in spots:
            hs = HotSpot.objects.create(
                computed_at=now,
                window_start=(now - timedelta(days=days)).date(),
                window_end=now.date(),
                title=s.title[:200],
                keywords=s.keywords,
                places=s.places,
                size=s.size,
                growth=s.growth,
                engagement=s.engagement,
                score=s.score,
                is_warning=s.is_warning,
                warning_reason=s.warning_reason,
            )
            hs.cases.set([int(m.key) for m in s.members])
            saved.append(hs)
        from xinfang.audit.services import record

        record("triage.hotspots_computed", after={"count": len(saved), "days": days})
    return saved


def board_messages(path: str | Path) -> list[Message]:
    """Messages of a board export (hotspot_messages.csv columns); likes + dislikes is the engagement."""
    path = Path(path)
    if not path.exists():
        raise TriageError(f"数据文件不存在：{path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        try:
            at = datetime.fromisoformat(r["留言时间"])
            engagement = int(r.get("反对数") or 0) + int(r.get("点赞数") or 0)
        except (KeyError, ValueError) as exc:
            raise TriageError(f"数据文件 {path.name} 第 {len(out) + 2} 行格式不正确：{exc}") from exc
        out.append(
            Message(
                r["留言编号"], r["留言主题"], "".join(r["留言详情"].split()), at, r["留言用户"], engagement
            )
        )
    return out


def describe(s: Spot) -> str:
    flag = f" 【预警：{s.warning_reason}】" if s.is_warning else ""
    return (
        f"{s.title}  人数 {s.size}  增长 {s.growth}  关注 {s.engagement}  得分 {s.score}{flag}\n"
        f"    关键词：{'、'.join(s.keywords)}  地点：{'、'.join(s.places)}"
    )
