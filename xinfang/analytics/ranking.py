"""考核排名: units ranked by the mean of their rates, units below a minimum volume set aside.

A unit's score is the mean of the rates it has (及时受理率, 按期办结率, 满意率; a rate with an empty cohort is
left out rather than counted as 0 or 100). Units whose cohorts hold fewer cases than `min_volume` are not
ranked (one late case in two would otherwise put a small unit last): they are listed apart as 样本不足.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xinfang.orgs.models import Organisation, OrgKind

from . import metrics
from .rollup_summary import shared_reads
from .scope import Scope
from .stats import StatsQuery, rate_str

RANKED_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWN)
DEFAULT_MIN_VOLUME = 5
RANK_RATES = (
    # key, label, the source's breakdown, the drill part listing the rate's cohort
    ("timely_acceptance_rate", "及时受理率", "timely", "total"),
    ("on_time_conclusion_rate", "按期办结率", "handling", "total"),
    ("satisfaction_rate", "满意率", "evaluation", "evaluated"),
)


@dataclass
class UnitScore:
    unit: Organisation
    volume: int
    rates: dict[str, dict] = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None

    @property
    def score_str(self) -> str | None:
        return rate_str(self.score)


def _numerator_denominator(key: str, b: dict) -> tuple[int, int]:
    if key == "timely_acceptance_rate":
        return b["timely"], b["total"]
    if key == "on_time_conclusion_rate":
        return b["on_time"], b["on_time"] + b["late"] + b["open_not_due"] + b["open_overdue"]
    return b["satisfied"] + b["basically"], b["evaluated"] - b.get("exempt", 0)  # approved 核减 leave 满意率


def ranked_units(q: StatsQuery) -> list[Organisation]:
    """The units below the query's unit (or every department and town): what the ranking compares."""
    qs = Organisation.objects.filter(kind__in=RANKED_KINDS, is_active=True)
    if q.scope.unit is not None:
        qs = qs.filter(path__startswith=q.scope.unit.path).exclude(pk=q.scope.unit.pk)
    return list(qs.order_by("code"))


@shared_reads()  # the rollups are read once per cohort kind
def unit_ranking(
    q: StatsQuery, min_volume: int = DEFAULT_MIN_VOLUME
) -> tuple[list[UnitScore], list[UnitScore]]:
    """(ranked best first, set aside for low volume)."""
    scores = []
    units = ranked_units(q)
    # Rollups answer every unit's subtree from one grouped query per cohort kind; cases, one query per unit.
    pre = (
        {method: q.source.per_unit(method, q, units) for _, _, method, _ in RANK_RATES}
        if hasattr(q.source, "per_unit")
        else {}
    )
    for unit in units:
        scope = Scope(unit=unit, category=q.scope.category)
        entry = UnitScore(unit=unit, volume=0)
        unit_q = StatsQuery(q.start, q.end, scope, q.now, q.source)
        for key, label, breakdown, part in RANK_RATES:
            counts = pre[breakdown][unit.pk] if pre else getattr(q.source, breakdown)(unit_q)
            num, den = _numerator_denominator(key, counts)
            entry.rates[key] = {
                "label": label,
                "value": rate_str(metrics.percentage(num, den)),
                "numerator": num,
                "denominator": den,
                "drill": unit_q.drill(key, part),
            }
            entry.volume = max(entry.volume, den)
        present = [metrics.percentage(r["numerator"], r["denominator"]) for r in entry.rates.values()]
        present = [p for p in present if p is not None]
        if present:
            entry.score = (sum(present) / len(present)).quantize(Decimal("0.01"))
        scores.append(entry)
    ranked = [s for s in scores if s.volume >= min_volume and s.score is not None]
    aside = [s for s in scores if s not in ranked]
    ranked.sort(key=lambda s: (-s.score, s.unit.code))
    for i, s in enumerate(ranked, 1):
        s.rank = i
    return ranked, aside


def worst_units(ranked: list[UnitScore], n: int = 3) -> list[UnitScore]:
    """The lowest-scoring ranked units, worst first."""
    return list(reversed(ranked[-n:])) if ranked else []
