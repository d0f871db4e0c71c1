"""The annual report's generated sentences, section by section, in Chinese and English: they
carry the section's figures as ``report.figure`` formats them, leave out what is not
available, name the report's area (a county's report names the county), and a database
with a registry only gives no sentence with a blank, a dash or "None" in it."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from fupin.analytics.indicators import indicators
from fupin.analytics.registry import SENTENCES
from fupin.analytics.report import AnnualReport, annual_report
from fupin.analytics.snapshot import take_snapshot
from tests.conftest import YANSHOU

pytestmark = pytest.mark.django_db

PROVINCE = "230000000000"
SECTIONS = (
    "overview",
    "village_advancement",
    "training",
    "industrialization",
    "mutual_funds",
    "loan_discount",
    "contiguous",
    "land_transfer",
)
LANGUAGES = ("zh-hans", "en")
# what a sentence may say instead of a figure: the land transfer's share when it is 100
# ("all ... have shaken off poverty") and an income change when it is negative (its size)
SAID_IN_WORDS = {
    "land.poor_exited_share": lambda v: v >= 100,
    "industry.income_increase_per_household": lambda v: v < 0,
}


@pytest.fixture(scope="module")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo at a small scale, frozen as of the end of 2009 (rolled back: the snapshot
    stays on disk)."""
    root = tmp_path_factory.mktemp("snapshots")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", scale=0.004, seed=3, stdout=open(os.devnull, "w"))  # noqa: SIM115
        snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=root)
        transaction.set_rollback(True)
    return snapshot


def said(report: AnnualReport, section: str, language: str) -> list[str]:
    with translation.override(language):
        return SENTENCES[section](report)


class Marked(AnnualReport):
    """A report whose figures are marks naming their indicator, to see which figure each
    sentence carries (the values, which choose what is said, are the report's)."""

    def figure(self, indicator_id: str) -> str:
        return f"⟦{indicator_id}⟧"


def test_every_programme_section_has_its_sentences():
    assert set(SECTIONS) <= set(SENTENCES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("section", SECTIONS)
def test_sentences_carry_every_available_figure_of_the_section(demo_snapshot, section, language):
    report = annual_report(year=2009, snapshot=demo_snapshot)
    marked = Marked(report.year, report.area, report.snapshot, report.values)
    text = " ".join(said(marked, section, language))
    ids = [i.id for i in indicators().values() if i.section == section]
    expected = {
        key
        for key in ids
        if report.value(key) not in (None, 0) and not SAID_IN_WORDS.get(key, lambda v: False)(report.value(key))
    }
    assert expected, section  # the demo fills every programme section
    assert set(re.findall(r"⟦([^⟧]+)⟧", text)) == expected
    # and with the real figures, each as report.figure formats it in the language
    with translation.override(language):
        real = " ".join(said(report, section, language))
        for key in expected:
            assert report.figure(key) in real, key
    assert "%(" not in real and "None" not in real and "—" not in real


def test_the_sentences_read_in_each_language(demo_snapshot):
    """A figure formatted per language, in the words of the seed: Chinese figures are not
    grouped, English ones are; the units are words."""
    report = annual_report(year=2009, snapshot=demo_snapshot)
    road = report.value("output.road")
    trained = report.value("training.transfer.trained")
    assert road and trained
    with translation.override("zh-hans"):
        outputs = " ".join(said(report, "village_advancement", "zh-hans"))
        assert f"修建道路{report.figure('output.road')}公里" in outputs
        training = said(report, "training", "zh-hans")[0]
        assert training.startswith(
            f"全年扶贫培训基地共培训{report.figure('training.transfer.trained')}人，其中转移就业"
        )
        assert re.search(r"[A-Za-z]", "".join(training)) is None  # no English left in the Chinese
    with translation.override("en"):
        outputs = " ".join(said(report, "village_advancement", "en"))
        assert f"built {report.figure('output.road')} kilometres of roads" in outputs
        assert f"{trained:,}" in report.figure("training.transfer.trained")
    for section in SECTIONS:
        for language in LANGUAGES:
            for sentence in said(report, section, language):
                assert sentence.endswith("。" if language == "zh-hans" else "."), sentence


def test_a_county_report_names_the_county(demo_snapshot):
    report = annual_report(year=2009, area=YANSHOU, snapshot=demo_snapshot)
    for language, name, province_words in (
        ("zh-hans", "延寿县", ("全省", "黑龙江")),
        ("en", "Yanshou County", ("Heilongjiang", "the province")),
    ):
        with translation.override(language):
            assert report.area_name() == name
            every = [s for section in SECTIONS for s in said(report, section, language)]
        assert any(name in s for s in every), language
        assert not any(word in s for s in every for word in province_words), language
        overview = " ".join(said(report, "overview", language))
        assert name in overview
    with translation.override("en"):
        # a key county says so; it does not count "1 key counties" or cities
        overview = " ".join(said(report, "overview", "en"))
        assert "Yanshou County is a national or provincial key county" in overview
        assert "prefecture-level" not in overview and "key counties" not in overview


def test_a_registry_only_database_gives_no_blank_sentence(settings, tmp_path, make_household, yanshou_village):
    """A new province: households only. Sections whose figures are all zero say so in one
    sentence naming the area; nothing is said with a blank, a dash or "None"."""
    settings.DATA_DIR = tmp_path
    make_household(yanshou_village, per_capita="800")
    for area in (PROVINCE, YANSHOU):
        report = annual_report(year=2009, area=area)
        for language in LANGUAGES:
            with translation.override(language):
                name = report.area_name()
                html = report.render_html(language)
                sections = {s["id"]: s for s in report.sections()}
            for key in SECTIONS:
                sentences = sections[key]["sentences"]
                for sentence in sentences:
                    assert sentence.strip() and "None" not in sentence and "—" not in sentence, sentence
                    assert "%(" not in sentence and "  " not in sentence, sentence
                if key != "overview":
                    assert sentences and len(sentences) == 1 and name in sentences[0], (key, sentences)
            # social assistance (issue 12) too: nothing recorded is said once, naming the area
            social = sections["social"]["sentences"]
            assert len(social) == 1 and name in social[0] and str(report.year) in social[0], social
            assert "None" not in html


def test_a_sentence_whose_figure_is_not_available_is_left_out(demo_snapshot):
    report = annual_report(year=2009, snapshot=demo_snapshot)
    missing = {"training.transfer.plan_completion", "industry.labor_absorbed", "mutual.avg_subsidy_per_village"}
    values = [v if v.indicator.id not in missing else type(v)(v.indicator, None, "x") for v in report.values]
    partial = Marked(report.year, report.area, report.snapshot, values)
    for language in LANGUAGES:
        text = " ".join(
            s for section in ("training", "industrialization", "mutual_funds") for s in said(partial, section, language)
        )
        assert not any(f"⟦{key}⟧" in text for key in missing)
        # the rest of those sentences is still said
        for key in ("training.transfer.transferred", "industry.enterprises_supported", "mutual.pilot_counties_new"):
            assert f"⟦{key}⟧" in text, key
