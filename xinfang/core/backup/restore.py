"""Restoring a backup archive: the database first, then the media folder and the anchor file."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connections

from .common import (
    ANCHOR_MEMBER,
    DB_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    VENDOR_NAMES,
    BackupError,
    anchor_file,
    current_counts,
    db_vendor,
    holds,
    inside,
    media_dir,
    pg_args_env,
    pg_binary,
    protected,
    run_tool,
    sqlite_file,
    triage_models_dir,
    var_dir,
)


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int
    anchor: str  # restored, removed / none (the backup had none), or disabled (no AUDIT_ANCHOR_FILE)
    triage_files: int
    pending_migrations: int
    counts: dict = field(default_factory=dict)


def read_manifest(path: str | Path) -> dict:
    """The manifest of a backup file (the archive's first member), checked for format."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != "manifest.json" or not first.isfile():
                raise BackupError(f"{path} 不是信访平台的备份文件（缺少 manifest.json）")
            manifest = json.loads(tar.extractfile(first).read().decode("utf-8"))
    except (tarfile.TarError, EOFError, ValueError) as exc:
        raise BackupError(f"无法读取备份文件 {path}：不是 .tar.gz 备份文件，或文件已损坏") from exc
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc.strerror or exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} 不是信访平台的备份文件")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError("备份文件格式版本较新，请先升级本系统再恢复")
    if manifest.get("database_vendor") not in DB_MEMBERS:
        raise BackupError(f"备份清单中的数据库类型无法识别：{manifest.get('database_vendor')}")
    return manifest


def check_target(manifest: dict) -> None:
    vendor = db_vendor()
    if manifest["database_vendor"] != vendor:
        raise BackupError(
            f"备份来自 {VENDOR_NAMES[manifest['database_vendor']]} 数据库，当前数据库为 {VENDOR_NAMES[vendor]}，"
            "不能直接恢复（请在同类数据库上恢复）"
        )


def _extract(path: Path, into: Path) -> None:
    allowed = re.compile(
        r"^(manifest\.json|database\.(sqlite3|pgdump)|audit-anchor\.jsonl|(media|triage)/.+)$"
    )
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = [m for m in tar.getmembers() if allowed.match(m.name) and (m.isfile() or m.isdir())]
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError("备份文件解压失败：文件已损坏或不完整") from exc
    except OSError as exc:
        raise BackupError(f"备份文件解压失败：{exc.strerror or exc}") from exc


def _restore_sqlite(db_copy: Path) -> None:
    connections.close_all()
    target_file = sqlite_file()
    target_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = sqlite3.connect(db_copy.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            target = sqlite3.connect(target_file, timeout=60)
            try:
                # Replaces the live file's every page under a write lock: other connections see the old or the
                # new database, never a mixture, and any -wal file stays consistent with it.
                source.backup(target)
                target.execute("PRAGMA journal_mode=WAL")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 数据库恢复失败：{exc}") from exc


# What the dump will recreate, dropped first in the restore's transaction: the tables (a partitioned table with
# its partitions), views, sequences and functions of the schema, not those of an extension (pg_trgm). This
# replaces `pg_restore --clean`, which drops a partition's inherited constraints one by one and fails.
DROP_SCHEMA_OBJECTS = r"""
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT quote_ident(c.relname) AS name, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                                   WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
    FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT c.relispartition
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                                  AND d.deptype = 'e')
    ORDER BY c.relkind = 'S'  -- the tables first: the sequences they own go with them
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                                  AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.name);
  END LOOP;
END $$
"""


def _restore_postgresql(dump_file: Path) -> None:
    restore, psql = pg_binary("pg_restore"), pg_binary("psql")
    args, env = pg_args_env()
    connections.close_all()
    # One transaction (psql --single-transaction over the drop and the dump's script): the database is either
    # wholly replaced or left as it was. Owners and grants are not restored: the objects belong to the user the
    # application connects as.
    script = subprocess.Popen(  # noqa: S603
        [restore, "--no-owner", "--no-privileges", "--file=-", str(dump_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        run_tool(
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", *args,
             f"--command={DROP_SCHEMA_OBJECTS}", "--file=-"],
            env, "pg_restore", stdin=script.stdout,
        )  # fmt: skip
    finally:
        script.stdout.close()
        errors = script.stderr.read().decode(errors="replace")
        script.wait()
    if script.returncode != 0:  # a dump it could not read: psql then ran a partial script and rolled back
        raise BackupError(f"pg_restore失败（退出码 {script.returncode}）：{errors.strip()[-2000:]}")


def _clear(folder: Path, protected: list[Path]) -> None:
    for child in list(folder.iterdir()):
        if inside(child, protected):
            continue
        if holds(child, protected):
            _clear(child, protected)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _replace_tree(source: Path, dest: Path, protected: list[Path]) -> int:
    """Make dest hold what source holds (its files moved in); return how many files came."""
    dest.mkdir(parents=True, exist_ok=True)
    _clear(dest, protected)
    if not source.is_dir():
        return 0
    count = sum(1 for p in source.rglob("*") if p.is_file())
    for child in source.iterdir():
        target = dest / child.name
        if target.is_dir() and child.is_dir():  # a folder above a protected path, kept by _clear
            shutil.copytree(child, target, dirs_exist_ok=True)
        else:
            shutil.move(str(child), str(target))
    return count


def _restore_anchor(extracted: Path | None) -> str:
    """Put the backup's anchor file in place: "restored", "removed" / "none" (the backup had
    none; an old file was deleted / there was none) or "disabled"."""
    anchor = anchor_file()
    if anchor is None:
        return "disabled"
    if extracted is None or not extracted.is_file():
        # The restored database came with no anchor: one left from the old database would name rows that
        # are not there (settings: a fresh database needs a fresh, or no, file).
        if anchor.exists():
            anchor.unlink()
            return "removed"
        return "none"
    anchor.parent.mkdir(parents=True, exist_ok=True)
    fresh = anchor.with_name(anchor.name + ".restoring")
    shutil.copyfile(extracted, fresh)
    os.replace(fresh, anchor)
    return "restored"


def _pending_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections["default"])
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


def restore_backup(path: str | Path) -> RestoreResult:
    """Replace the database, the media files and the anchor file with the backup's. The caller has checked the
    manifest (read_manifest, check_target) and that the target may be overwritten."""
    path = Path(path)
    manifest = read_manifest(path)
    check_target(manifest)
    vendor = manifest["database_vendor"]
    with tempfile.TemporaryDirectory(prefix=".xinfang-restore-", dir=var_dir()) as staging:
        staging_dir = Path(staging)
        _extract(path, staging_dir)
        db_copy = staging_dir / DB_MEMBERS[vendor]
        if not db_copy.is_file():
            raise BackupError(f"备份文件中缺少数据库（{DB_MEMBERS[vendor]}）")
        # The database first: if it fails, nothing else has been touched.
        if vendor == "sqlite":
            _restore_sqlite(db_copy)
        else:
            _restore_postgresql(db_copy)
        media = _replace_tree(staging_dir / "media", media_dir(), protected([staging_dir, path]))
        triage = 0
        if (staging_dir / "triage").is_dir():
            triage = _replace_tree(
                staging_dir / "triage", triage_models_dir(), protected([staging_dir, path], triage=False)
            )
        anchor = _restore_anchor(staging_dir / ANCHOR_MEMBER if manifest.get("audit_anchor") else None)
    return RestoreResult(
        manifest=manifest,
        media_files=media,
        anchor=anchor,
        triage_files=triage,
        pending_migrations=_pending_migrations(),
        counts=current_counts(),
    )
