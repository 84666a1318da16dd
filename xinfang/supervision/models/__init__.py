"""Supervision models, one module per concern."""

from .ledgers import BacklogItem, BacklogNote, Dispute, LedgerStatus, RiskLevel
from .letters import (
    NUMBER_PREFIX,
    DeadlineMark,
    FeedbackStatus,
    Letter,
    LetterCounter,
    LetterKind,
    LetterOrigin,
    MarkState,
    MarkStep,
    RecommendationKind,
)
from .receptions import (
    BookingSource,
    CaseOwnership,
    ReceptionBooking,
    ReceptionRecord,
    ReceptionSchedule,
    ReceptionSlot,
)
from .reports import ReportRecipient, ReportStatus, ReportTask
from .warnings import RiskScan, RiskWord, Warning, WarningKind, WarningStatus, WatchItem, WatchKind

__all__ = [
    "NUMBER_PREFIX",
    "BacklogItem",
    "BacklogNote",
    "BookingSource",
    "CaseOwnership",
    "DeadlineMark",
    "Dispute",
    "FeedbackStatus",
    "LedgerStatus",
    "Letter",
    "LetterCounter",
    "LetterKind",
    "LetterOrigin",
    "MarkState",
    "MarkStep",
    "ReceptionBooking",
    "ReceptionRecord",
    "ReceptionSchedule",
    "ReceptionSlot",
    "RecommendationKind",
    "ReportRecipient",
    "ReportStatus",
    "ReportTask",
    "RiskLevel",
    "RiskScan",
    "RiskWord",
    "Warning",
    "WarningKind",
    "WarningStatus",
    "WatchItem",
    "WatchKind",
]
