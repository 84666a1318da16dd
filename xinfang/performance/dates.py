"""Dates as finance staff type them: moved to `xinfang.core.dates` (the case ledger import reads them too)."""

from xinfang.core.dates import EXCEL_EPOCH, parse_date

__all__ = ["EXCEL_EPOCH", "parse_date"]
