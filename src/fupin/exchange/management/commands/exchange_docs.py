"""``fupin exchange_docs [-o docs/data-exchange.md]``: the format documentation, written
from ``fupin.exchange.schema`` (and the reader's and importer's own limits), so that the
documentation cannot drift from the code. Always in English."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from fupin.exchange import columns, reader, schema

# errors beyond which `fupin import` writes them all to a CSV file (the module is named `import`)
MANY = importlib.import_module("fupin.exchange.management.commands.import").MANY


def _cell(value: Any) -> str:
    """Text for a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def _bytes(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def _codes(column: schema.Column) -> str:
    if column.choices is None:
        return ""
    parts = []
    for value, label in column.choices.choices:
        if not value and column.required:
            continue  # a required column cannot be empty, whatever its list says
        parts.append(f"`{value}` {label}" if value else f"(empty) {label}")
    return _cell("; ".join(parts))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def render() -> str:
    """The whole document, in English."""
    with translation.override("en"):
        return "\n".join(_document()) + "\n"


def _document() -> list[str]:
    entities = list(schema.ENTITIES.values())
    names = ", ".join(f"`{e.filename}`" for e in entities)
    out = [
        "# The data exchange format",
        "",
        "<!-- Generated from fupin.exchange.schema by `fupin exchange_docs -o docs/data-exchange.md`."
        " Do not edit by hand: change the schema and run the command again. -->",
        "",
        "Fupin imports and exports its registry as a *package* of tables, one per entity: "
        f"{names}. The same format is read by `fupin import` and the web page *Import / export*, "
        "written by `fupin export` and the export form, and described here, in the blank templates "
        "and on their reference sheets, all from one description in `fupin/exchange/schema.py`.",
        "",
        "## The package",
        "",
        "A package is one of:",
        "",
        "- a **folder** or a **`.zip`** of CSV files, each named after its entity (`households.csv`, "
        "`members.csv`, …); folders inside the zip are ignored, only file names count;",
        "- one **`.xlsx` workbook** with one sheet per entity, each sheet named after its entity "
        "(`households`, `members`, …); sheets named `reference`, `参考` or `code lists` are skipped, so a "
        "filled-in template imports as it is;",
        "- a **single file** of one entity: a CSV or XLSX file named after it (`members.csv`, `incomes.xlsx`).",
        "",
        "Any entity may be left out: a package of `incomes.csv` alone adds income records to households "
        "that are already registered. The order of files and of rows does not matter.",
        "",
        "In every table the first row is the header with the column names below; the order of the "
        "columns is free, an unknown column is an error, a missing optional column counts as empty "
        "and a missing required column is an error. An empty cell means no value. Surrounding spaces "
        "are removed. Rows refer to each other by natural keys (area code, household code, ID number), "
        "never by database ids. In a workbook, a cell holding a formula is refused (enter the value); "
        "date cells and number cells are read as their value.",
        "",
        "## Encodings",
        "",
        "- CSV files in **UTF-8**, with or without a byte order mark (BOM), are read as they are.",
        "- Otherwise the file is read as **GB18030**, which includes GBK and GB2312: what Excel in Chinese "
        "writes as \u201cCSV\u201d. This is detected, nothing needs to be chosen.",
        "- **UTF-16 and UTF-32** (Excel\u2019s \u201cUnicode text\u201d), binary files and text in any other "
        "encoding are refused with an error: save the file as UTF-8 or GB18030 (GBK) CSV.",
        "- CSV files are comma-separated with the usual double-quote quoting.",
        "- Export writes UTF-8 with a BOM, which Excel opens correctly.",
        "",
        "## Types of column",
        "",
        *_table(
            ["type", "meaning"],
            [[kind, str(text)] for kind, text in schema.KIND_HELP.items()],
        ),
        "",
        f"True values of a 1-or-0 column: {', '.join(f'`{v}`' for v in columns.TRUE)}; false values: "
        f"{', '.join(f'`{v}`' for v in columns.FALSE if v)} or empty (upper or lower case). Codes are written "
        "exactly as listed, in the case shown. Amounts are zero or more, with a decimal point and no thousands "
        "separators. An ID number's check character must be right and its birth "
        "date possible; a lower-case `x` is accepted.",
        "",
        "## Natural keys",
        "",
        "Each row is identified by its key. Import compares the package with the database by key: a key "
        "that is not yet in the database is new, a key that is has its other columns compared.",
        "",
        *_table(
            ["file", "key", "refers to"],
            [[e.filename, " + ".join(e.key), ", ".join(f"{d}.csv" for d in e.depends_on) or "-"] for e in entities],
        ),
        "",
        "## Import",
        "",
        "- **Everything is validated first**, the whole package against itself and against the database: "
        "types, code lists, ID check characters, duplicate keys, references between files and to the "
        "database, the user's scope and role, and the workflow. **Any error imports nothing.**",
        "- **Every error is reported**, each as `file:line:column: reason` (line 1 is the header row; "
        "line 0 means the file as a whole; in a workbook the file is `book.xlsx!sheet`). The command "
        f"prints them; when there are more than {MANY}, it also writes all of them to a CSV file beside the "
        "package (`PACKAGE.errors.csv`). The web page lists them, keeps the first 1000 and offers them as a CSV.",
        "- **Upsert by natural key**: new keys are inserted, changed rows are updated, unchanged rows are "
        "left alone, and nothing is ever deleted (a row missing from the package stays as it is). The "
        "new and changed rows are written in one transaction with one audit event (channel `import`).",
        "- **A second import of the same package changes nothing**: an export imported back, or the same "
        "file uploaded twice, is reported as unchanged.",
        "- **Status events** of a household must replay through the identification, exit and return "
        "workflow (each step possible at that point, dates in order, public notices standing "
        f"{settings.FUPIN_NOTICE_DAYS} days), numbered 1, 2, 3… without gaps, and must **end in the household\u2019s "
        "status**, procedure, stage and stage date as given in `households.csv`. A household without "
        "steps is `non_poor`. Steps already in the database must be the first steps of the package, "
        "unchanged: steps can be added, never rewritten.",
        "- **Members**: an ID number exists once, in the package and in the database (a person already "
        "registered in another household is an error: moving a member is done in Fupin). Sex and birth "
        "date must match the ID number and are taken from it when left empty.",
        "- **Each household has exactly one head** (relation `HEAD`), counting its members in the "
        "database and in the package together.",
        "- A household\u2019s village must be a village-level area code; its main cause cannot also be one "
        "of its secondary causes. Areas must already exist (the administrative tree ships with Fupin); "
        "only a county can be a key county, only a village a key village.",
        "- **`--as USER` applies scope and role**: the user may only import households in their areas "
        "(a household moved to another village must be in scope before and after), `areas.csv` needs "
        "the province role and `poverty_lines.csv` the city role or higher. Without `--as`, the command "
        "runs as the operator of the server, unrestricted. The web page always imports as the logged-in user.",
        "- **Limits**: a package or file over the size limit is refused (setting `FUPIN_IMPORT_MAX_BYTES`, "
        f"default {_bytes(reader.max_bytes())}; the expanded size of a zip counts); a zip member whose "
        "name contains `..` or is absolute is refused, as is an archive with more than "
        f"{reader.MAX_ZIP_MEMBERS} files or a member compressed more than {reader.MAX_COMPRESSION_RATIO} "
        "to 1 (a zip bomb). Nothing is extracted to disk: members are read in memory.",
        "",
        "On the web page, an upload is checked and its report shown (every error, or the counts of new, "
        "changed and unchanged rows per file); a valid upload is imported when its owner confirms it, "
        "in the background, with a progress bar. It is validated again just before it is written.",
        "",
        "## Export",
        "",
        "- **Scope**: an export holds only the areas, households and their records inside the user\u2019s "
        "areas (`--as USER` on the command line; the logged-in user on the web page), optionally narrowed "
        "to one area and below (`--area CODE`). Without `--as`, the command exports everything.",
        "- **Masking**: without the permission to see identifiers (`registry.view_identifiers`), ID numbers "
        "and phone numbers are masked. Such an export is for reading: its masked ID numbers do not "
        "import back.",
        "- **Formulas**: a text cell starting with `=`, `+`, `-` or `@` gets a leading apostrophe (`'`), so "
        "that a spreadsheet does not run it; import strips the apostrophe again.",
        "- CSV files are UTF-8 with a BOM. In a workbook, whole numbers are numbers and everything else "
        "(codes, ID numbers, amounts, dates) is text, exact as in the CSV files.",
        "- `status_events.seq` is the order of each household\u2019s steps by date.",
        "",
        "## Commands",
        "",
        "```",
        "fupin import PACKAGE [--dry-run] [--as USER]",
        "fupin export TARGET [--area CODE] [--entity NAME ...] [--as USER]",
        "fupin exchange_docs [-o docs/data-exchange.md]",
        "```",
        "",
        "- `fupin import` validates, prints every error (or the counts of new, changed and unchanged rows "
        "per file) and imports; `--dry-run` validates and writes nothing. It exits with an error status "
        "when the package has errors.",
        "- `fupin export` writes a folder of CSV files, a `.zip` or an `.xlsx` workbook, by the suffix of "
        f"TARGET; `--entity` (repeatable: {', '.join(e.name for e in entities)}) limits the files.",
        "- `fupin exchange_docs` writes this document.",
        "",
        "The web page *Import / export* (`/exchange/`) uploads a package, shows its report, imports it on "
        "confirmation, exports (area, files, zip or xlsx), and offers blank templates: a workbook per "
        "entity or one with every entity, each with the header row only and two reference sheets "
        "(`reference`: every column\u2019s type, whether required, example and help; `code lists`: every "
        "code with its label).",
        "",
        "## Adding an entity",
        "",
        "A later entity (projects, funds, trainees, …) adds itself in three places: a new `Entity` in "
        "`fupin/exchange/schema.py` (its name, natural key, columns with their kinds, code lists, examples "
        "and help, and the entities it depends on) and its entry in `ENTITIES`; its planner (compare with the "
        "database by key, check references and rules, add `RowError`s) and its writer (bulk insert the new "
        "rows, update the changed ones, inside the one transaction) in `fupin/exchange/importer.py`; and its "
        "query in `fupin/exchange/exporter.py` (scoped with the same area ranges). Column checks, templates, "
        "reference sheets, the web page\u2019s checkboxes and this document follow from the schema: run "
        "`fupin exchange_docs -o docs/data-exchange.md` again.",
        "",
        "## Files",
    ]
    for entity in entities:
        out += [
            "",
            f"### `{entity.filename}`",
            "",
            str(entity.help),
            "",
            f"Key: {' + '.join(f'`{k}`' for k in entity.key)}."
            + (f" Refers to: {', '.join(f'`{d}.csv`' for d in entity.depends_on)}." if entity.depends_on else ""),
            "",
            *_table(
                ["column", "type", "required", "codes", "example", "help"],
                [
                    [
                        f"`{c.name}`",
                        _kind(c),
                        "yes" if c.required else "",
                        _codes(c),
                        f"`{c.example}`" if c.example else "",
                        str(c.help),
                    ]
                    for c in entity.columns
                ],
            ),
        ]
    return out


def _kind(column: schema.Column) -> str:
    text = str(schema.KIND_HELP[column.kind])
    limits = []
    if column.max_length:
        limits.append(f"at most {column.max_length} characters")
    if column.minimum is not None:
        limits.append(f"≥ {column.minimum}")
    if column.maximum is not None:
        limits.append(f"≤ {column.maximum}")
    return f"{text} ({', '.join(limits)})" if limits else text


class Command(BaseCommand):
    help = "Write the data exchange format documentation (Markdown, English) from the schema."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")

    def handle(self, *args, **options):
        text = render()
        target: Path | None = options["output"]
        if target is None:
            self.stdout.write(text, ending="")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"written to {target}")
