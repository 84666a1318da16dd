"""Decimal helpers: money in 元 internally, 万元 for display; percentages as "98.23" strings; half-up."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal("10000")
HUNDRED = Decimal("100")
MONEY_UNITS = {"元": Decimal(1), "万元": TEN_THOUSAND}

_QUANTITY = re.compile(r"^\s*(?:[≥≤>=<＞＜]=?)?\s*([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*(?:以上|以下)?\s*$")


def to_decimal(value) -> Decimal | None:
    """Decimal from a str/int/float/Decimal; None for None or blank. Raises ValueError on junk."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None
    if not result.is_finite():
        raise ValueError(value)
    return result


def q2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def s2(value: Decimal | None) -> str | None:
    """Two-place decimal string, half-up; None stays None."""
    return None if value is None else f"{q2(value):.2f}"


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator × 100, unrounded; None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator * HUNDRED / denominator


def to_yuan(amount: Decimal | None, unit: str) -> Decimal | None:
    return None if amount is None else amount * MONEY_UNITS[unit]


def wan(yuan: Decimal | None) -> str:
    """元 → 万元 display string with 2 decimals ("" for None)."""
    return "" if yuan is None else s2(yuan / TEN_THOUSAND)


def parse_quantity(text: str | None) -> tuple[Decimal, str] | None:
    """ "≥20名" → (20, "名"); "97.42%" → (97.42, "%"); "75%以上" → (75, "%"); text → None."""
    if text is None:
        return None
    match = _QUANTITY.match(str(text))
    if not match:
        return None
    unit = re.sub(r"[（(].*$", "", match.group(2)).strip()
    return Decimal(match.group(1)), unit
