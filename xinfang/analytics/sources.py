"""Where the statistics service reads its counts: the cases themselves, or the cohort rollups.

Both answer the same questions with the same keys, so `stats.compute_stats` does not know which it reads.
`CaseSource` (metrics.py, exact, replayable at any `now`) serves the API, the command and the drill-downs;
`RollupSource` (the rollups: UnitRollup, and CohortRollup under a category scope; O(groups)) serves the dashboard. Differences, by design:

* rollups hold the cases as they are now: `now` only decides which open cases are overdue;
* rollups attribute a case to its responsible unit (before routing: its registering organisation), where
  metrics.py also counts a unit a case was once routed to.
"""

from __future__ import annotations

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth

from xinfang.cases.models import Case, Category
from xinfang.orgs.models import Organisation

from . import metrics
from .drill import handled_in, registered_cases
from .models import CohortKind
from .rollup_summary import shared, summary

REGISTRATION_SUMS = ("collective", "collective_people", "level_skipping", "to_beijing", "suggestion", "adopted",
                     "partly_adopted", "not_adopted")  # fmt: skip
DIMENSION_FIELDS = {"channel": "channel", "nature": "nature", "category": "_top_category", "unit": "_unit",
                    "place": "place_organisation_id"}  # fmt: skip


class CaseSource:
    name = "cases"

    def _args(self, q):
        return q.start, q.end, q.scope, q.now

    def timely(self, q) -> dict:
        return metrics.timely_acceptance_breakdown(*self._args(q))

    def handling(self, q) -> dict:
        return metrics.on_time_conclusion_breakdown(*self._args(q))

    def evaluation(self, q) -> dict:
        return metrics.evaluation_breakdown(*self._args(q))

    def repeats(self, q) -> dict:
        return metrics.repeat_breakdown(*self._args(q))

    def registration(self, q) -> dict:
        sugg = Q(nature="suggestion")
        conditions = {
            "collective": Q(is_collective=True),
            "level_skipping": Q(is_level_skipping=True),
            "to_beijing": Q(is_to_beijing=True),
            "suggestion": sugg,
            "adopted": sugg & Q(outcome="adopted"),
            "partly_adopted": sugg & Q(outcome="partly_adopted"),
            "not_adopted": sugg & Q(outcome="not_adopted"),
        }
        agg = registered_cases(q.start, q.end, q.scope, q.now).aggregate(
            collective_people=Sum("headcount", filter=Q(is_collective=True)),
            **{key: Count("pk", filter=cond) for key, cond in conditions.items()},
        )
        return {key: agg[key] or 0 for key in REGISTRATION_SUMS}

    def handling_time(self, q) -> tuple[int, float]:
        took = ExpressionWrapper(F("replied_at") - F("accepted_at"), output_field=DurationField())
        qs = metrics.scope_cases(Case.objects.filter(handled_in(q.start, q.end, q.now)), q.scope)
        agg = qs.aggregate(n=Count("pk"), total=Sum(took))
        return agg["n"], agg["total"].total_seconds() if agg["total"] is not None else 0.0

    def grouped(self, q, dim: str) -> list[tuple]:
        qs = registered_cases(q.start, q.end, q.scope, q.now)
        if dim == "month":
            rows = (
                qs.annotate(m=TruncMonth("registered_at")).values("m").annotate(n=Count("pk")).order_by("m")
            )
            return [(r["m"].strftime("%Y-%m"), r["n"]) for r in rows]
        field = DIMENSION_FIELDS[dim]
        return [(r[field], r["n"]) for r in qs.values(field).annotate(n=Count("pk")).order_by()]


# What RollupSource's callers name the split "open" counter, as rollup_summary names it.
ALIASES = {"open_overdue": "overdue", "open_not_due": "not_due"}


