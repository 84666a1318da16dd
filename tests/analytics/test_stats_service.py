"""The statistics service on the hand-built March (tests/analytics/conftest.py): every figure worked out by hand."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import MARCH, NOW
from xinfang.analytics.drill import UnknownFigure, cases_behind
from xinfang.analytics.scope import Scope
from xinfang.analytics.stats import StatsQuery, compute_stats
from xinfang.cases.models import Category

pytestmark = pytest.mark.django_db


def _stats(scope=None):
    return compute_stats(StatsQuery(*MARCH, scope or Scope(), now=NOW))


def test_timely_acceptance_cohort_is_by_triage_deadline(march):
    # Due in March: c1 timely, c2 late, c3 overdue-unhandled, c4 timely, c6 (registered in Feb) timely;
    # c7 was made directly to a unit and leaves the cohort. 3 / 5 = 60.00 %.
    rate = _stats()["timely_acceptance_rate"]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == ("60.00", 3, 5)
    assert rate["breakdown"] == {"total": 5, "timely": 3, "late": 1, "overdue_unhandled": 1, "not_due": 0,
                                 "excluded_direct": 1, "excluded_merged": 0}  # fmt: skip


def test_on_time_conclusion_cohort_is_by_handling_deadline(march):
    # Due in March: c1 on time, c4 open and overdue, c6 replied 4-02 after 3-31: 1 / 3 = 33.33 %.
    rate = _stats()["on_time_conclusion_rate"]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == ("33.33", 1, 3)
    assert rate["breakdown"]["late"] == 1 and rate["breakdown"]["open_overdue"] == 1


def test_evaluation_rates(march):
    stats = _stats()
    # c1 evaluated 满意 in March, c6's window closed 3-28 unevaluated: 参评 1/2, 满意 1/1.
    assert (stats["participation_rate"]["value"], stats["participation_rate"]["denominator"]) == ("50.00", 2)
    assert (stats["satisfaction_rate"]["value"], stats["satisfaction_rate"]["denominator"]) == ("100.00", 1)


def test_repeat_rate_and_counts_by_registration(march):
    stats = _stats()
    # Registered in March: c1 c2 c3 c4 c5 c7 (c6 is February's). c4 repeats c1: 1 / 6 = 16.67 %, 初件 5.
    assert stats["total_count"]["value"] == 6
    assert (stats["repeat_rate"]["value"], stats["repeat_count"]["value"]) == ("16.67", 1)
    assert stats["first_petition_count"]["value"] == 5


def test_other_counts(march):
    stats = _stats()
    assert stats["collective_batches"]["value"] == 1 and stats["collective_people"]["value"] == 6
    assert stats["level_skipping_count"]["value"] == 1 and stats["to_beijing_count"]["value"] == 1
    assert stats["overdue_unaccepted_count"]["value"] == 1  # c3
    assert stats["overdue_unconcluded_count"]["value"] == 1  # c4
    assert stats["suggestion_count"]["value"] == 1
    assert stats["suggestion_adoption_rate"]["value"] == "100.00"
    # Replied in March after acceptance: only c1, 3-11 → 3-21 = 10 days (c6 replied in April).
    assert stats["average_handling_days"]["value"] == "10.00"
    assert stats["average_handling_days"]["denominator"] == 1


def test_empty_denominators_are_null(district):
    stats = _stats()
    for key in ("timely_acceptance_rate", "on_time_conclusion_rate", "participation_rate", "repeat_rate"):
        assert stats[key]["value"] is None and stats[key]["denominator"] == 0
    assert stats["average_handling_days"]["value"] is None


def test_breakdowns_by_dimension(march):
    stats = _stats()
    assert {r["key"]: r["count"] for r in stats["by_channel"]["value"]} == {
        "letter": 4,
        "visit": 1,
        "online": 1,
    }
    assert {r["key"]: r["count"] for r in stats["by_nature"]["value"]} == {"appeal": 5, "suggestion": 1}
    # The village folds up to its town: c1 (village) + c2 (town); four cases have no place.
    places = {r["label"]: r["count"] for r in stats["by_place"]["value"]}
    assert places == {march.town.name: 2, "未填写": 4}
    assert [r["key"] for r in stats["by_month"]["value"]] == ["2026-03"]
    units = {r["key"]: r["count"] for r in stats["by_unit"]["value"]}
    assert units == {str(march.unit_a.pk): 2, str(march.office.pk): 1, str(march.unit_b.pk): 3}


def test_unit_subtree_scope(march):
    stats = _stats(Scope(unit=march.unit_a))
    # Unit A and its office: c1, c2, c5 registered in March; timely cohort c1 c2 c6 → 2/3.
    assert stats["total_count"]["value"] == 3
    assert stats["timely_acceptance_rate"]["value"] == "66.67"
    # Its subtree has a child office, which the case list's exact-unit filter cannot show.
    assert "cases_url" not in stats["total_count"]


def test_category_subtree_scope(march):
    other = Category.objects.filter(parent__isnull=False).exclude(pk=march.cases[0].category_id).first()
    march.cases[2].category = other
    march.cases[2].save(update_fields=["category"])
    top = Category.objects.get(pk=other.parent_id)
    stats = _stats(Scope(category=top))
    expected = 1 if top.pk != march.cases[0].category.parent_id else 6
    assert stats["total_count"]["value"] == expected


def test_every_drill_part_lists_exactly_the_cases_counted(march):
    stats = _stats()
    scope = Scope()
    for key in ("timely_acceptance_rate", "on_time_conclusion_rate", "participation_rate", "repeat_rate"):
        breakdown = stats[key]["breakdown"]
        for part in stats[key]["parts"]:
            assert cases_behind(key, part, *MARCH, scope, NOW).count() == breakdown[part], (key, part)
    for dim in ("by_channel", "by_category", "by_nature", "by_place", "by_unit", "by_month"):
        for row in stats[dim]["value"]:
            part = row["drill"].split("part=")[1].replace("%3A", ":")
            assert cases_behind("total_count", part, *MARCH, scope, NOW).count() == row["count"], (dim, row)
    assert cases_behind("total_count", "collective", *MARCH, scope, NOW).count() == 1
    assert cases_behind("average_handling_days", "all", *MARCH, scope, NOW).count() == 1


def test_unknown_drill_part_is_refused(march):
    with pytest.raises(UnknownFigure):
        cases_behind("timely_acceptance_rate", "nonsense", *MARCH, Scope(), NOW)


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="开始日期"):
        StatsQuery(MARCH[1], MARCH[0])
