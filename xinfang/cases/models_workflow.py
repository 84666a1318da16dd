"""Workflow records (extensions, hearings, review requests, documents). Imported at the end of models.py."""
