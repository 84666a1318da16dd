"""Backing up and restoring a whole deployment: the database, the media files and the audit anchor file.

A backup is one .tar.gz (readable by any tar) holding, in this order:

  manifest.json        format, time, database vendor, row counts and the audit chain's head (read in the same
                       snapshot the dump was taken in)
  database.sqlite3     SQLite: a consistent copy made with the online backup API (`sqlite3.Connection.backup`)
  database.pgdump      PostgreSQL: `pg_dump -Fc`, taken in an exported snapshot of the manifest's transaction
  audit-anchor.jsonl   the chain's anchor outside the database (settings.AUDIT_ANCHOR_FILE), if there is one
  media/…              settings.MEDIA_ROOT: attachments and pending uploads
  triage/…             retrained triage models (their rows in the database name these files), if any

The anchor file is copied *before* the database snapshot: every line in the copy then names a row the snapshot
holds. Copied after, it could name rows committed after the snapshot, and the restored chain would (rightly)
fail verification. Media files are copied after the snapshot, so every file a row names is there.

Restoring replaces the database (SQLite: the backup API again, page by page into the live file; PostgreSQL:
the dump's script through `psql --single-transaction`, after dropping the schema's tables and functions), then the media folder and the anchor file, then walks
the audit chain.
"""

from .common import COUNT_LABELS, VENDOR_NAMES, BackupError, BackupResult, case_count
from .create import create_backup
from .restore import RestoreResult, check_target, read_manifest, restore_backup

__all__ = [
    "COUNT_LABELS",
    "VENDOR_NAMES",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "case_count",
    "check_target",
    "create_backup",
    "read_manifest",
    "restore_backup",
]
