"""Signal receivers (connected in TriageConfig.ready)."""

from xinfang.cases.signals import case_registered


def on_case_registered(sender, case, actor=None, suggestions=None, **kwargs) -> None:
    """Record the registrar's final category/unit for retraining and index the text for duplicate search."""
    from .services import record_choice

    record_choice(case, actor=actor, suggestions=suggestions)


def connect() -> None:
    case_registered.connect(on_case_registered, dispatch_uid="triage.record_choice")
