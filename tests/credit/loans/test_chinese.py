"""The discounted loans in Chinese: the credit catalogue (``credit/locale``) translates every
string of the loans, and their pages and the household panel show no English text of theirs."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation

import fupin.credit
from fupin.credit.loans import rules
from fupin.credit.loans.choices import BorrowerKind
from tests.conftest import PASSWORD

PO = Path(fupin.credit.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            entries["__fuzzy__"] = ""
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            entries["".join(re.findall(r'"(.*)"', msgid.group(1)))] = "".join(re.findall(r'"(.*)"', msgstr.group(1)))
    entries.pop("", None)
    return entries


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_string_is_translated():
    entries = _catalogue()
    assert len(entries) > 120
    assert not [msgid for msgid, msgstr in entries.items() if not msgstr]
    with translation.override("zh-hans"):
        assert str(BorrowerKind.HOUSEHOLD.label) == "农户（到户贷款）"
        assert "50,000" in rules.DISCOUNT_BEYOND_CAP.text(cap="1.00", year=2009)
        assert rules.REPAYMENT_BEYOND_OUTSTANDING.text(outstanding="5.00") == "还款金额超过贷款余额 5.00 元。"


def test_the_pages_show_no_english_of_the_loans(province_user, household_loan, poor_household):
    client = Client()
    assert client.login(username=province_user.username, password=PASSWORD)
    english = set(_catalogue())
    for url in (
        reverse("credit:loan_list"),
        reverse("credit:loan_detail", args=[household_loan.code]),
        reverse("credit:loan_create"),
        reverse("credit:discount_pay"),
        reverse("web:household_detail", args=[poor_household.code]),
    ):
        text = _text(client.get(url).content.decode())
        shown = [m for m in english if len(m) > 12 and "%" not in m and m in text]
        assert not shown, (url, shown)
