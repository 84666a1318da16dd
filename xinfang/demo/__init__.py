"""The demo district: organisations, users for every role and body, and cases advanced through the
workflow engine on a controlled clock (`manage.py seed_demo`)."""
