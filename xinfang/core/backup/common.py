"""What backup and restore share: the archive's layout, counting, where things live, the PostgreSQL tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections

FORMAT = "xinfang-backup"
FORMAT_VERSION = 1
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
COUNT_LABELS = {
    "cases": "信访事项",
    "case_documents": "文书",
    "attachments": "附件",
    "audit_events": "审计事件",
}
ANCHOR_MEMBER = "audit-anchor.jsonl"


class BackupError(Exception):
    """A backup or restore cannot go on; the message (Chinese) says why."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int


# --- what a backup counts ---------------------------------------------------------------------------------


def table_names() -> dict[str, str]:
    # Through the app registry, not imports: this package sits below the apps (tests/structure).
    models = {
        "cases": "cases.Case",
        "case_documents": "cases.CaseDocument",
        "attachments": "cases.Attachment",
        "audit_events": "audit.AuditEvent",
        "audit_head": "audit.AuditHead",
    }
    return {key: apps.get_model(label)._meta.db_table for key, label in models.items()}


def read_facts(cursor) -> dict:
    """Counts and the chain head, through any DB-API cursor (sqlite3 on a copy, or Django's)."""
    tables = table_names()
    counts = {}
    for key in ("cases", "case_documents", "attachments", "audit_events"):
        cursor.execute(f'SELECT COUNT(*) FROM "{tables[key]}"')  # noqa: S608 (table names from models)
        counts[key] = cursor.fetchone()[0]
    cursor.execute(f'SELECT last_hash, count FROM "{tables["audit_head"]}" WHERE id = 1')  # noqa: S608
    head = cursor.fetchone()
    return {
        "counts": counts,
        "audit_head": {"hash": head[0], "count": head[1]} if head else None,
    }


def current_counts() -> dict:
    """The same counts on the live database (for comparing a restore with its manifest)."""
    with connections["default"].cursor() as cursor:
        return read_facts(cursor)["counts"]


def case_count() -> int:
    """Cases in the target database; 0 when it has no tables yet (a fresh database)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table_names()["cases"]}"')  # noqa: S608
            return cursor.fetchone()[0]
    except DatabaseError:
        return 0


# --- locations ---------------------------------------------------------------------------------------------


def db_vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in DB_MEMBERS:
        raise BackupError(f"不支持备份 {vendor} 数据库（仅支持 SQLite 和 PostgreSQL）")
    return vendor


def sqlite_file() -> Path:
    name = str(connections["default"].settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"SQLite 数据库“{name}”不是普通文件，无法备份或恢复")
    return Path(name)


def anchor_file() -> Path | None:
    path = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    return Path(path) if path else None


def media_dir() -> Path:
    return Path(settings.MEDIA_ROOT)


def triage_models_dir() -> Path:
    return Path(settings.XINFANG.get("TRIAGE_MODEL_DIR", Path(settings.VAR_DIR) / "triage"))


def var_dir() -> Path:
    path = Path(settings.VAR_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def protected(extra: list[Path], *, triage: bool = True) -> list[Path]:
    """Paths never archived as media nor removed when media is replaced (MEDIA_ROOT may hold VAR_DIR)."""
    paths = [*extra]
    if connections["default"].vendor == "sqlite":
        db = sqlite_file()
        paths += [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    if (anchor := anchor_file()) is not None:
        paths.append(anchor)
    if triage:
        paths.append(triage_models_dir())
    return [p.resolve() for p in paths]


def inside(path: Path, guarded: list[Path]) -> bool:
    """path is, or is inside, one of the guarded paths."""
    path = path.resolve()
    return any(path == p or p in path.parents for p in guarded)


def holds(path: Path, guarded: list[Path]) -> bool:
    """path is a folder above one of the guarded paths."""
    path = path.resolve()
    return any(path in p.parents for p in guarded)


# --- PostgreSQL client programs ----------------------------------------------------------------------------


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: XINFANG_PG_BIN_DIR, then PATH, then the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    if override := os.environ.get("XINFANG_PG_BIN_DIR"):
        candidates.append(Path(override) / name)
    if found := shutil.which(name):
        candidates.append(Path(found))

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name)) or (0,)

    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version, reverse=True)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client），或用 XINFANG_PG_BIN_DIR 指定其目录"
    )


def pg_args_env() -> tuple[list[str], dict[str, str]]:
    s = connections["default"].settings_dict
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    options = s.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return [f"--dbname={s['NAME']}"], env


def run_tool(args: list[str], env: dict[str, str], what: str, stdin=None) -> None:
    try:
        done = subprocess.run(  # noqa: S603
            args, env=env, stdin=stdin, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"{what}无法启动：{exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（退出码 {done.returncode}）：{detail}")
