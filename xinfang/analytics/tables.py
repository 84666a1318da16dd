"""The statistics object as rows for people: the command's table, the dashboard and the .xlsx export."""

from __future__ import annotations

# The order figures are shown in, everywhere.
FIGURE_ORDER = (
    "total_count",
    "first_petition_count",
    "repeat_count",
    "repeat_rate",
    "timely_acceptance_rate",
    "on_time_conclusion_rate",
    "participation_rate",
    "satisfaction_rate",
    "overdue_unaccepted_count",
    "overdue_unconcluded_count",
    "average_handling_days",
    "collective_batches",
    "collective_people",
    "level_skipping_count",
    "to_beijing_count",
    "suggestion_count",
    "suggestion_adoption_rate",
)
PERCENT_KEYS = frozenset(
    {
        "repeat_rate",
        "timely_acceptance_rate",
        "on_time_conclusion_rate",
        "participation_rate",
        "satisfaction_rate",
        "suggestion_adoption_rate",
    }
)


def display_value(key: str, value) -> str:
    if value is None:
        return "—"
    if key in PERCENT_KEYS:
        return f"{value}%"
    if key == "average_handling_days":
        return f"{value} 天"
    return f"{value} {'人次' if key == 'collective_people' else '件'}"


def figure_rows(stats: dict) -> list[tuple[str, str, object, object]]:
    """(label, shown value, numerator, denominator) per figure; numerator/denominator "" for counts."""
    rows = []
    for key in FIGURE_ORDER:
        figure = stats[key]
        rows.append(
            (
                figure["label"],
                display_value(key, figure["value"]),
                figure.get("numerator", ""),
                figure.get("denominator", ""),
            )
        )
    return rows
