"""Errors of the triage app (Chinese messages, stable codes)."""

from xinfang.core.errors import ServiceError


class TriageError(ServiceError):
    """Bad training/evaluation input or a missing model; the message names what is wrong."""
