"""Core tests reuse the workflow fixture (a district with users at every level)."""

from tests.workflow.conftest import people  # noqa: F401  (pytest fixture)
