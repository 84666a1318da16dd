"""The registration signal other apps listen to (triage records choices, analytics rolls up, supervision
opens report tasks). Workflow transitions are announced through `workflow.hooks`, keyed by action code."""

from django.dispatch import Signal

# Sent inside the registration transaction, after the registration rulings have run (so receivers see
# the case's final state): case=Case, actor=User, suggestions=dict|None
case_registered = Signal()

# Sent inside a bulk registration's transaction (the ledger import) once for all its cases, instead of
# case_registered per case: cases=list of objects carrying the Case attributes (not model instances; freshly
# registered, so no evaluation and no repeat ruling), actor=User.
cases_registered_in_bulk = Signal()
