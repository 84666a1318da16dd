"""`manage.py backup` and `manage.py restore` (issue 11): one archive carries the database, the media files and
the audit anchor file; restoring it brings back the cases, their documents, the attachment files and the audit
trail, and the chain verifies.

Both commands run as separate processes against the test database, as an operator would run them. The suite
runs once on SQLite and once on PostgreSQL (.ci/run): each round exercises its own vendor's path (the SQLite
online backup API, or pg_dump/pg_restore) and skips the other.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from tests.cases.helpers import registration
from tests.factories import make_district, make_user, tiny_pdf
from tests.production.helpers import deployment_env, manage
from xinfang.audit.models import AuditEvent
from xinfang.audit.services import verify_chain
from xinfang.cases.models import Attachment, Case, CaseDocument
from xinfang.cases.services import register_case
from xinfang.cases.workflow import actions as tr
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PDF = tiny_pdf()
SKIP_REASON = {
    "sqlite": "本轮测试使用 PostgreSQL：SQLite 备份与恢复在 SQLite 轮次中测试",
    "postgresql": "DATABASE_URL 未指向 PostgreSQL（本轮测试使用 SQLite），跳过 PostgreSQL 备份与恢复（pg_dump/pg_restore）",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def vendor(request):
    if connection.vendor != request.param:
        pytest.skip(SKIP_REASON[request.param])
    return request.param


@pytest.fixture
def env(settings, tmp_path, vendor):
    settings.MEDIA_ROOT = tmp_path / "media"
    return deployment_env(tmp_path / "var")


@pytest.fixture
def people():
    district = make_district()
    unit = district.units[0]
    return make_user(Role.REGISTRAR, district.bureau), make_user(Role.HANDLER, unit), unit


def _register(registrar, title: str, filename: str, content: bytes) -> Case:
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    data = registration(title=title, received_date=timezone.localdate())
    return register_case(actor=registrar, data=data, attachments=[upload])


def _state() -> dict:
    """What a restore must bring back, file contents included."""
    return {
        "cases": sorted(Case.objects.values_list("number", "title", "status")),
        "documents": sorted(
            (d.case.number, d.doc_type, hashlib.sha256(bytes(d.content)).hexdigest())
            for d in CaseDocument.objects.select_related("case")
        ),
        "attachments": sorted(
            (a.case.number, a.original_name, _read(Path(a.file.path)))
            for a in Attachment.objects.select_related("case")
        ),
    }


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _audit() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.order_by("id").values_list("action", "hash"))


def _backup_file(env, tmp_path: Path) -> Path:
    done = manage(env, "backup", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = (tmp_path / "backups").glob("xinfang-backup-*.tar.gz")
    assert f"已备份到 {path}" in done.stdout and "信访事项 2 件" in done.stdout
    return path


def test_restore_brings_back_cases_documents_files_and_a_verified_audit_chain(
    env, people, tmp_path, settings
):
    registrar, handler, unit = people
    first = _register(registrar, "反映小区噪声扰民", "现场照片说明.pdf", PDF)
    _register(registrar, "反映道路积水", "积水照片.pdf", PDF.replace(b"200 200", b"300 300"))
    # Forwarding and accepting generate the stage documents (转送单, 受理告知书), stored with the case.
    first = tr.forward_case(first, registrar, version=first.version, unit=unit, on=timezone.localdate())
    tr.accept_case(first, handler, version=first.version, on=timezone.localdate())
    before, audit_before = _state(), _audit()
    assert len(before["documents"]) >= 2 and len(before["attachments"]) == 2

    backup = _backup_file(env, tmp_path)
    assert backup.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    with tarfile.open(backup) as tar:
        assert tar.getnames()[0] == "manifest.json"
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"]["cases"] == 2 and manifest["counts"]["audit_events"] == len(audit_before)
    assert manifest["audit_head"]["hash"] == audit_before[-1][1]
    assert manifest["audit_anchor"] and {"audit-anchor.jsonl", manifest["database_file"]} <= names
    assert sum(n.startswith("media/attachments/") for n in names) == 2

    # Damage: a title changed, the documents and the attachment files gone, a case registered after the backup
    # (its audit events and anchor lines are not in the backup).
    Case.objects.filter(pk=first.pk).update(title="被改动的标题")
    CaseDocument.objects.all().delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "attachments")
    _register(registrar, "备份之后登记的事项", "后来的.pdf", PDF)
    assert _state() != before
    connections.close_all()  # the restore replaces the database under this process

    refused = manage(env, "restore", str(backup))
    assert refused.returncode != 0 and "已有 3 件信访事项" in refused.stderr and "--yes" in refused.stderr
    assert Case.objects.count() == 3  # nothing was touched
    connections.close_all()

    done = manage(env, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"审计链完整：共校验 {len(audit_before)} 条记录" in done.stdout
    assert "已恢复媒体文件 2 个" in done.stdout and "已恢复审计锚点文件" in done.stdout

    assert _state() == before
    restored = _audit()
    assert restored[:-1] == audit_before and restored[-1][0] == "system.restore"  # the restore is on record
    assert verify_chain().ok


def test_a_restore_whose_chain_does_not_verify_exits_non_zero(env, people, tmp_path):
    registrar, _, _ = people
    _register(registrar, "反映小区噪声扰民", "现场照片说明.pdf", PDF)
    _register(registrar, "反映道路积水", "积水照片.pdf", PDF)
    backup = _backup_file(env, tmp_path)
    # The anchor outside the database, rewritten in the archive: it no longer matches the newest row.
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(backup) as src, tarfile.open(forged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "audit-anchor.jsonl":
                data = re.sub(rb'"hash":"[0-9a-f]{64}"\}\n$', b'"hash":"' + b"f" * 64 + b'"}\n', data)
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    connections.close_all()

    done = manage(env, "restore", str(forged), "--yes")
    assert done.returncode != 0
    assert "审计链校验失败" in done.stderr and "外部锚点与第" in done.stderr, done.stdout + done.stderr
    assert not AuditEvent.objects.filter(action="system.restore").exists()
