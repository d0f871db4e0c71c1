"""The accountability files of the exchange package: an export imports back unchanged,
an import is all-or-nothing, and a city office imports only within its city."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from django.utils import translation

from fupin.accountability import services
from fupin.accountability.models import (
    Assessment,
    PromotionMeeting,
    ResponsibilityAssignment,
    Target,
    TypicalModel,
)
from fupin.exchange.exporter import export_package
from fupin.exchange.importer import apply_import, plan_import
from fupin.exchange.reader import read_package
from tests.accountability.conftest import HARBIN, YILAN
from tests.conftest import QIQIHAR_TAILAI, YANSHOU

HEADERS = {
    "accountability_targets": "year,area,department,indicator,value,actual",
    "accountability_assessments": "area,year,title,weights",
    "accountability_models": "code,kind,year,area,household,enterprise,title,case_zh,case_en,figures",
    "accountability_meetings": "date,area,title,participants",
    "accountability_assignments": "area,year,leader_name,leader_post,units,tasks",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (folder / f"{name}.csv").write_text("\n".join([HEADERS[name], *rows]) + "\n", encoding="utf-8")
    return read_package(folder)


def _good() -> dict[str, list[str]]:
    return {
        "accountability_targets": [
            f"2009,{YANSHOU},,industry.enterprises_new,3,",
            f"2009,{HARBIN},市财政局,evap.funds.integrated_total,1000000,950000.5",
        ],
        "accountability_assessments": [
            f"{HARBIN},2009,哈尔滨市考核,industry.enterprises_new=60;evap.funds.integrated_total=40"
        ],
        "accountability_models": [
            f"TM-YL,county,2009,{YILAN},,,依兰县,依兰县集中财力,Yilan concentrated funds,villages=20;funds=2.5"
        ],
        "accountability_meetings": [f"2009-09-15,{YILAN},现场推进会,200"],
        "accountability_assignments": [f"{YANSHOU},2009,县长,县长,县扶贫办;县财政局,完成整村推进"],
    }


def test_import_then_export_round_trips(tmp_path, province_user):
    plan = plan_import(_write(tmp_path / "in", _good()), user=province_user)
    assert not plan.errors, plan.errors
    apply_import(plan, user=province_user)
    assert Target.objects.count() == 2
    department = Target.objects.get(department__isnull=False)
    assert department.actual == Decimal("950000.5") and department.department.city.code == HARBIN
    assessment = Assessment.objects.get()
    assert {w.indicator: w.weight for w in assessment.weights.all()} == {
        "industry.enterprises_new": Decimal("60"),
        "evap.funds.integrated_total": Decimal("40"),
    }
    model = TypicalModel.objects.get()
    assert model.case_en == "Yilan concentrated funds" and model.figures.count() == 2
    assert PromotionMeeting.objects.get().participants == 200
    assert ResponsibilityAssignment.objects.get().unit_list == ["县扶贫办", "县财政局"]
    # the export imports back with nothing to change
    out = tmp_path / "out"
    export_package(out, user=province_user)
    again = plan_import(read_package(out), user=province_user)
    assert not again.errors, again.errors
    for name in HEADERS:
        changes = again.changes[name]
        assert changes.new.height == 0 and changes.changed.height == 0, name


def test_one_bad_row_imports_nothing(tmp_path, province_user):
    files = _good()
    files["accountability_targets"].append(f"2009,{YANSHOU},,not.an.indicator,3,")
    plan = plan_import(_write(tmp_path / "in", files), user=province_user)
    assert [(e.column, e.line) for e in plan.errors] == [("indicator", 4)]
    assert "not.an.indicator" in plan.errors[0].reason
    assert not Target.objects.exists() and not Assessment.objects.exists()


def test_a_city_imports_only_within_its_city(tmp_path, harbin_user):
    files = {"accountability_targets": [f"2009,{QIQIHAR_TAILAI},,poor.people,3,"]}
    plan = plan_import(_write(tmp_path / "in", files), user=harbin_user)
    assert [e.column for e in plan.errors] == ["area"]
    assert not Target.objects.exists()


def test_a_county_office_may_not_import_targets(tmp_path, county_user):
    files = {"accountability_targets": [f"2009,{YANSHOU},,poor.people,3,"]}
    plan = plan_import(_write(tmp_path / "in", files), user=county_user)
    assert plan.errors
    assert not Target.objects.exists()


def test_the_service_and_the_import_store_the_same(tmp_path, province_user):
    services.target_set(actor=province_user, year=2009, indicator="poor.people", value="7", area_code=YANSHOU)
    out = tmp_path / "out"
    export_package(out, user=province_user)
    text = (out / "accountability_targets.csv").read_text(encoding="utf-8")
    row = next(csv.reader(text.lstrip("\ufeff").splitlines()[1:]))
    assert row[:4] == ["2009", YANSHOU, "", "poor.people"]
    assert Decimal(row[4]) == Decimal("7") and row[5] == ""
