"""Identity numbers (GB 11643-1999) and phones: validation and masking."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_number_error(value: str) -> str | None:
    """Chinese reason the 18-digit resident ID is invalid, or None when it is valid."""
    v = value.strip().upper()
    if not _ID_RE.match(v):
        return "身份证号码应为18位，前17位为数字，末位为数字或X"
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if born.year < 1900 or born > date.today():  # noqa: DTZ011
        return "身份证号码中的出生日期无效"
    if check_digit(v[:17]) != v[17]:
        return "身份证号码校验位错误，请核对"
    return None


def make_id_number(region: str, born: date, serial: int) -> str:
    """A valid test ID number (used by the demo data and tests)."""
    first17 = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)


def phone_error(value: str) -> str | None:
    return None if _PHONE_RE.match(value.strip()) else "联系电话格式不正确（手机号11位，或带区号的固定电话）"


def mask_id(value: str) -> str:
    """Keep the region prefix and the last two characters: 440111********12**."""
    if not value:
        return ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return (
        value[:3] + "*" * (len(value) - 7) + value[-4:]
        if len(value) >= 11
        else "*" * (len(value) - 4) + value[-4:]
    )


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# First-generation cards (GB 11643-1989, still quoted in old letters and case files): 6-digit region, YYMMDD, a
# 3-digit serial, no check digit. Fifteen digits are masked only where digits 7–12 are a real date of the 1900s.
_OLD_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{6}(\d{2})(\d{2})(\d{2})\d{3}(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<![0-9])(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?![0-9])")


def mask_text(text: str) -> str:
    """Free text (timeline notes) with any identity number or phone in it masked like the fields are."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group()), text)
    text = _OLD_ID_IN_TEXT.sub(lambda m: mask_id(m.group()) if _is_date(m) else m.group(), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)


def _is_date(m: re.Match) -> bool:
    try:
        date(1900 + int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True
