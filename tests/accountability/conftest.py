"""Fixtures of the accountability tests: users of Harbin and of Qiqihar, and files of the
accepted and refused kinds, built in the test."""

from __future__ import annotations

import io
import zipfile

import pytest

from fupin.core.choices import Role

HARBIN = "230100000000"
QIQIHAR = "230200000000"
PROVINCE = "230000000000"
YILAN = "230123000000"


@pytest.fixture
def harbin_user(make_user):
    return make_user(Role.CITY, (HARBIN,))


@pytest.fixture
def qiqihar_user(make_user):
    return make_user(Role.CITY, (QIQIHAR,))


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path / "data" / "media" / "evidence"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()
