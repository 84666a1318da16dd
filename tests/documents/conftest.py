from tests.workflow.conftest import people  # noqa: F401  (pytest fixture)
