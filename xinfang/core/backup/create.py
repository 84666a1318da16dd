"""Writing a backup archive (see the package's docstring for its layout and the order things are copied in)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from .common import (
    ANCHOR_MEMBER,
    DB_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    BackupResult,
    anchor_file,
    db_vendor,
    inside,
    media_dir,
    pg_args_env,
    pg_binary,
    protected,
    read_facts,
    run_tool,
    sqlite_file,
    triage_models_dir,
)


def _snapshot_sqlite(dest: Path) -> dict:
    db = sqlite_file()
    if not db.is_file():
        raise BackupError(f"SQLite 数据库文件不存在：{db}")
    # Read-write, though it only reads: a read-only connection cannot open a WAL database whose -shm is gone.
    source = sqlite3.connect(db, timeout=30)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)  # one consistent snapshot, while others go on writing
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
            facts = read_facts(target.cursor())
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 数据库备份失败：{exc}") from exc
    finally:
        source.close()
    return facts


def _snapshot_postgresql(dest: Path) -> dict:
    dump = pg_binary("pg_dump")
    args, env = pg_args_env()
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        # The counts and pg_dump read the same snapshot: exported here, imported by pg_dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = read_facts(cursor)
        run_tool([dump, "-Fc", f"--snapshot={snapshot}", f"--file={dest}", *args], env, "pg_dump")
    return facts


def _target_file(target: Path) -> Path:
    if target.name.endswith((".tar.gz", ".tgz")) and not target.is_dir():
        if target.exists():
            raise BackupError(f"备份文件已存在：{target}（请换一个文件名，或给出目录）")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target
    target.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = target / f"xinfang-backup-{stamp}.tar.gz"
    n = 1
    while path.exists():
        n += 1
        path = target / f"xinfang-backup-{stamp}-{n}.tar.gz"
    return path


def _collect(root: Path, protected: list[Path]) -> list[Path]:
    """The regular files under root: no links, nothing protected."""
    files: list[Path] = []
    if not root.is_dir():
        return files
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not inside(here / d, protected))
        for name in sorted(filenames):
            path = here / name
            if not path.is_symlink() and path.is_file() and not inside(path, protected):
                files.append(path)
    return files


def _add_files(tar: tarfile.TarFile, root: Path, files: list[Path], arcroot: str) -> None:
    for path in files:
        with contextlib.suppress(FileNotFoundError):  # removed since the walk (a purged pending upload)
            tar.add(path, arcname=f"{arcroot}/{path.relative_to(root).as_posix()}", recursive=False)


def create_backup(target: str | Path) -> BackupResult:
    """Write one .tar.gz into the directory `target` (or to `target` if it names a .tar.gz)."""
    vendor = db_vendor()
    out = _target_file(Path(target))
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".xinfang-backup-", dir=out.parent) as staging:
        staging_dir = Path(staging)
        # 1. The anchor file, before the database (see the module's docstring).
        anchor, anchor_copy = anchor_file(), staging_dir / ANCHOR_MEMBER
        has_anchor = anchor is not None and anchor.is_file()
        if has_anchor:
            shutil.copyfile(anchor, anchor_copy)
        # 2. The database, and what the manifest says about it, from one snapshot.
        db_copy = staging_dir / DB_MEMBERS[vendor]
        facts = _snapshot_sqlite(db_copy) if vendor == "sqlite" else _snapshot_postgresql(db_copy)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database_vendor": vendor,
            "database_file": DB_MEMBERS[vendor],
            **facts,
            "audit_anchor": has_anchor,
        }
        # 3. The media files (after the snapshot: every file a row names is there), and the triage models.
        media_root, triage_dir = media_dir(), triage_models_dir()
        media = _collect(media_root, protected([staging_dir, partial, out]))
        triage = _collect(triage_dir, [p.resolve() for p in (staging_dir, partial, out)])
        manifest["files"] = {"media": len(media), "triage": len(triage)}
        # 4. Everything into one archive, the manifest first, written beside the target and renamed when whole.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar,
            ):
                _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
                tar.add(db_copy, arcname=DB_MEMBERS[vendor])
                if has_anchor:
                    tar.add(anchor_copy, arcname=ANCHOR_MEMBER)
                _add_files(tar, media_root, media, "media")
                _add_files(tar, triage_dir, triage, "triage")
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=out, manifest=manifest, size=out.stat().st_size)


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(content))
