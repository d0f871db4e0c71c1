"""The training pages in Chinese: the app's own catalogue (``training/locale``) translates
every string the pages show, so a page under ``/training/`` and the household page's
training panel show no English text of the app."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

import fupin.training
import fupin.training.apps
from fupin.training import services
from fupin.training.choices import ClassType, EnrolmentStatus
from tests.conftest import PASSWORD

PO = Path(fupin.training.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _catalogue() -> dict[str, str]:
    """msgid -> msgstr of the app's .po (context ignored)."""
    entries: dict[str, str] = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            entries["".join(re.findall(r'"(.*)"', msgid.group(1)))] = "".join(re.findall(r'"(.*)"', msgstr.group(1)))
    entries.pop("", None)
    return entries


def _text(html: str) -> str:
    """The visible text of a page: no scripts, styles or tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_every_string_of_the_app_is_translated():
    entries = _catalogue()
    assert len(entries) > 150
    assert not [msgid for msgid, msgstr in entries.items() if not msgstr]
    with translation.override("zh-hans"):
        assert str(ClassType.LABOUR_TRANSFER.label) == "劳动力转移就业技能培训"
        assert str(ClassType.WHOLE_VILLAGE.label) == "整村推进实用技术培训"
        assert str(ClassType.LEADERS.label) == "村干部和致富带头人培训"
        assert str(EnrolmentStatus.COMPLETED.label) == "已结业"
        assert str(fupin.training.apps.TrainingConfig.verbose_name) == "雨露计划培训"


@pytest.fixture
def chinese(province_user):
    client = Client()
    assert client.login(username=province_user.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_the_pages_in_chinese_show_no_english(chinese, province_user, klass, household, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee, certificate_number="C-9")
    services.transfer_record(
        actor=province_user,
        klass=klass,
        person=trainee,
        employer="大庆油田",
        place="大庆",
        destination="province",
        sector="services",
        start_date=dt.date(2009, 6, 20),
        monthly_wage="1800",
    )
    services.target_set(actor=province_user, area_code="230000000000", year=2009, trained=5, transferred=4)
    pages = {
        "class_list": reverse("training:class_list"),
        "base": reverse("training:base_detail", args=[klass.base.code]),
        "class": reverse("training:class_detail", args=[klass.code]),
        "enrol": reverse("training:enrol_members", args=[klass.code, household.code]),
        "targets": reverse("training:targets") + "?year=2009",
        "allocation": reverse("training:allocation") + "?year=2009",
        "household": reverse("web:household_detail", args=[household.code]),
    }
    texts = {}
    for name, url in pages.items():
        response = chinese.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode()
        texts[name] = _text(response.content.decode())

    english = [msgid for msgid, msgstr in _catalogue().items() if msgid != msgstr and re.search(r"[A-Za-z]{3}", msgid)]
    for name, text in texts.items():
        # an English string of the app, as words (not inside a code such as C-2009-1)
        shown = [m for m in english if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text)]
        assert not shown, (
            name,
            shown,
            [" ".join(text[max(0, text.find(m) - 120) : text.find(m) + 60].split()) for m in shown],
        )
        # and no English word at all, but the layout's language switch and names
        words = set(re.findall(r"(?<![\w-])[A-Za-z][A-Za-z_]{2,}(?![\w-])", text))
        assert words <= {"API", "English", "Fupin"}, (name, words)

    assert "雨露计划" in texts["class_list"]  # the menu entry
    assert "培训班" in texts["class_list"] and "结业人数" in texts["class_list"]
    assert "劳动力转移就业技能培训" in texts["class"]
    assert "学员名册" in texts["class"] and "登记转移就业" in texts["class"] and "已结业" in texts["class"]
    assert "省扶贫办认定" in texts["base"]
    assert "为农户家庭成员报名" in texts["enrol"]
    assert "转移就业人数" in texts["allocation"] and "培训资金分配" in texts["allocation"]
    assert "培训任务" in texts["targets"]
    panel = texts["household"]
    assert "培训及转移就业情况" in panel and "已结业" in panel and "大庆油田" in panel and "元/月" in panel
