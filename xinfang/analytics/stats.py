"""One statistics service: every figure over a period, a unit subtree and a category subtree.

`compute_stats` returns a JSON-ready dict keyed by metric key. Counts are
``{"value": n, "label", "drill"}``; rates and averages are ``{"value": "83.33" | null, "numerator",
"denominator", "breakdown", "label", "drill"}`` with the breakdown metrics.py computes (``excluded_*`` counts
kept); dimension tables (``by_channel`` …) are ``{"value": [rows]}``, each row with its count and drill link.

Drill links: ``drill`` opens /dashboard/cases/ with the figure key and part, which lists exactly the cases the
figure counts (deadline cohorts and evaluations cannot be expressed with the case-list filters). Where the case
list (/cases/) can show the same cases, ``cases_url`` links there too; see README "统计" for what it cannot.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from xinfang.cases.choices import Channel, Nature
from xinfang.cases.models import Category
from xinfang.orgs.models import Organisation, OrgKind

from . import metrics
from .rollup_summary import shared_reads
from .scope import Scope
from .sources import CASES, CaseSource, RollupSource

RATE_KEYS = (
    "timely_acceptance_rate",
    "on_time_conclusion_rate",
    "participation_rate",
    "satisfaction_rate",
    "repeat_rate",
)
LABELS = {
    "total_count": "登记总件数",
    "first_petition_count": "初件数",
    "repeat_count": "重件数",
    "timely_acceptance_rate": "及时受理率",
    "on_time_conclusion_rate": "按期办结率",
    "participation_rate": "参评率",
    "satisfaction_rate": "满意率",
    "repeat_rate": "重复信访率",
    "collective_batches": "集体访批次",
    "collective_people": "集体访人次",
    "level_skipping_count": "越级访件数",
    "to_beijing_count": "进京访件数",
    "overdue_unaccepted_count": "超期未受理件数",
    "overdue_unconcluded_count": "超期未办结件数",
    "average_handling_days": "平均办理天数",
    "suggestion_count": "人民建议件数",
    "suggestion_adoption_rate": "人民建议采纳率",
    "by_channel": "按信访形式",
    "by_category": "按内容分类",
    "by_nature": "按信访目的",
    "by_place": "按问题属地（镇街）",
    "by_unit": "按责任单位",
    "by_month": "按月份",
}
DIMENSIONS = ("by_channel", "by_category", "by_nature", "by_place", "by_unit", "by_month")


def rate_str(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class StatsQuery:
    """The parameters every figure shares, and the links that carry them."""

    def __init__(
        self,
        start: date,
        end: date,
        scope: Scope | None = None,
        now: datetime | None = None,
        source: CaseSource | RollupSource = CASES,
    ):
        if start > end:
            raise ValueError("统计期间的开始日期不能晚于结束日期")
        self.start, self.end = start, end
        self.scope = scope or Scope()
        self.now = now
        self.source = source

    def using(self, source: CaseSource | RollupSource) -> StatsQuery:
        return StatsQuery(self.start, self.end, self.scope, self.now, source)

    def params(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.scope.unit is not None:
            out["unit"] = str(self.scope.unit.pk)
        if self.scope.category is not None:
            out["category"] = str(self.scope.category.pk)
        return out

    def drill(self, key: str, part: str) -> str:
        return "/dashboard/cases/?" + urlencode({**self.params(), "metric": key, "part": part})

    def cases_url(self, **filters: str) -> str | None:
        """The case list with the same period (收到日期) and scope, or None when the list cannot express the scope.

        The list's `unit` filter is the responsible unit itself (no subtree, no routed units), so a scope whose
        unit has children cannot be shown there.
        """
        unit = self.scope.unit
        if unit is not None and Organisation.objects.filter(parent=unit).exists():
            return None
        params = {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}
        if unit is not None:
            params["unit"] = str(unit.pk)
        if self.scope.category is not None and "category" not in filters:
            params["category"] = str(self.scope.category.pk)
        return "/cases/?" + urlencode({**params, **filters})


def _count(q: StatsQuery, key: str, value: int, part: str, cases_url: str | None = None) -> dict:
    out = {"value": value, "label": LABELS[key], "drill": q.drill(key, part)}
    if cases_url:
        out["cases_url"] = cases_url
    return out


def _rate(q: StatsQuery, key: str, num: int, den: int, breakdown: dict, num_part: str) -> dict:
    return {
        "value": rate_str(metrics.percentage(num, den)),
        "numerator": num,
        "denominator": den,
        "breakdown": breakdown,
        "label": LABELS[key],
        "drill": q.drill(key, num_part),
        "denominator_drill": q.drill(
            key, "total" if key not in ("participation_rate", "satisfaction_rate") else "evaluated"
        ),
        "parts": {part: q.drill(key, part) for part in breakdown if part != "total"},
    }


@shared_reads()  # the rollups are read once per cohort kind
def compute_stats(q: StatsQuery) -> dict:
    """Every figure of the period and scope, as a JSON-ready dict keyed by metric key."""
    out: dict = {"period": _period(q)}
    out.update(_rates(q))
    out.update(_registration_counts(q))
    out["average_handling_days"] = _average_handling_days(q)
    for key in DIMENSIONS:
        out[key] = {"label": LABELS[key], "value": DIMENSION_FUNCS[key](q)}
    return out


def _period(q: StatsQuery) -> dict:
    unit, category = q.scope.unit, q.scope.category
    return {
        "from": q.start.isoformat(),
        "to": q.end.isoformat(),
        "unit": unit.pk if unit else None,
        "unit_name": unit.name if unit else "全部单位",
        "category": category.pk if category else None,
        "category_name": str(category) if category else "全部分类",
        "as_of": timezone.localtime(q.now or timezone.now()).isoformat(timespec="seconds"),
        "source": q.source.name,
    }


def _rates(q: StatsQuery) -> dict:
    out = {}
    timely = q.source.timely(q)
    den = timely["total"]
    if not settings.XINFANG.get("TIMELY_COUNT_NOT_DUE", True):
        den -= timely["not_due"]
    out["timely_acceptance_rate"] = _rate(
        q, "timely_acceptance_rate", timely["timely"], den, timely, "timely"
    )
    handling = q.source.handling(q)
    den = handling["on_time"] + handling["late"] + handling["open_not_due"] + handling["open_overdue"]
    out["on_time_conclusion_rate"] = _rate(
        q, "on_time_conclusion_rate", handling["on_time"], den, handling, "on_time"
    )
    ev = q.source.evaluation(q)
    out["participation_rate"] = _rate(
        q, "participation_rate", ev["evaluated"], ev["evaluated"] + ev["expired"], ev, "evaluated"
    )
    out["satisfaction_rate"] = _rate(
        q,
        "satisfaction_rate",
        ev["satisfied"] + ev["basically"],
        ev["evaluated"] - ev["exempt"],
        ev,
        "evaluated",
    )
    out["participation_rate"]["denominator_drill"] = None  # evaluated + expired: two parts, see "parts"
    rep = q.source.repeats(q)
    out["repeat_rate"] = _rate(q, "repeat_rate", rep["repeats"], rep["total"], rep, "repeats")
    out["repeat_rate"]["denominator_drill"] = q.drill("repeat_rate", "all")
    out["repeat_rate"]["parts"] = {
        "repeats": q.drill("repeat_rate", "repeats"),
        "first": q.drill("repeat_rate", "first"),
    }
    out["total_count"] = _count(q, "total_count", rep["total"], "all", q.cases_url())
    out["repeat_count"] = _count(q, "repeat_count", rep["repeats"], "repeats")
    out["first_petition_count"] = _count(q, "first_petition_count", rep["first"], "first")
    out["overdue_unaccepted_count"] = _count(
        q, "overdue_unaccepted_count", timely["overdue_unhandled"], "overdue_unhandled"
    )
    out["overdue_unconcluded_count"] = _count(
        q, "overdue_unconcluded_count", handling["open_overdue"], "open_overdue"
    )
    return out


def _registration_counts(q: StatsQuery) -> dict:
    c = q.source.registration(q)
    pending = c["suggestion"] - c["adopted"] - c["partly_adopted"] - c["not_adopted"]
    adoption = {
        "adopted": c["adopted"],
        "partly_adopted": c["partly_adopted"],
        "not_adopted": c["not_adopted"],
        "suggestion_pending": pending,
    }
    rate = _rate(
        q,
        "suggestion_adoption_rate",
        c["adopted"] + c["partly_adopted"],
        c["adopted"] + c["partly_adopted"] + c["not_adopted"],
        adoption,
        "adopted",
    )
    rate["drill"] = None  # adopted + partly adopted: two parts, see "parts"
    rate["denominator_drill"] = None
    return {
        "collective_batches": _count(
            q, "collective_batches", c["collective"], "collective", q.cases_url(flag="is_collective")
        ),
        "collective_people": _count(q, "collective_people", c["collective_people"], "collective"),
        "level_skipping_count": _count(
            q,
            "level_skipping_count",
            c["level_skipping"],
            "level_skipping",
            q.cases_url(flag="is_level_skipping"),
        ),
        "to_beijing_count": _count(
            q, "to_beijing_count", c["to_beijing"], "to_beijing", q.cases_url(flag="is_to_beijing")
        ),
        "suggestion_count": _count(
            q, "suggestion_count", c["suggestion"], "suggestion", q.cases_url(nature="suggestion")
        ),
        "suggestion_adoption_rate": rate,
    }


def _average_handling_days(q: StatsQuery) -> dict:
    """Mean calendar days from acceptance (受理) to reply (答复) of the cases replied in the period."""
    n, seconds = q.source.handling_time(q)
    days = (Decimal(seconds) / 86400).quantize(Decimal("0.01"))
    value = None if not n else f"{(Decimal(seconds) / 86400 / n).quantize(Decimal('0.01')):.2f}"
    return {
        "value": value,
        "numerator": f"{days:.2f}",
        "denominator": n,
        "breakdown": {"handled": n},
        "label": LABELS["average_handling_days"],
        "drill": q.drill("average_handling_days", "all"),
    }


# --- dimension tables ----------------------------------------------------------------------------------


def _rows(q: StatsQuery, dim: str, counts: list[tuple], labels: dict, filter_name: str | None) -> list[dict]:
    rows = []
    for value, n in sorted(counts, key=lambda r: (-r[1], str(r[0]))):
        key = "" if value is None else str(value)
        row = {
            "key": key,
            "label": labels.get(value, "未填写"),
            "count": n,
            "drill": q.drill("total_count", f"{dim}:{key or 'none'}"),
        }
        if filter_name and key:
            row["cases_url"] = q.cases_url(**{filter_name: key})
        rows.append(row)
    return rows


def by_channel(q: StatsQuery) -> list[dict]:
    return _rows(q, "channel", q.source.grouped(q, "channel"), dict(Channel.choices), "channel")


def by_nature(q: StatsQuery) -> list[dict]:
    return _rows(q, "nature", q.source.grouped(q, "nature"), dict(Nature.choices), "nature")


def by_category(q: StatsQuery) -> list[dict]:
    """First-level categories (each with its children)."""
    counts = q.source.grouped(q, "category")
    names = dict(Category.objects.filter(pk__in=[c for c, _ in counts]).values_list("pk", "name"))
    return _rows(q, "category", counts, names, "category")


def by_unit(q: StatsQuery) -> list[dict]:
    """Responsible units; a case not yet routed counts under its registering organisation."""
    counts = q.source.grouped(q, "unit")
    orgs = Organisation.objects.in_bulk([c for c, _ in counts if c])
    rows = _rows(q, "unit", counts, {pk: o.name for pk, o in orgs.items()}, None)
    for row in rows:  # the case list filters on departments and towns only
        org = orgs.get(int(row["key"])) if row["key"] else None
        if org is not None and org.kind in (OrgKind.DEPARTMENT, OrgKind.TOWN):
            row["cases_url"] = q.cases_url(unit=row["key"])
    return rows


def by_place(q: StatsQuery) -> list[dict]:
    """问题属地 folded up to its town/street (镇/街道); places above town level count as themselves."""
    counts = q.source.grouped(q, "place")
    places = Organisation.objects.in_bulk([c for c, _ in counts if c])
    ancestors = {a for org in places.values() for a in org.ancestor_ids()}
    towns = Organisation.objects.in_bulk([a for a in ancestors], field_name="pk")
    folded: dict[int | None, int] = {}
    for place_id, n in counts:
        town = None
        if place_id:
            chain = [towns[a] for a in places[place_id].ancestor_ids() if a in towns]
            town = next((o.pk for o in chain if o.kind == OrgKind.TOWN), place_id)
        folded[town] = folded.get(town, 0) + n
    names = {pk: towns[pk].name for pk in folded if pk}
    return _rows(q, "place", list(folded.items()), names, None)


def by_month(q: StatsQuery) -> list[dict]:
    return [
        {"key": month, "label": month, "count": n, "drill": q.drill("total_count", f"month:{month}")}
        for month, n in q.source.grouped(q, "month")
    ]


DIMENSION_FUNCS = {
    "by_channel": by_channel,
    "by_category": by_category,
    "by_nature": by_nature,
    "by_place": by_place,
    "by_unit": by_unit,
    "by_month": by_month,
}
