"""The programs' and the funds' field rules on every channel: records that contradict
their own context (outside their project's years, a disbursement before its allocation,
labour of nobody, overlapping batches), implausible dates and overlong notes are refused
by the service, the API and the import, naming record and field, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fupin.core.errors import InvalidInput
from fupin.funds import services as funds
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from fupin.programs.models import Batch, Project
from tests.exchange.test_programs import LEDGER, OUTPUTS, PROVINCE, refused, state, write
from tests.exchange.test_programs import world as world
from tests.testing import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_outputs_beneficiaries_and_labour_outside_the_projects_years_are_refused(world, province_user, tmp_path):
    road = world["road"]  # 2009 only
    before = state()
    for call in (
        lambda: programs.output_record(actor=province_user, project=road, kind_code="road", year=2010, quantity="1"),
        lambda: programs.beneficiaries_add(
            actor=province_user, project=road, households=[world["household"]], year=2012
        ),
        lambda: programs.labour_record(actor=province_user, project=road, year=2008, persons=3, person_days=9),
    ):
        with pytest.raises(InvalidInput) as exc:
            call()
        assert (exc.value.field, exc.value.record) == ("year", road.code)
    response = api(province_user).post(
        "/api/labour-inputs/", {"project": road.code, "year": 2011, "persons": 3, "person_days": 9}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "year"
    assert state() == before
    refused(write(tmp_path / "o", "outputs.csv", OUTPUTS + "YS-2009-001,road,2010,2,km\n"), "outputs.csv:2:year:")
    refused(
        write(
            tmp_path / "b", "beneficiaries.csv", f"project,household,year\nYS-2009-001,{world['household'].code},2012\n"
        ),
        "beneficiaries.csv:2:year:",
    )
    refused(
        write(tmp_path / "l", "labour_inputs.csv", "project,year,persons,person_days\nYS-2009-001,2008,3,9\n"),
        "labour_inputs.csv:2:year:",
    )


def test_labour_of_nobody_is_refused(world, province_user, tmp_path):
    road = world["road"]
    before = state()
    with pytest.raises(InvalidInput) as exc:
        programs.labour_record(actor=province_user, project=road, year=2009, persons=0, person_days=0)
    assert (exc.value.field, exc.value.record) == ("persons", road.code)
    response = api(province_user).post(
        "/api/labour-inputs/", {"project": road.code, "year": 2009, "persons": 0, "person_days": 0}, format="json"
    )
    assert response.status_code == 400 and "persons" in response.content.decode()
    assert state() == before
    refused(
        write(tmp_path, "labour_inputs.csv", "project,year,persons,person_days\nYS-2009-001,2009,0,0\n"),
        "labour_inputs.csv:2:persons:",
    )


def test_batches_whose_years_overlap_are_refused(world, province_user, tmp_path):
    before = state(), Batch.objects.count()
    with pytest.raises(InvalidInput) as exc:
        programs.batch_create(actor=province_user, number=5, name="第五批", start_year=2009, end_year=2010)
    assert exc.value.field == "start_year" and "5" in exc.value.record
    response = api(province_user).post(
        "/api/batches/", {"number": 5, "name": "第五批", "start_year": 2007, "end_year": 2008}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "start_year"
    assert (state(), Batch.objects.count()) == before
    refused(
        write(tmp_path / "a", "batches.csv", "number,name,start_year,end_year\n5,第五批,2009,2010\n"),
        "batches.csv:2:start_year:",
    )
    # two new batches of the package that overlap each other
    refused(
        write(tmp_path / "b", "batches.csv", "number,name,start_year,end_year\n6,六,2012,2013\n7,七,2013,2014\n"),
        "batches.csv:2:start_year:",
    )
    programs.batch_create(actor=province_user, number=5, name="第五批", start_year=2010, end_year=2011)


def test_a_megabyte_note_is_refused(world, province_user, tmp_path):
    road = world["road"]
    note = "长" * (2000 + 1)
    with pytest.raises(InvalidInput) as exc:
        programs.project_update(actor=province_user, project=road, changes={"note": note})
    assert (exc.value.field, exc.value.record) == ("note", road.code)
    response = api(province_user).patch(f"/api/projects/{road.code}/", {"note": "x" * 1_000_000}, format="json")
    assert response.status_code == 400 and "note" in response.content.decode()
    road.refresh_from_db()
    assert road.note == "=SUM(1)"
    text = (
        "code,name,program,category,area,plan,zone,start_year,end_year,status,budget,note\n"
        f"YS-2009-009,x,village_advancement,infrastructure,{road.area.code},,,2009,2009,,0,{'x' * 1_000_000}\n"
    )
    refused(write(tmp_path, "projects.csv", text), "projects.csv:2:note:")
    assert not Project.objects.filter(code="YS-2009-009").exists()


@pytest.mark.parametrize(
    ("year", "on"),
    [
        (2009, dt.date(9999, 12, 31)),
        (2009, dt.date(1, 1, 1)),
        (2100, dt.date(1980, 1, 1)),
        (2009, dt.date(2007, 12, 31)),
    ],
)
def test_implausible_fund_entry_dates_are_refused(world, province_user, tmp_path, year, on):
    province = AdminArea.objects.get(code=PROVINCE)
    before = state()
    with pytest.raises(InvalidInput) as exc:
        funds.appropriate(actor=province_user, area=province, source="central", year=year, amount="5", on=on)
    assert exc.value.field == "date"
    response = api(province_user).post(
        "/api/fund-entries/appropriate/",
        {"area": PROVINCE, "source": "central", "year": year, "amount": "5", "date": on.isoformat()},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "date"
    assert state() == before
    row = f"N1,appropriation,central,{year},{on:%Y-%m-%d},5,{PROVINCE},,,"
    if on.year < 1000:
        row = f"N1,appropriation,central,{year},0001-01-01,5,{PROVINCE},,,"
    refused(write(tmp_path, "fund_entries.csv", LEDGER + row + "\n"), "fund_entries.csv:2:date:")


def test_a_disbursement_dated_before_its_allocation_is_refused(world, province_user, tmp_path):
    road = world["road"]  # allocated central 2009 funds on 2009-03-01
    before = state()
    with pytest.raises(InvalidInput) as exc:
        funds.disburse(
            actor=province_user, project=road, source="central", year=2009, amount="10", on=dt.date(2009, 2, 1)
        )
    assert (exc.value.field, exc.value.record is not None) == ("date", True)
    response = api(province_user).post(
        "/api/fund-entries/disburse/",
        {"project": road.code, "source": "central", "year": 2009, "amount": "10", "date": "2009-02-01"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "date"
    assert state() == before
    row = f"N1,disbursement,central,2009,2009-02-01,10,{road.area.code},,{road.code},"
    refused(write(tmp_path, "fund_entries.csv", LEDGER + row + "\n"), "fund_entries.csv:2:date:")
    funds.disburse(actor=province_user, project=road, source="central", year=2009, amount="10", on=dt.date(2009, 3, 1))
