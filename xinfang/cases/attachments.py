"""Attachment checks: size cap, allowed types, and content that matches its name (no disguised files)."""

from __future__ import annotations

import hashlib
import io
import zipfile
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
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not _whole_file_ok(ext, data):
        return f"附件“{name}”的文件结构不完整，或夹带了其他格式的内容，请用原软件重新导出后再上传"
    return None


def _whole_file_ok(ext: str, data: bytes) -> bool:
    """The whole file parses as its type and nothing rides along after its end (a polyglot: an image or a PDF
    that is also a ZIP or a page). The magic bytes alone say only how a file begins."""
    try:
        checker = STRUCTURE.get(ext)
        return checker is None or checker(data)
    except Exception:
        return False


def _pdf_ok(data: bytes) -> bool:
    from pypdf import PdfReader

    tail = data.rstrip(b"\r\n\t \x00")
    return tail.endswith(b"%%EOF") and len(PdfReader(io.BytesIO(data), strict=False).pages) > 0


def _image_ok(data: bytes, trailer: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.verify()  # decodes the structure; raises on a broken or truncated image
    return data.rstrip(b"\x00").endswith(trailer)  # nothing after the end-of-image marker


def _ooxml_ok(data: bytes, part: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        return z.testzip() is None and "[Content_Types].xml" in names and part in names


def _text_ok(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


STRUCTURE = {
    ".pdf": _pdf_ok,
    ".jpg": lambda d: _image_ok(d, b"\xff\xd9"),
    ".jpeg": lambda d: _image_ok(d, b"\xff\xd9"),
    ".png": lambda d: _image_ok(d, b"IEND\xaeB`\x82"),
    ".docx": lambda d: _ooxml_ok(d, "word/document.xml"),
    ".xlsx": lambda d: _ooxml_ok(d, "xl/workbook.xml"),
    ".doc": lambda d: len(d) % 512 == 0,  # an OLE compound file is whole sectors
    ".txt": _text_ok,
}


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def content_type_for(name: str) -> str:
    return ALLOWED.get(PurePath(name).suffix.lower(), ("application/octet-stream", ()))[0]
