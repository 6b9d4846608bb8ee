"""Checks of uploaded paper files: a size limit and an allow-list of types recognised by content.

The uploaded name and the browser's content type are never trusted: the type comes from the
file's first bytes (and, for office documents, from the zip's contents), the stored name is
generated (``models.stored_file_name``), and the suffix is the allowed type's own.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    suffix: str
    content_type: str


PDF = FileType(".pdf", "application/pdf")
PNG = FileType(".png", "image/png")
JPEG = FileType(".jpg", "image/jpeg")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileType(".odt", "application/vnd.oasis.opendocument.text")
ODS = FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet")
TXT = FileType(".txt", "text/plain")
CSV = FileType(".csv", "text/csv")

ALLOWED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, TXT, CSV"


def _office_type(head: bytes, data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 200:  # a real one is ~50 bytes; never unpack a bomb
                    return None
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _text_type(data: bytes, name: str) -> FileType | None:
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return CSV if name.lower().endswith(".csv") else TXT


def detect_type(data: bytes, name: str) -> FileType | None:
    """The allowed type of these bytes, or None (then the file is refused)."""
    head = data[:8]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(head, data)
    if name.lower().endswith((".txt", ".csv")):
        return _text_type(data, name)
    return None


def check_upload(upload, max_bytes: int | None = None) -> tuple[FileType, bytes]:
    """The checked type and content of an upload; a translated ValidationError if it is too
    large or not of an allowed type."""
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"file": _too_large(limit)})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": _too_large(limit)})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    kind = detect_type(data, getattr(upload, "name", "") or "")
    if kind is None:
        raise ValidationError(
            {"file": _("This type of file is not allowed. Allowed are: %(types)s.") % {"types": ALLOWED_LABEL}}
        )
    return kind, data


def _too_large(limit: int) -> str:
    return _("The file is too large: at most %(mb)s MB are allowed.") % {"mb": limit // (1024 * 1024)}


def safe_display_name(name: str, kind: FileType) -> str:
    """The name shown and sent in Content-Disposition: no path, no control characters, the
    checked type's suffix."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    return (stem[:150] or "datei") + kind.suffix
