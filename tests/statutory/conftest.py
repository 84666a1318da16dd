"""Statutory tests reuse the workflow people and the API client of the API tests."""

from tests.api.test_workflow_api import cast  # noqa: F401  (pytest fixture)
from tests.workflow.conftest import people  # noqa: F401  (pytest fixture)
