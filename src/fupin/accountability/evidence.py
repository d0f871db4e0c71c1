"""Evidence files: what a file is, by its content (never by its name), and where it is
kept.

A file is stored under ``FUPIN_DATA_DIR/media/evidence/`` with a random name of 32 hex
digits and no extension; the web server never serves that folder. The only way out is
the download view (``views.evidence_download`` and the API's ``download``), which checks
the user's scope and answers as an attachment with ``X-Content-Type-Options: nosniff``.

Accepted: PDF (``%PDF-``), PNG (its 8-byte signature), JPEG (``FF D8 FF``), and the Office
Open XML documents DOCX and XLSX: a ZIP archive holding ``[Content_Types].xml`` and
``word/document.xml`` (DOCX) or ``xl/workbook.xml`` (XLSX). Only the archive's directory
is read (no member is decompressed), so a ZIP bomb costs nothing."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from django.conf import settings

from fupin.accountability.choices import EvidenceType

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

CONTENT_TYPES = {
    EvidenceType.PDF: "application/pdf",
    EvidenceType.PNG: "image/png",
    EvidenceType.JPEG: "image/jpeg",
    EvidenceType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    EvidenceType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def max_bytes() -> int:
    return int(getattr(settings, "FUPIN_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> EvidenceType | None:
    """The type of the file by its content, or None for a refused one."""
    if data.startswith(b"%PDF-"):
        return EvidenceType.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceType.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return EvidenceType.JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return EvidenceType.DOCX
        if "xl/workbook.xml" in names:
            return EvidenceType.XLSX
    return None


def root() -> Path:
    folder = Path(settings.DATA_DIR) / "media" / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_name() -> str:
    return secrets.token_hex(16)


def path_of(stored_name: str) -> Path:
    if len(stored_name) != 32 or any(c not in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored evidence name")
    return root() / stored_name
