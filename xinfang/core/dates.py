"""Dates as staff type them: 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301, Excel serials (the budget
imports and the case ledger import read them alike)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (the 1900 leap-year bug folded in)


def parse_date(value) -> date | None:
    """A date, or None when the value is not one (the caller words the error)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell read without its format arrives as the serial number (45717 = 2025-03-01).
        return EXCEL_EPOCH + timedelta(days=int(value)) if 20000 < value < 80000 else None
    text = re.sub(r"\s+", "", str(value or ""))
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return parse_date(float(text))
    return None
