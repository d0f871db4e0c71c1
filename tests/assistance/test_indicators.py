"""The 12 indicators of the section ``social``, by the engine from a snapshot of records
written through the services (not the demo), against what those records say; the
section's sentences in both languages; and a database with a registry only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.report import fmt
from fupin.analytics.snapshot import take_snapshot
from fupin.assistance import services
from fupin.assistance.indicators import social_sentences
from fupin.geo.models import AdminArea
from fupin.training.models import Enrolment, TrainingClass
from tests.conftest import BAYAN, YANSHOU, _first_village

PROVINCE = "230000000000"
SOCIAL = [
    "social.funds_total",
    "social.funds_free",
    "social.funds_introduced",
    "social.cadres",
    "social.units_central",
    "social.units_provincial",
    "social.units_city_county",
    "social.projects",
    "social.villages_assisted",
    "social.farmers_trained",
    "social.students_aided",
    "social.households_driven",
]


def _values(tmp_path, area=PROVINCE, year=2009):
    snapshot = take_snapshot(as_of=dt.date(year, 12, 31), root=tmp_path)
    return {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=year, area=area))}


@pytest.fixture
def records(province_user, provincial_unit, city_unit, county_unit, yanshou_village, project, make_household):
    actor = province_user
    central = services.unit_create(actor=actor, code="ZY-1", name="中直单位", level="central", area_code=PROVINCE)
    bayan_village = _first_village(BAYAN)
    # pairings running in 2009: central with Bayan, provincial with Yanshou, the county organ with
    # a village, the city organ with the same village; one of 2010 only (not counted in 2009)
    services.pairing_create(actor=actor, unit=central, area_code=BAYAN, start_year=2008, end_year=2010)
    services.pairing_create(actor=actor, unit=provincial_unit, area_code=YANSHOU, start_year=2009)
    services.pairing_create(actor=actor, unit=county_unit, area_code=yanshou_village, start_year=2009)
    services.pairing_create(actor=actor, unit=city_unit, area_code=yanshou_village, start_year=2009)
    services.pairing_create(actor=actor, unit=provincial_unit, area_code=bayan_village, start_year=2010)
    # cadres: two in post in 2009, one who left in 2008 and one sent in 2010
    for name, start, end in (
        ("甲", "2008-03-01", None),
        ("乙", "2009-05-01", "2009-11-30"),
        ("丙", "2007-03-01", "2008-12-31"),
        ("丁", "2010-01-05", None),
    ):
        services.cadre_create(
            actor=actor,
            unit=county_unit,
            name=name,
            kind="team_member",
            place_code=yanshou_village,
            start_date=start,
            end_date=end,
        )
    # contributions of 2009: 1,000.50 + 250 as grants, 4,000 introduced; one of 2010 not counted
    for number, kind, value, date in (
        ("G1", "grant", "1000.50", "2009-03-01"),
        ("G2", "grant", "250", "2009-12-31"),
        ("I1", "investment", "4000", "2009-06-01"),
        ("G3", "grant", "999", "2010-01-02"),
    ):
        services.contribution_create(
            actor=actor,
            unit=provincial_unit,
            number=number,
            kind=kind,
            value=value,
            date=date,
            area_code=yanshou_village,
        )
    services.project_support(actor=actor, unit=county_unit, project=project, year=2009)
    services.project_support(actor=actor, unit=provincial_unit, project=project, year=2009)  # the same project
    # a class organised by the provincial organ: three enrolled, one dropped out
    household = make_household(yanshou_village, size=4)
    members = list(household.members.order_by("id"))
    klass = TrainingClass.objects.create(
        code="ZC-1",
        organiser="省财政厅",
        area=AdminArea.objects.get(code=yanshou_village),
        type="whole_village",
        subject="技术",
        start_date=dt.date(2009, 2, 1),
        end_date=dt.date(2009, 2, 5),
        hours=32,
    )
    for i, person in enumerate(members):
        Enrolment.objects.create(
            klass=klass, person=person, enrolled_on=dt.date(2009, 2, 1), status="dropped" if i == 3 else "enrolled"
        )
    services.class_organise(actor=actor, unit=provincial_unit, klass=klass)
    # students: two persons aided in 2009 (one by two units), one in 2008
    services.student_aid(actor=actor, unit=county_unit, year=2009, school="一中", amount="500", person=members[1])
    services.student_aid(actor=actor, unit=city_unit, year=2009, school="一中", amount="300", person=members[1])
    services.student_aid(actor=actor, unit=county_unit, year=2009, school="二中", amount="500", person=members[2])
    services.student_aid(actor=actor, unit=county_unit, year=2008, school="二中", amount="500", person=members[3])


def test_the_social_indicators_from_the_records(records, tmp_path):
    values = _values(tmp_path)
    assert values["social.funds_free"] == 1250.50
    assert values["social.funds_introduced"] == 4000
    assert values["social.funds_total"] == 5250.50
    assert values["social.cadres"] == 2
    assert values["social.units_central"] == 1
    assert values["social.units_provincial"] == 1
    assert values["social.units_city_county"] == 2
    assert values["social.projects"] == 1
    assert values["social.villages_assisted"] == 1
    assert values["social.farmers_trained"] == 3
    assert values["social.students_aided"] == 2
    assert values["social.households_driven"] == 0


def test_a_county_sees_its_own(records, tmp_path):
    yanshou = _values(tmp_path, area=YANSHOU)
    assert yanshou["social.units_central"] == 0 and yanshou["social.units_provincial"] == 1
    assert yanshou["social.funds_total"] == 5250.50
    bayan = _values(tmp_path / "b", area=BAYAN)
    assert bayan["social.units_central"] == 1 and bayan["social.funds_total"] == 0
    assert bayan["social.villages_assisted"] == 0


def test_the_year_after(records, tmp_path):
    later = _values(tmp_path, year=2010)
    assert later["social.funds_total"] == 999
    assert later["social.cadres"] == 2  # 甲 still in post, 丁 sent in 2010
    assert later["social.villages_assisted"] == 1  # the provincial organ's pairing of 2010 with a village of Bayan
    assert later["social.units_provincial"] == 1 and later["social.units_city_county"] == 0


def test_a_registry_without_assistance_gives_zeros(db, tmp_path, make_household, yanshou_village):
    make_household(yanshou_village)
    values = _values(tmp_path)
    assert {key: values[key] for key in SOCIAL} == dict.fromkeys(SOCIAL, 0)


class _Report:
    year = 2009

    def __init__(self, values):
        self.values = values

    def area_name(self):
        return "黑龙江省" if translation.get_language() == "zh-hans" else "Heilongjiang Province"

    def value(self, key):
        return self.values.get(key)

    def figure(self, key):
        return fmt(self.value(key))


SEED = {
    "social.funds_total": 217_000_000,
    "social.funds_free": 110_000_000,
    "social.funds_introduced": 107_000_000,
    "social.cadres": 2230,
    "social.units_central": 10,
    "social.units_provincial": 163,
    "social.units_city_county": 4714,
    "social.projects": 2400,
    "social.villages_assisted": 750,
    "social.farmers_trained": 150_000,
    "social.students_aided": 1600,
    "social.households_driven": 57_800,
    "industry.enterprises_supported": 17,
    "industry.income_increase_per_household": 5000,
}


def test_the_paragraph_in_english():
    with translation.override("en"):
        text = " ".join(social_sentences(_Report(SEED)))
    assert "Social poverty alleviation funds amounted to 217 million yuan" in text
    assert "110 million yuan was put in for free and 107 million yuan was introduced" in text
    assert "2,230 cadres from 10 central organs, 163 provincial organs and 4,714 city and county organs" in text
    assert "2,400 projects were built and 750 poor villages received assistance" in text
    assert "150,000 farmers received training and 1,600 poor students received financial aid" in text
    assert "17 leading enterprises" in text and "drove 57,800 households" in text
    assert "5,000 yuan per household" in text


def test_the_paragraph_in_chinese():
    with translation.override("zh-hans"):
        text = "".join(social_sentences(_Report(SEED)))
    assert "社会扶贫资金2.17亿元" in text
    assert "无偿投入1.1亿元" in text and "引进资金1.07亿元" in text
    assert "10个中直单位、163个省直单位和4714个市县单位的2230名干部" in text
    assert "建设项目2400个" in text and "帮扶贫困村750个" in text
    assert "培训农民150000人" in text and "资助贫困学生1600人" in text
    assert "带动57800户农户" in text


def test_sentences_without_figures_are_left_out():
    with translation.override("en"):
        assert social_sentences(_Report({})) == []
        only = social_sentences(_Report({"social.students_aided": 3}))
    assert len(only) == 1 and "3 poor students" in only[0]


def test_nothing_recorded_is_said_once_naming_the_area():
    zeros = {key: 0 for key in SEED if key.startswith("social.")}
    for language, words in (("en", "No social or pairing assistance is recorded"), ("zh-hans", "没有社会扶贫")):
        with translation.override(language):
            said = social_sentences(_Report(zeros))
            name = _Report(zeros).area_name()
        assert len(said) == 1 and words in said[0] and name in said[0] and "2009" in said[0], said
