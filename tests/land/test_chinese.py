"""Land transfer in Chinese: the app's catalogue (``land/locale``) translates every string
of the app, no other catalogue overrides one of them, and the land pages in Chinese show
the Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import fupin.land

PO = Path(fupin.land.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries() -> list[tuple[str | None, str, str]]:
    """(context, msgid, msgstr) of the app's .po (a plural's one form as its msgstr)."""
    out = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        ctx = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        if msgid and msgstr and msgid.group(1) and "msgid_plural" not in block:
            out.append((ctx.group(1) if ctx else None, msgid.group(1), msgstr.group(1)))
    return out


ENTRIES = _entries()


def test_the_catalogue_is_complete_and_compiled():
    assert MO.is_file() and MO.stat().st_mtime >= PO.stat().st_mtime - 5
    assert len(ENTRIES) > 100
    assert "fuzzy" not in PO.read_text(encoding="utf-8")
    assert all(msgstr.strip() for _c, _m, msgstr in ENTRIES)


@pytest.mark.parametrize(("context", "msgid", "msgstr"), ENTRIES, ids=lambda v: str(v)[:40])
def test_each_string_is_shown_in_chinese_as_the_catalogue_says(context, msgid, msgstr):
    msgid, msgstr = (s.encode().decode("unicode_escape").encode("latin-1").decode() for s in (msgid, msgstr))
    with translation.override("zh-hans"):
        shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert shown == msgstr


def test_the_pages_in_chinese(county_user, make_contract):
    contract = make_contract()
    client = Client()
    client.force_login(county_user)
    page = client.get("/land/").content.decode()
    assert "土地流转合同" in page and "流转方式" in page
    detail = client.get(f"/land/contracts/{contract.number}/").content.decode()
    assert "流出户" in detail and "解除合同" in detail
