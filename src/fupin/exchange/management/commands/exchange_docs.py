"""``fupin exchange_docs [-o docs/data-exchange.md]``: the format documentation, written
from the registered entities (``fupin.exchange.registry``: their columns, and the rules
each app's ``exchange.py`` says of its files) and the reader's and importer's own limits,
so that the documentation cannot drift from the code. Always in English."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from fupin.core import validation
from fupin.exchange import columns, reader, registry, schema

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
        "and on their reference sheets, all from one description: the entities each app registers in its "
        "`exchange.py`.",
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
        "are removed. Rows refer to each other by natural keys (area code, household code, ID number, "
        "batch number, project code, zone code, ledger entry number), never by database ids. "
        "In a workbook, a cell holding a formula is refused (enter the value); "
        "date cells and number cells are read as their value.",
        "",
        "## Encodings",
        "",
        "- CSV files in **UTF-8**, with or without a byte order mark (BOM), are read as they are.",
        "- Otherwise the file is read as **GB18030**, which includes GBK and GB2312: what Excel in Chinese "
        "writes as \u201cCSV\u201d. This is detected, nothing needs to be chosen.",
        "- Almost any bytes decode as GB18030, so decoding alone proves nothing: a **Big5** (Traditional "
        "Chinese), **Shift-JIS** (Japanese) or **Latin-1** file would import as garbled characters. A file "
        "that is not UTF-8 is read as GB18030 only when at least 90% of its non-ASCII characters are the "
        "GB2312 hanzi and punctuation Simplified Chinese is written with, or when charset-normalizer (which "
        "weighs how coherent the decoded text is) takes it for GB18030/GBK itself, as it does a GB18030 file "
        "of traditional characters. Anything else is refused, naming the file and what it looks like "
        "(`helpers.csv: the file looks like Big5 text, neither UTF-8 nor GB18030 (GBK): \u2026`), and "
        "nothing is imported.",
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
        "### Field rules",
        "",
        "Every channel (web forms, API, services, import) applies the same rules, defined once in "
        "`fupin.core.validation` and each app's rules module:",
        "",
        "- Text holds no control characters (other than tab and line breaks) and no more characters than its "
        "column allows.",
        f"- A date lies between {validation.FIRST_DATE} and one year after today.",
        "- An ID number's first two digits are a province code of GB/T 2260 "
        f"({', '.join(sorted(validation.PROVINCE_CODES))}) and its birth date lies between "
        f"{validation.FIRST_DATE} and today.",
        "- A phone number is digits, with spaces or hyphens between groups and an optional leading `+`.",
        *registry.docs("field_rules"),
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
        *registry.docs("import"),
        "- **`--as USER` applies scope and role**: "
        + " ".join(
            [
                *registry.docs("import_roles"),
                *registry.docs("import_scope"),
                *(str(r.needs_permission.docs) for r in registry.registrations() if r.needs_permission),
            ]
        )
        + " Without `--as`, the command "
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
        "show only their first six digits (`230129************`), a member’s `birth_date` only its "
        "year (`****` for a person born in the year their record was created), phone numbers their "
        "first three and last four digits; members are then sorted by household, masked number and "
        "name (the rule is in `docs/registry.md`). Such an export is for reading: its masked ID numbers "
        "do not import back.",
        "- **Formulas**: a text cell starting with `=`, `+`, `-` or `@` gets a leading apostrophe (`'`), so "
        "that a spreadsheet does not run it; import strips the apostrophe again.",
        "- CSV files are UTF-8 with a BOM. In a workbook, whole numbers are numbers and everything else "
        "(codes, ID numbers, amounts, dates) is text, exact as in the CSV files.",
        *registry.docs("export"),
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
        "An app brings its files in its own `exchange.py`, which the exchange framework finds when it "
        "starts: a `fupin.exchange.schema.Entity` per file (its name, natural key, columns with their kinds, "
        "code lists, examples and help, and the entities it depends on), registered with "
        "`fupin.exchange.registry.register` together with its planner (compare with the database by key, "
        "check references and the app’s rules, add `RowError`s; the shared pieces are in `planning.py`), "
        "its writer (bulk insert the new rows, update the changed ones, inside the one transaction), its "
        "export query (scoped with the same area ranges) and what it needs (the least role to change rows, "
        "the administrative tree, a permission). `docs/adding-an-app.md` lists every argument. Column "
        "checks, templates, reference sheets, the web page’s checkboxes and this document follow from "
        "the registered entities: run `fupin exchange_docs -o docs/data-exchange.md` again.",
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
    if column.pattern_help:
        limits.append(str(column.pattern_help))
    if column.minimum is not None:
        limits.append(f"≥ {column.minimum}")
    if column.maximum is not None:
        limits.append(f"≤ {column.maximum}")
    if column.digits is not None:
        limits.append(f"at most {column.digits} digits before the point")
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
