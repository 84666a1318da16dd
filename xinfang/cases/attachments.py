"""Attachment checks: size cap, allowed types, and content that matches its name (no disguised files)."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# extension → (MIME type, magic-byte prefixes; empty tuple = plain text checked by decoding)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".txt": ("text/plain", ()),
}


def attachment_error(upload: UploadedFile) -> str | None:
    """Chinese reason the upload is refused, or None."""
    name = upload.name or ""
    ext = PurePath(name).suffix.lower()
    limit = settings.XINFANG["ATTACHMENT_MAX_BYTES"]
    if ext not in ALLOWED:
        return f"附件“{name}”的类型不允许，仅支持：{'、'.join(sorted(e[1:] for e in ALLOWED))}"
    if upload.size is not None and upload.size > limit:
        return f"附件“{name}”超过大小上限（{limit // (1024 * 1024)}MB）"
    if upload.size == 0:
        return f"附件“{name}”为空文件"
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    _, magics = ALLOWED[ext]
    if magics and not any(head.startswith(m) for m in magics):
        return f"附件“{name}”的内容与扩展名不符，疑似伪装文件"
    if not magics:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                return f"附件“{name}”不是有效的文本文件"
        if b"\x00" in head:
            return f"附件“{name}”不是有效的文本文件"
    return None


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def content_type_for(name: str) -> str:
    return ALLOWED.get(PurePath(name).suffix.lower(), ("application/octet-stream", ()))[0]