class RollupSource:
    name = "rollups"

    def _sums(self, kind: str, q, **named) -> dict:
        totals = summary(kind, q)[""][None]
        return {out: totals[ALIASES.get(field, field)] for out, field in named.items()}

    def timely(self, q) -> dict:
        return self._sums(CohortKind.TRIAGE, q, total="total", timely="in_time", late="late",
                          overdue_unhandled="open_overdue", not_due="open_not_due", excluded_direct="excluded_a",
                          excluded_merged="excluded_b")  # fmt: skip

    def handling(self, q) -> dict:
        return self._sums(CohortKind.HANDLING, q, total="total", on_time="in_time", late="late",
                          open_not_due="open_not_due", open_overdue="open_overdue",
                          excluded_withdrawn="excluded_a", excluded_diverted="excluded_b")  # fmt: skip

    def evaluation(self, q) -> dict:
        done = self._sums(CohortKind.EVALUATED, q, evaluated="total", satisfied="satisfied", basically="basically",
                          unsatisfied="unsatisfied")  # fmt: skip
        expired = self._sums(CohortKind.EVAL_WINDOW, q, expired="open_overdue")
        rated = done["satisfied"] + done["basically"] + done["unsatisfied"]
        return {"evaluated": done["evaluated"], "expired": expired["expired"], "exempt": done["evaluated"] - rated,
                "satisfied": done["satisfied"], "basically": done["basically"],
                "unsatisfied": done["unsatisfied"]}  # fmt: skip

    def repeats(self, q) -> dict:
        counts = self._sums(CohortKind.REGISTERED, q, total="total", repeats="repeats")
        counts["first"] = counts["total"] - counts["repeats"]
        return counts

    def registration(self, q) -> dict:
        return self._sums(CohortKind.REGISTERED, q, **{key: key for key in REGISTRATION_SUMS})

    def handling_time(self, q) -> tuple[int, float]:
        sums = self._sums(CohortKind.REPLIED, q, n="total", seconds="handling_seconds")
        return sums["n"], float(sums["seconds"])

    def per_unit(self, method: str, q, units: list[Organisation]) -> dict[int, dict]:
        """`method`'s breakdown ("timely", "handling", "evaluation") for each unit's subtree, in one pass per
        kind: the rows grouped by unit in the database, then folded up the (small) organisation tree here."""
        by_unit: dict[int, dict] = {}
        grouping = _GroupedByUnit(self, q)
        for unit in units:
            by_unit[unit.pk] = getattr(grouping, method)(unit)
        return by_unit

    def grouped(self, q, dim: str) -> list[tuple]:
        rows = summary(CohortKind.REGISTERED, q)[dim]
        if dim == "month":  # keyed YYYYMM
            return sorted(
                (f"{m // 100:04d}-{m % 100:02d}", r["total"]) for m, r in rows.items() if r["total"]
            )
        counts: dict = {}
        tops = dict(Category.objects.values_list("pk", "parent_id")) if dim == "category" else {}
        for value, r in rows.items():
            if dim == "category":
                value = tops.get(value) or value
            elif dim == "place":
                value = value or None
            counts[value] = counts.get(value, 0) + r["total"]
        return [(value, n) for value, n in counts.items() if n]


class _GroupedByUnit(RollupSource):
    """A RollupSource whose `rows` are summed per unit once, then answered per subtree from memory."""

    def __init__(self, parent: RollupSource, q) -> None:
        self.q, self._cache, self._unit = q, {}, None
        self.paths = shared("org_paths", lambda: dict(Organisation.objects.values_list("pk", "path")))

    def _sums(self, kind: str, q, **named) -> dict:
        if kind not in self._cache:
            self._cache[kind] = [
                (self.paths.get(unit, ""), r) for unit, r in summary(kind, q)["unit"].items()
            ]
        prefix = self._unit.path
        picked = [r for path, r in self._cache[kind] if path.startswith(prefix)]
        return {out: sum(r[ALIASES.get(f, f)] for r in picked) for out, f in named.items()}

    def _for(self, unit: Organisation, method: str) -> dict:
        self._unit = unit
        return getattr(RollupSource, method)(self, self.q)

    def timely(self, unit):
        return self._for(unit, "timely")

    def handling(self, unit):
        return self._for(unit, "handling")

    def evaluation(self, unit):
        return self._for(unit, "evaluation")


CASES, ROLLUPS = CaseSource(), RollupSource()
