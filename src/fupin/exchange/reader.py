"""Reading an exchange package: a folder or ``.zip`` of CSV files, one XLSX workbook, or
a single CSV/XLSX file of one entity. Every file becomes a table of strings with its
line numbers; nothing is interpreted here beyond the encoding and the cell types of
XLSX. Unsafe archives are refused before anything is extracted (nothing ever is: zip
members are read in memory)."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from fupin.exchange.errors import RowError
from fupin.exchange.schema import ENTITIES

MAX_ZIP_MEMBERS = 200
MAX_COMPRESSION_RATIO = 200


def max_bytes() -> int:
    return int(getattr(settings, "FUPIN_IMPORT_MAX_BYTES", 4 * 1024**3))


@dataclass
class Package:
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # entity -> strings, with "_line"
    files: dict[str, str] = field(default_factory=dict)  # entity -> file name as the user knows it
    errors: list[RowError] = field(default_factory=list)
    sha256: str = ""
    size: int = 0


# Bytes that decode as GB18030 need not be GB18030: nearly every Big5, Shift-JIS or Latin-1
# file does too, as garbage. GB18030 text is accepted when its characters are those Chinese
# text is written with (the GB2312 hanzi and punctuation), or when charset-normalizer, which
# weighs how coherent the text is, takes it for GB18030/GBK itself.
PLAUSIBLE_GB_SHARE = 0.9
SAMPLE_CHARS = 2_000_000
DETECT_BYTES = 256 * 1024
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "cp936"})
ENCODING_NAMES = {
    "big5": "Big5",
    "cp950": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS",
    "shift_jis_2004": "Shift-JIS",
    "shift_jisx0213": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "cp1252": "Latin-1 (Windows-1252)",
    "latin_1": "Latin-1",
    "iso8859_1": "Latin-1",
    "iso8859_15": "Latin-9",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
}


def detected_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess (a Python codec name), or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:DETECT_BYTES]).best()
    return best.encoding if best else None


def gb2312_share(text: str) -> float:
    """The share of the non-ASCII characters of ``text`` that are GB2312 hanzi or
    punctuation (rows 1 and 3, 16 to 87): what Simplified Chinese text is made of."""
    counts = Counter(ch for ch in text[:SAMPLE_CHARS] if ch > "\x7f")
    total = sum(counts.values())
    if not total:
        return 1.0
    common = 0
    for ch, n in counts.items():
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        if lead in (0xA1, 0xA3) or 0xB0 <= lead <= 0xF7:
            common += n
    return common / total


def decode(data: bytes, where: str) -> str | RowError:
    """UTF-8 (with or without BOM) or GB18030/GBK (what Chinese Excel writes); any other
    encoding (Big5, Shift-JIS, Latin-1...) is refused, naming what it looks like."""
    if not data.strip():
        return RowError(where, 0, "", _("the file is empty"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or (
        b"\x00" in data[:4096]
    ):
        return RowError(where, 0, "", _("the file is UTF-16/UTF-32 or binary; save it as UTF-8 or GB18030 (GBK) CSV"))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and gb2312_share(text) >= PLAUSIBLE_GB_SHARE:
        return text
    guess = detected_encoding(data)
    if text is not None and guess in GB_FAMILY:
        return text
    if guess is None or guess in GB_FAMILY:
        return RowError(where, 0, "", _("the file is neither UTF-8 nor GB18030 (GBK) text; save it in one of them"))
    return RowError(
        where,
        0,
        "",
        _(
            "the file looks like %(encoding)s text, neither UTF-8 nor GB18030 (GBK): imported, it would be "
            "garbled; save it as UTF-8 or GB18030 (GBK) CSV"
        )
        % {"encoding": ENCODING_NAMES.get(guess, guess)},
    )


def _entity_of(name: str) -> str | None:
    stem = PurePosixPath(name).stem.lower()
    return stem if stem in ENTITIES else None


def _table_from_csv(text: str, where: str) -> pl.DataFrame | RowError:
    try:
        df = pl.read_csv(
            io.StringIO(text).read().encode("utf-8"),
            infer_schema=False,
            empty_string_is_null=False,
            raise_if_empty=True,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.NoDataError:
        return RowError(where, 0, "", _("the file is empty"))
    except pl.exceptions.ComputeError as exc:
        return RowError(where, 0, "", _("not a readable CSV file: %(error)s") % {"error": str(exc).splitlines()[0]})
    return df.with_row_index("_line", offset=2)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tables_from_xlsx(data: bytes, where: str, package: Package, only: str | None = None) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        package.errors.append(RowError(where, 0, "", _("not a readable XLSX workbook: %(error)s") % {"error": exc}))
        return
    for sheet in book.worksheets:
        entity = only or _entity_of(sheet.title)
        if entity is None:
            if sheet.title.lower() not in ("reference", "参考", "code lists"):
                package.errors.append(RowError(f"{where}!{sheet.title}", 0, "", _("unknown sheet name")))
            continue
        rows = sheet.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            package.errors.append(RowError(f"{where}!{sheet.title}", 0, "", _("the sheet is empty")))
            continue
        header = [_cell_text(c.value).strip() for c in header_cells]
        while header and not header[-1]:
            header.pop()
        values: list[list[str]] = []
        for cells in rows:
            row = []
            for cell in cells[: len(header)]:
                if cell.data_type == "f":
                    column = header[cell.column - 1] if cell.column - 1 < len(header) else cell.coordinate
                    package.errors.append(
                        RowError(
                            f"{where}!{sheet.title}",
                            cell.row,
                            column,
                            _("cell %(cell)s holds a formula; enter the value itself") % {"cell": cell.coordinate},
                        )
                    )
                    row.append("")
                else:
                    row.append(_cell_text(cell.value))
            row += [""] * (len(header) - len(row))
            if any(v.strip() for v in row):
                values.append(row)
        df = pl.DataFrame(values, schema=dict.fromkeys(header, pl.String), orient="row")
        package.tables[entity] = df.with_row_index("_line", offset=2)
        package.files[entity] = f"{where}!{sheet.title}"
    book.close()


def _check_zip(zf: zipfile.ZipFile, where: str) -> RowError | None:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return RowError(where, 0, "", _("the archive holds too many files"))
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            return RowError(where, 0, "", _("unsafe file name in the archive: %(name)s") % {"name": name})
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            return RowError(where, 0, "", _("%(name)s is compressed suspiciously well (a zip bomb?)") % {"name": name})
    if total > max_bytes():
        return RowError(
            where, 0, "", _("the archive expands beyond the size limit of %(limit)s bytes") % {"limit": max_bytes()}
        )
    return None


def read_package(path: Path) -> Package:
    package = Package()
    path = Path(path)
    if not path.exists():
        package.errors.append(RowError(str(path), 0, "", _("no such file or folder")))
        return package
    digest = hashlib.sha256()
    sources: list[tuple[str, bytes]] = []
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
        size = sum(p.stat().st_size for p in files)
        if size > max_bytes():
            package.errors.append(RowError(path.name, 0, "", _("the package is over the size limit")))
            return package
        sources = [(p.name, p.read_bytes()) for p in files]
    else:
        size = path.stat().st_size
        if size > max_bytes():
            package.errors.append(RowError(path.name, 0, "", _("the file is over the size limit")))
            return package
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    problem = _check_zip(zf, path.name)
                    if problem:
                        package.errors.append(problem)
                        return package
                    sources = [
                        (PurePosixPath(i.filename).name, zf.read(i))
                        for i in zf.infolist()
                        if not i.is_dir() and PurePosixPath(i.filename).suffix.lower() in (".csv", ".xlsx")
                    ]
            except zipfile.BadZipFile:
                package.errors.append(RowError(path.name, 0, "", _("not a readable zip archive")))
                return package
        else:
            sources = [(path.name, path.read_bytes())]
    if not sources:
        package.errors.append(RowError(path.name, 0, "", _("no CSV or XLSX file in the package")))
        return package
    single = len(sources) == 1
    for name, data in sources:
        digest.update(name.encode())
        digest.update(data)
        package.size += len(data)
        suffix = PurePosixPath(name).suffix.lower()
        entity = _entity_of(name)
        if suffix == ".xlsx":
            _tables_from_xlsx(data, name, package, only=entity if single and entity else None)
            continue
        if suffix != ".csv":
            continue
        if entity is None:
            package.errors.append(
                RowError(name, 0, "", _("unknown file: name it after its entity, e.g. households.csv"))
            )
            continue
        text = decode(data, name)
        if isinstance(text, RowError):
            package.errors.append(text)
            continue
        table = _table_from_csv(text, name)
        if isinstance(table, RowError):
            package.errors.append(table)
            continue
        if entity in package.tables:
            package.errors.append(RowError(name, 0, "", _("the package holds this entity twice")))
            continue
        package.tables[entity] = table
        package.files[entity] = name
    package.sha256 = digest.hexdigest()
    return package
