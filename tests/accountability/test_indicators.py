"""The indicators of the section "measures" over the snapshot, and its sentences in both
languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fupin.accountability import services
from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate
from fupin.analytics.registry import SENTENCES
from fupin.analytics.report import annual_report
from fupin.analytics.snapshot import take_snapshot
from tests.accountability.conftest import HARBIN, PROVINCE, QIQIHAR, YILAN
from tests.conftest import YANSHOU

IDS = ["accountability.cities_assessing", "accountability.model_counties"]


def _model(actor, code, kind, year, area):
    services.model_save(
        actor=actor, code=code, kind=kind, year=year, title=code, case_zh="案例", case_en="Case", area_code=area
    )


@pytest.fixture
def recorded(province_user, yanshou_village):
    weights = {"poor.people": "1"}
    for area in (HARBIN, QIQIHAR, PROVINCE):  # the province's own assessment is no city's
        services.assessment_create(actor=province_user, area_code=area, year=2009, title="t", weights=weights)
    services.assessment_create(actor=province_user, area_code=HARBIN, year=2010, title="t", weights=weights)
    _model(province_user, "YL", "county", 2009, YILAN)
    _model(province_user, "YL-V", "village", 2009, yanshou_village)  # a village model is no county
    _model(province_user, "YS-2010", "county", 2010, YANSHOU)  # another year


def _values(snapshot, area=PROVINCE, year=2009):
    return {v.indicator.id: v.value for v in evaluate(Engine(snapshot).scope(year=year, area=area), ids=IDS)}


def test_the_figures(recorded, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2010, 12, 31), root=tmp_path)
    assert _values(snapshot) == {"accountability.cities_assessing": 2, "accountability.model_counties": 1}
    assert _values(snapshot, year=2010) == {"accountability.cities_assessing": 1, "accountability.model_counties": 1}
    # within Harbin: Harbin itself and Yilan; within a county, no city assesses
    assert _values(snapshot, area=HARBIN) == {"accountability.cities_assessing": 1, "accountability.model_counties": 1}
    assert _values(snapshot, area=YANSHOU) == {"accountability.cities_assessing": 0, "accountability.model_counties": 0}


def test_a_snapshot_leaves_out_later_years(recorded, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    assert _values(snapshot, year=2010) == {"accountability.cities_assessing": 0, "accountability.model_counties": 0}


def test_an_empty_database_gives_zero(db, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    assert _values(snapshot) == {"accountability.cities_assessing": 0, "accountability.model_counties": 0}


def test_the_sentences_in_both_languages(recorded, tmp_path):
    snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)
    report = annual_report(year=2009, snapshot=snapshot)
    with translation.override("zh-hans"):
        zh = " ".join(SENTENCES["measures"](report))
    with translation.override("en"):
        en = " ".join(SENTENCES["measures"](report))
    assert "2 cities included poverty alleviation" in en
    assert "1 county(ies) were fostered as models" in en
    assert "2个市" in zh and "目标考核" in zh
    assert "典型县1个" in zh
    # the section of the report carries them
    with translation.override("en"):
        section = next(s for s in report.sections() if s["id"] == "measures")
    assert any("2 cities" in s for s in section["sentences"])
