"""Signals other apps listen to (triage records choices, analytics rolls up)."""

from django.dispatch import Signal

# Sent inside the registration transaction: case=Case, actor=User, suggestions=dict|None
case_registered = Signal()
# Sent after any workflow transition: case=Case, actor=User, action=str, from_status=str, to_status=str
case_transitioned = Signal()
