"""The registration signal other apps listen to (triage records choices, analytics rolls up, supervision
opens report tasks). Workflow transitions are announced through `workflow.hooks`, keyed by action code."""

from django.dispatch import Signal

# Sent inside the registration transaction, after the registration rulings have run (so receivers see
# the case's final state): case=Case, actor=User, suggestions=dict|None
case_registered = Signal()
