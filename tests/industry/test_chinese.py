"""Leading enterprises in Chinese: the app's own catalogue (``industry/locale``) translates
every string of the app, the compiled catalogue matches it, and the pages show the
Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

import fupin.industry
from fupin.industry import rules
from fupin.industry.choices import Level, Sector, Status
from tests.conftest import PASSWORD

PO = Path(fupin.industry.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str | None, str, str]]:
    out = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        ctx = re.search(r'^msgctxt "(.*)"', block, re.M)
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"', block, re.M)
        if msgid and msgstr and msgid.group(1):
            out.append((ctx.group(1) if ctx else None, msgid.group(1), msgstr.group(1)))
    return out


def test_every_entry_is_translated_and_compiled():
    entries = _entries()
    assert len(entries) > 100
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")
    with translation.override("zh-hans"):
        for ctx, msgid, msgstr in entries:
            assert msgstr, msgid
            assert re.findall(r"%\(\w+\)s", msgid) == re.findall(r"%\(\w+\)s", msgstr), msgid
            got = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
            assert got == msgstr.replace('\\"', '"'), msgid


def test_rules_and_choices_in_both_languages():
    with translation.override("zh-hans"):
        assert "校验码" in rules.USCC_CHECK.text(code="X")
        assert str(Level.NATIONAL.label) == "国家级" and str(Status.ACTIVE.label) == "认定有效"
        assert all(not re.search("[a-z]{3}", str(label)) for _v, label in Sector.choices)
    with translation.override("en"):
        assert "check character" in rules.USCC_CHECK.text(code="X")


def test_the_pages_in_chinese(county_user, base):
    client = Client()
    assert client.login(username=county_user.username, password=PASSWORD)
    page = client.get(reverse("industry:enterprise_detail", args=[base.enterprise.code])).content.decode()
    assert "生产基地" in page and "农户联结基地" in page and "统一社会信用代码" in page
    listing = client.get(reverse("industry:enterprise_list")).content.decode()
    assert "认定龙头企业" in listing
