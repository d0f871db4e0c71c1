"""The Simplified Chinese catalog: complete, not fuzzy, and compiled.

The .po file is read with a small parser of its own (no gettext tools needed), and every
entry is looked up through Django's translation machinery, which reads the committed
.mo: a difference means the .mo was not recompiled after the .po changed
(``fupin compilemessages`` from ``src/fupin``). No database is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

import fupin

PO_PATH = Path(fupin.__file__).resolve().parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|\{\{.*?\}\}|\{[^{}]*\}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[k] for k in sorted(self.msgstr_plural)]
        return [self.msgstr]


def _unquote(token: str, lineno: int) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"line {lineno}: not a quoted string: {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body):
                raise ValueError(f"line {lineno}: dangling backslash")
            nxt = body[i + 1]
            if nxt not in _ESCAPES:
                raise ValueError(f"line {lineno}: unknown escape \\{nxt}")
            out.append(_ESCAPES[nxt])
            i += 2
        elif ch == '"':
            raise ValueError(f"line {lineno}: unescaped quote")
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file: comments, flags, msgctxt, msgid, msgid_plural, msgstr and
    msgstr[n], strings continued over several quoted lines, C escapes; obsolete (``#~``)
    entries are parsed and marked."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    seen_msgstr = False

    def finish() -> None:
        nonlocal entry, target, seen_msgstr
        if entry is not None:
            entries.append(entry)
        entry, target, seen_msgstr = None, None, False

    def append(value: str) -> None:
        assert entry is not None and target is not None
        name, index = target
        if name == "msgstr" and index is not None:
            entry.msgstr_plural[index] += value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # a previous msgid of an obsolete entry
                continue
        if not line:
            finish()
            continue
        if line.startswith("#"):
            # A comment after a msgstr starts the next entry (even without a blank line).
            if seen_msgstr:
                finish()
            if entry is None:
                entry = Entry(line=lineno)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.group(1), match.group(2), match.group(3)
            if keyword in ("msgctxt", "msgid") and seen_msgstr:
                finish()
            if entry is None:
                entry = Entry(line=lineno)
            entry.obsolete = entry.obsolete or obsolete
            value = _unquote(token, lineno)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", None)
            elif index is not None:
                entry.msgstr_plural[int(index)], target = value, ("msgstr", int(index))
                seen_msgstr = True
            else:
                entry.msgstr, target = value, ("msgstr", None)
                seen_msgstr = True
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {lineno}: string continuation outside an entry")
            append(_unquote(line, lineno))
            continue
        raise ValueError(f"line {lineno}: cannot parse {raw!r}")
    finish()
    return entries


def _active_entries() -> list[Entry]:
    return [e for e in parse_po(PO_PATH.read_text(encoding="utf-8")) if not e.obsolete]


ENTRIES = _active_entries()
MESSAGES = [e for e in ENTRIES if not e.is_header]
SINGULAR = [e for e in MESSAGES if e.msgid_plural is None and e.msgctxt is None]
PLURAL = [e for e in MESSAGES if e.msgid_plural is not None and e.msgctxt is None]


# --- the parser itself ------------------------------------------------------------------------


def test_parser_reads_multiline_escapes_plurals_and_flags() -> None:
    text = (
        'msgid ""\n'
        'msgstr ""\n'
        '"Language: zh_Hans\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        "\n"
        "#, python-format\n"
        'msgid ""\n'
        '"Say \\"%(a)s\\"\\n"\n'
        '"then \\\\ stop."\n'
        'msgstr "说“%(a)s”\\n然后 \\\\ 停。"\n'
        "\n"
        "#, fuzzy, python-format\n"
        'msgid "%(n)s month"\n'
        'msgid_plural "%(n)s months"\n'
        'msgstr[0] "%(n)s 个月"\n'
        "\n"
        '#~ msgid "gone"\n'
        '#~ msgstr "已删"\n'
    )
    header, multi, plural, gone = parse_po(text)
    assert header.is_header
    assert header.msgstr == "Language: zh_Hans\nPlural-Forms: nplurals=1; plural=0;\n"
    assert multi.msgid == 'Say "%(a)s"\nthen \\ stop.'
    assert multi.msgstr == "说“%(a)s”\n然后 \\ 停。"
    assert multi.flags == {"python-format"}
    assert plural.msgid_plural == "%(n)s months"
    assert plural.msgstr_plural == {0: "%(n)s 个月"}
    assert "fuzzy" in plural.flags
    assert gone.obsolete and gone.msgid == "gone"


# --- the catalog --------------------------------------------------------------------------------


def test_catalog_files_exist() -> None:
    assert PO_PATH.is_file()
    assert MO_PATH.is_file(), "run `fupin compilemessages` in src/fupin and commit django.mo"
    assert len(MESSAGES) > 100


def test_header_declares_chinese_plural_forms_and_utf8() -> None:
    header = ENTRIES[0]
    assert header.is_header
    assert "fuzzy" not in header.flags
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    untranslated = [e.msgid for e in MESSAGES if not all(s.strip() for s in e.translations())]
    fuzzy = [e.msgid for e in MESSAGES if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plural_entries_have_exactly_one_form() -> None:
    for entry in PLURAL:
        assert sorted(entry.msgstr_plural) == [0], entry.msgid


def test_placeholders_and_tags_are_kept() -> None:
    for entry in MESSAGES:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        expected_placeholders = sorted(set().union(*(_PLACEHOLDER.findall(s) for s in sources)))
        expected_tags = sorted(_TAG.findall(entry.msgid))
        for text in entry.translations():
            assert sorted(set(_PLACEHOLDER.findall(text))) == expected_placeholders, entry.msgid
            assert sorted(_TAG.findall(text)) == expected_tags, entry.msgid


# --- the compiled catalog, through Django --------------------------------------------------------


@pytest.mark.parametrize("entry", SINGULAR, ids=lambda e: e.msgid[:60])
def test_compiled_catalog_matches_po(entry: Entry) -> None:
    with translation.override("zh-hans"):
        assert translation.gettext(entry.msgid) == entry.msgstr


@pytest.mark.parametrize("entry", PLURAL, ids=lambda e: e.msgid[:60])
def test_compiled_plurals_match_po(entry: Entry) -> None:
    assert entry.msgid_plural is not None
    with translation.override("zh-hans"):
        for n in (1, 2, 21):
            assert translation.ngettext(entry.msgid, entry.msgid_plural, n) == entry.msgstr_plural[0]


# --- key strings in both languages --------------------------------------------------------------

KEY_STRINGS = {
    "Log in": "登录",
    "Households": "农户",
    "Register household": "登记农户",
    "key poverty-stricken village": "重点贫困村",
    "exited poverty": "已脱贫",
    "village appraisal": "村民民主评议",
    "main cause of poverty": "主要致贫原因",
    "per capita net income": "人均纯收入",
    "This record is outside the areas you are responsible for.": "该记录不在您负责的区域范围内。",
}


@pytest.mark.parametrize(("msgid", "chinese"), KEY_STRINGS.items())
def test_key_strings_in_chinese_and_english(msgid: str, chinese: str) -> None:
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_default_language_is_chinese() -> None:
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Log out") == "退出登录"


def test_choice_labels_and_formatted_messages() -> None:
    from fupin.core.choices import Role
    from fupin.registry.choices import Cause, Status

    with translation.override("zh-hans"):
        assert str(Status.POOR.label) == "贫困户"
        assert str(Cause.SCHOOLING.label) == "因学"
        assert str(Role.PROVINCE.label) == "省扶贫办"
        text = translation.gettext("Household code %(code)s exists.") % {"code": "230129001"}
        assert text == "户编号 230129001 已存在。"
        assert translation.ngettext("%(total)s household", "%(total)s households", 3) % {"total": 3} == "共 3 户"
    with translation.override("en"):
        assert str(Status.POOR.label) == "poor"
        assert str(Role.PROVINCE.label) == "province office"
        assert translation.ngettext("%(total)s household", "%(total)s households", 3) % {"total": 3} == "3 households"
