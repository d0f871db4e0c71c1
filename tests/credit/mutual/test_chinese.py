"""The mutual fund pages in Chinese: the credit app's catalogue translates every string of
the mutual funds, so ``/credit/funds/`` pages and the household page's panel show no
English text of the app."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

import fupin.credit
from fupin.credit.mutual import rules, services
from fupin.credit.mutual.choices import LoanStatus, SeedKind
from tests.conftest import PASSWORD

PO = Path(fupin.credit.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            entries[f"fuzzy:{block}"] = ""
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
    assert len(entries) > 200
    assert not [msgid for msgid, msgstr in entries.items() if not msgstr]
    with translation.override("zh-hans"):
        assert str(SeedKind.DONATION.label) == "无偿捐赠"
        assert str(LoanStatus.APPROVED.label) == "已批准放款"
        assert rules.LOAN_CEILING.text(amount="6000.00", loan_ceiling="5000.00") == (
            "借款 6000.00 元超过互助资金的借款上限 5000.00 元。"
        )


@pytest.fixture
def chinese(province_user):
    client = Client()
    assert client.login(username=province_user.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_the_pages_in_chinese_show_no_english(chinese, province_user, member, household, seeded):
    services.loan_record(
        actor=province_user,
        fund=seeded,
        household_code=household.code,
        applied_on="2009-05-01",
        amount="3000",
        term_months=6,
        purpose="养牛",
    )
    pages = {
        "list": reverse("credit:fund_list"),
        "fund": reverse("credit:fund_detail", args=[seeded.code]) + "?on=2009-12-31",
        "household": reverse("web:household_detail", args=[household.code]),
    }
    texts = {}
    for name, url in pages.items():
        response = chinese.get(url)
        assert response.status_code == 200, url
        texts[name] = _text(response.content.decode())
    english = [m for m, s in _catalogue().items() if m != s and re.search(r"[A-Za-z]{3}", m)]
    for name, text in texts.items():
        shown = [m for m in english if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text)]
        assert not shown, (name, shown)
        words = set(re.findall(r"(?<![\w-])[A-Za-z][A-Za-z_]{2,}(?![\w-])", text))
        assert words <= {"API", "English", "Fupin"}, (name, words)
    assert "互助资金" in texts["list"]
    assert "资产负债表" in texts["fund"] and "总资产" in texts["fund"] and "已批准放款" in texts["fund"]
    assert "贫困户不足会员的" in texts["fund"]  # the one member is not poor: the warning
    assert "村级互助资金" in texts["household"] and "已批准放款" in texts["household"]
