"""The programs' files and the funds ledger in the exchange format: a world built through
the services exports, imports into an empty database and exports again to the same files;
importing it again changes nothing; every rule is refused with ``file:line:column`` and
nothing changes; the ledger only grows, and never beyond what was received."""

from __future__ import annotations

import datetime as dt
import filecmp
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from django.utils import translation

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.exchange import schema
from fupin.exchange.exporter import export_frames, export_package, write_package
from fupin.exchange.importer import import_package
from fupin.funds import services as funds
from fupin.funds.models import Account, Entry
from fupin.funds.services import check_accounts
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.programs.models import (
    Beneficiary,
    ContiguousZone,
    LabourInput,
    Project,
    ProjectOutput,
    VillagePlan,
)
from tests.conftest import BAYAN, YANSHOU
from tests.exchange.test_roundtrip import PROGRAMS, empty_registry

PROVINCE = "230000000000"
FILES = ["batches", "village_plans", "zones", "projects", "outputs", "beneficiaries", "labour_inputs", "fund_entries"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def state() -> tuple:
    """Every row the programs' files write, the accounts' balances and the audit trail."""
    balances = tuple(Account.objects.order_by("pk").values_list("received", "allocated", "disbursed"))
    return (*(m.objects.count() for m in PROGRAMS), balances, AuditEvent.objects.count())


@pytest.fixture
def world(db, province_user, make_household, yanshou_village):
    """A batch, an accepted village plan, a zone, two projects with outputs, a beneficiary,
    labour, and a ledger of appropriations, allocations, a disbursement and a reversal."""
    actor = province_user
    batch = programs.batch_create(actor=actor, number=4, name="第四批整村推进", start_year=2008, end_year=2009)
    plan = programs.plan_create(actor=actor, batch=batch, village_code=yanshou_village, planned_investment="860000")
    programs.plan_start(actor=actor, plan=plan, on=dt.date(2008, 4, 1))
    programs.plan_checklist_set(actor=actor, plan=plan, items=dict.fromkeys(CHECKLIST_FIELDS, True))
    programs.plan_accept(actor=actor, plan=plan, on=dt.date(2009, 10, 20), officials="县扶贫办验收组")
    zone = programs.zone_create(
        actor=actor, code="LP-YS", name="延寿连片开发区", county_codes=[YANSHOU, BAYAN], start_year=2010
    )
    road = programs.project_create(
        actor=actor,
        data=programs.ProjectData(
            code="YS-2009-001",
            name="修建村屯道路",
            program="village_advancement",
            category="infrastructure",
            area_code=yanshou_village,
            start_year=2009,
            end_year=2009,
            budget="350000",
            plan=plan,
            status="completed",
            note="=SUM(1)",
        ),
    )
    cattle = programs.project_create(
        actor=actor,
        data=programs.ProjectData(
            code="LP-2010-001",
            name="肉牛养殖",
            program="contiguous",
            category="industry",
            area_code=YANSHOU,
            start_year=2010,
            end_year=2011,
            zone=zone,
        ),
    )
    programs.output_record(actor=actor, project=road, kind_code="road", year=2009, quantity="3.5", unit="km")
    programs.output_record(actor=actor, project=cattle, kind_code="beef_cattle", year=2010, quantity="40")
    household = make_household(yanshou_village, size=2)
    programs.beneficiaries_add(actor=actor, project=road, households=[household], year=2009)
    programs.labour_record(actor=actor, project=road, year=2009, persons=120, person_days=1800)
    province, county = AdminArea.objects.get(code=PROVINCE), AdminArea.objects.get(code=YANSHOU)
    on = dt.date(2009, 3, 1)
    funds.appropriate(actor=actor, area=province, source="central", year=2009, amount="1000000", on=on, document="D1")
    funds.allocate(actor=actor, from_area=province, to_area=county, source="central", year=2009, amount="600000", on=on)
    funds.allocate(actor=actor, from_area=county, project=road, source="central", year=2009, amount="300000", on=on)
    funds.disburse(actor=actor, project=road, source="central", year=2009, amount="250000", on=dt.date(2009, 6, 1))
    wrong = funds.allocate(
        actor=actor, from_area=county, project=cattle, source="central", year=2009, amount="50000", on=on
    )
    funds.reverse(actor=actor, entry=wrong, reason="wrong project", on=dt.date(2009, 3, 2))
    funds.appropriate(actor=actor, area=county, source="county", year=2010, amount="80000", on=dt.date(2010, 1, 5))
    assert check_accounts() == []
    return {"plan": plan, "road": road, "cattle": cattle, "household": household, "zone": zone}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def errors_of(path: Path, **kw) -> list[str]:
    plan, result = import_package(path, **kw)
    assert result is None
    return [str(e) for e in plan.errors]


def refused(path: Path, expected: str, **kw) -> list[str]:
    """The package is refused with an error starting with ``expected``, and nothing changed."""
    before = state()
    errors = errors_of(path, **kw)
    assert any(e.startswith(expected) for e in errors), errors
    assert state() == before
    return errors


# --- round trip ----------------------------------------------------------------------------------


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_files(world, tmp_path):
    first = export_package(tmp_path / "first")
    for name in FILES:
        assert first[name] > 0, name
    assert (tmp_path / "first" / "zones.csv").read_text(encoding="utf-8-sig").count(f"{BAYAN};{YANSHOU}") == 1
    ledger = pl.read_csv(tmp_path / "first" / "fund_entries.csv", infer_schema=False)
    assert ledger.filter(pl.col("reverses").fill_null("") != "").height == 1
    assert sorted(ledger["amount"].to_list()).count("-50000.00") == 1
    counts = {m: m.objects.count() for m in PROGRAMS}

    empty_registry()
    assert not Entry.objects.exists() and not Project.objects.exists()
    plan, result = import_package(tmp_path / "first")
    assert plan.errors == [] and result["changed"]
    assert {m: m.objects.count() for m in PROGRAMS} == counts
    assert check_accounts() == []
    accepted = VillagePlan.objects.get()
    assert accepted.status == "accepted" and accepted.checklist_done() == len(CHECKLIST_FIELDS)
    assert sorted(ContiguousZone.objects.get().counties.values_list("code", flat=True)) == [BAYAN, YANSHOU]
    reversal = Entry.objects.get(amount__lt=0)
    assert reversal.reverses is not None and reversal.reverses.amount == Decimal("50000")

    second = export_package(tmp_path / "second")
    assert second == first
    for name in first:
        assert filecmp.cmp(tmp_path / "first" / f"{name}.csv", tmp_path / "second" / f"{name}.csv", shallow=False), name


def test_importing_an_export_again_changes_nothing(world, tmp_path):
    export_package(tmp_path / "p.zip")
    export_package(tmp_path / "p.xlsx")
    before = state()
    for package in ("p.zip", "p.xlsx"):
        plan, result = import_package(tmp_path / package)
        assert plan.errors == [], plan.errors[:5]
        assert result == {"counts": plan.counts(), "changed": False}
        for name in FILES:
            assert plan.counts()[name]["created"] == plan.counts()[name]["updated"] == 0, name
    assert state() == before


def test_a_county_users_export_of_the_programs_comes_back_unchanged(world, tmp_path, county_user):
    export_package(tmp_path / "mine", user=county_user, entities=FILES)
    entries = (tmp_path / "mine" / "fund_entries.csv").read_text(encoding="utf-8-sig")
    assert PROVINCE not in entries.split("\n", 1)[1].split(",")[6]  # the province's entries are not the county's
    plan, result = import_package(tmp_path / "mine", user=county_user)
    assert plan.errors == [] and result == {"counts": plan.counts(), "changed": False}


def test_a_ledger_and_programs_written_by_hand_import(db, tmp_path, yanshou_village, make_household):
    household = make_household(yanshou_village)
    folder = tmp_path / "p"
    write(folder, "batches.csv", "number,name,start_year,end_year\n5,第五批,2010,2011\n")
    write(folder, "village_plans.csv", f"village,batch,status,started_on\n{yanshou_village},5,in_progress,2010-04-01\n")
    write(
        folder,
        "projects.csv",
        "code,name,program,category,area,plan,start_year,end_year,budget\n"
        f"P1,道路,village_advancement,infrastructure,{yanshou_village},{yanshou_village},2010,2010,1000\n",
    )
    write(folder, "outputs.csv", "project,kind,year,quantity,unit\nP1,road,2010,1.25,km\n")
    write(folder, "beneficiaries.csv", f"project,household,year\nP1,{household.code},2010\n")
    write(folder, "labour_inputs.csv", "project,year,persons,person_days\nP1,2010,10,30\n")
    write(
        folder,
        "fund_entries.csv",
        "number,kind,source,year,date,amount,area,to_area,project,reverses\n"
        f"F4,disbursement,central,2010,2010-06-01,400,{yanshou_village},,P1,\n"
        f"F1,appropriation,central,2010,2010-03-01,1000,{PROVINCE},,,\n"
        f"F2,allocation,central,2010,2010-03-02,1000,{PROVINCE},{YANSHOU},,\n"
        f"F3,allocation,central,2010,2010-03-03,600,{YANSHOU},,P1,\n"
        f"F5,disbursement,central,2010,2010-06-02,100,{yanshou_village},,P1,\n"
        f"F6,disbursement,central,2010,2010-06-03,-100,{yanshou_village},,P1,F5\n",
    )
    plan, result = import_package(folder)
    assert plan.errors == [] and result["changed"]
    assert check_accounts() == []
    project = Project.objects.get(code="P1")
    assert project.plan.village.code == yanshou_village and project.status == "planned"
    assert ProjectOutput.objects.get().quantity == Decimal("1.250")
    assert Beneficiary.objects.get().household == household
    assert LabourInput.objects.get().person_days == 30
    account = Account.objects.get(project=project)
    assert (account.received, account.disbursed) == (Decimal("600"), Decimal("400"))
    assert Entry.objects.get(number="F6").reverses.number == "F5"
    again = state()
    plan, result = import_package(folder)
    assert plan.errors == [] and result["changed"] is False and state() == again


def test_an_entry_posted_in_fupin_is_reversed_by_an_import(world, tmp_path):
    disbursement = Entry.objects.get(kind="disbursement")
    assert disbursement.number.startswith("FE")
    write(
        tmp_path,
        "fund_entries.csv",
        "number,kind,source,year,date,amount,area,to_area,project,reverses,note\n"
        f"R1,disbursement,central,2009,2009-07-01,-250000.00,{world['road'].area.code},,YS-2009-001,"
        f"{disbursement.number},paid twice\n",
    )
    plan, result = import_package(tmp_path)
    assert plan.errors == [] and result["changed"]
    assert Account.objects.get(project=world["road"], source="central", year=2009).disbursed == 0
    assert check_accounts() == []


# --- refusals ----------------------------------------------------------------------------------------

OUTPUTS = "project,kind,year,quantity,unit\n"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("YS-2009-001,road,2010,2,furlong", "outputs.csv:2:unit: unknown code “furlong”"),
        ("YS-2009-001,road,2010,2,head", "outputs.csv:2:unit: “修建道路” is counted in km, not head."),
        ("YS-2009-001,road,2010,,km", "outputs.csv:2:quantity: a value is required"),
        ("YS-2009-001,road,2010,-2,km", "outputs.csv:2:quantity: must be zero or more"),
        ("YS-2009-001,road,2010,1.2345,km", "outputs.csv:2:quantity: “1.2345” is not a number with at most 3"),
        ("YS-2009-001,unicorns,2010,2,head", "outputs.csv:2:kind: “unicorns” is not in the output catalogue"),
        ("NOPE,road,2010,2,km", "outputs.csv:2:project: project “NOPE” is neither in the package nor"),
    ],
)
def test_bad_outputs_are_refused(world, tmp_path, row, expected):
    refused(write(tmp_path, "outputs.csv", OUTPUTS + row + "\n"), expected)


def test_a_beneficiary_outside_the_projects_area_is_refused(world, tmp_path, make_household, bayan_village):
    elsewhere = make_household(bayan_village)
    write(tmp_path, "beneficiaries.csv", f"project,household,year\nYS-2009-001,{elsewhere.code},2009\n")
    refused(
        tmp_path,
        f"beneficiaries.csv:2:household: Household {elsewhere.code} lives in {bayan_village}, "
        "outside the project's area",
    )


def test_a_beneficiary_from_the_same_package_is_checked_too(world, tmp_path, bayan_village):
    code = f"{bayan_village}9001"
    write(tmp_path, "households.csv", f"code,village,status\n{code},{bayan_village},non_poor\n")
    write(tmp_path, "members.csv", "id_number,household,name,relation,education,labour\n")
    write(tmp_path, "beneficiaries.csv", f"project,household,year\nYS-2009-001,{code},2009\n")
    refused(tmp_path, f"beneficiaries.csv:2:household: Household {code} lives in {bayan_village}")


LEDGER = "number,kind,source,year,date,amount,area,to_area,project,reverses\n"


def test_an_over_disbursing_fund_entries_file_is_refused(world, tmp_path):
    # the road project received 300,000 and disbursed 250,000: 50,000 are left
    village = world["road"].area.code
    write(
        tmp_path,
        "fund_entries.csv",
        LEDGER
        + f"N1,disbursement,central,2009,2009-08-01,30000,{village},,YS-2009-001,\n"
        + f"N2,disbursement,central,2009,2009-09-01,30000,{village},,YS-2009-001,\n",
    )
    errors = refused(
        tmp_path,
        "fund_entries.csv:3:amount: Disbursement beyond what was allocated to the project: 30,000.00 yuan asked, "
        "20,000.00 yuan available.",
    )
    assert len(errors) == 1


def test_allocating_more_than_an_area_received_is_refused(world, tmp_path):
    write(
        tmp_path,
        "fund_entries.csv",
        LEDGER + f"N1,allocation,central,2009,2009-08-01,400000.01,{PROVINCE},{YANSHOU},,\n",
    )
    refused(
        tmp_path,
        "fund_entries.csv:2:amount: Allocation beyond what the area received and has not allocated: 400,000.01 yuan "
        "asked, 400,000.00 yuan available.",
    )


def test_reversing_an_allocation_the_receiver_has_spent_is_refused(world, tmp_path):
    allocation = Entry.objects.get(kind="allocation", project=world["road"])
    write(
        tmp_path,
        "fund_entries.csv",
        LEDGER + f"N1,allocation,central,2009,2009-08-01,-300000.00,{YANSHOU},,YS-2009-001,{allocation.number}\n",
    )
    refused(
        tmp_path,
        "fund_entries.csv:2:amount: The receiver has already allocated or disbursed these funds: 300,000.00 yuan "
        "asked, 50,000.00 yuan available.",
    )


def test_a_ledger_entry_is_never_changed_by_an_import(world, tmp_path):
    frames = export_frames(entities=["fund_entries"])
    ledger = frames["fund_entries"]
    line = ledger.with_row_index().filter(pl.col("kind") == "disbursement")["index"][0] + 2
    frames["fund_entries"] = ledger.with_columns(
        pl.when(pl.col("kind") == "disbursement").then(pl.lit("240000.00")).otherwise("amount").alias("amount")
    )
    write_package(frames, tmp_path / "p")
    refused(tmp_path / "p", f"fund_entries.csv:{line}:amount: entry FE")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (f"N1,appropriation,central,2009,2009-01-01,0,{PROVINCE},,,", "2:amount: An amount greater than zero."),
        (f"N1,appropriation,central,2009,2009-01-01,-5,{PROVINCE},,,", "2:amount: An amount greater than zero."),
        (f"N1,appropriation,central,2009,2009-01-01,5,{PROVINCE}000,,,", "2:area: “230000000000000” is not a 12-digit"),
        (f"N1,appropriation,central,2009,2009-01-01,5,{PROVINCE},{YANSHOU},,", "2:to_area: an appropriation reaches"),
        (
            f"N1,allocation,central,2009,2009-01-01,5,{YANSHOU},{PROVINCE},,",
            f"2:to_area: {PROVINCE} is not an area below",
        ),
        (
            f"N1,allocation,central,2009,2009-01-01,5,{BAYAN},,YS-2009-001,",
            f"2:project: Project YS-2009-001 is not in {BAYAN}.",
        ),
        (f"N1,allocation,central,2009,2009-01-01,5,{YANSHOU},,,", "2:to_area: Allocate to an area or to a project."),
        (f"N1,disbursement,central,2009,2009-01-01,5,{YANSHOU},,YS-2009-001,", "2:area: a disbursement's area is"),
        (f"N1,disbursement,central,2009,2009-01-01,5,{YANSHOU},,,", "2:project: a disbursement is made by a project"),
        (f"N1,allocation,gold,2009,2009-01-01,5,{PROVINCE},{YANSHOU},,", "2:source: unknown code “gold”"),
        (f"N1,allocation,central,2009,2009-01-01,-5,{PROVINCE},{YANSHOU},,NOPE", "2:reverses: entry “NOPE” is neither"),
        (f"N1,allocation,central,2009,2009-01-01,1e3,{PROVINCE},{YANSHOU},,", "2:amount: “1e3” is not a number"),
        (f"N1,allocation,central,2009,2009-01-01,123456789012345,{PROVINCE},{YANSHOU},,", "2:amount: too large"),
    ],
)
def test_bad_fund_entries_are_refused(world, tmp_path, row, expected):
    refused(write(tmp_path, "fund_entries.csv", LEDGER + row + "\n"), "fund_entries.csv:" + expected)


def test_a_reversal_must_mirror_its_entry_and_come_once(world, tmp_path):
    allocation = Entry.objects.get(kind="allocation", to_area__code=YANSHOU)
    reversed_already = Entry.objects.get(amount__lt=0).reverses
    rows = [
        f"N1,allocation,central,2009,2009-03-05,-1.00,{PROVINCE},{YANSHOU},,{allocation.number}",
        f"N2,allocation,provincial,2009,2009-03-05,-600000.00,{PROVINCE},{YANSHOU},,{allocation.number}",
        f"N3,allocation,central,2009,2009-02-01,-600000.00,{PROVINCE},{YANSHOU},,{allocation.number}",
        f"N4,allocation,central,2009,2009-03-05,-50000.00,{YANSHOU},,LP-2010-001,{reversed_already.number}",
        f"N5,allocation,central,2009,2009-03-05,50000.00,{YANSHOU},,LP-2010-001,",
        "N6,allocation,central,2009,2009-03-06,-50000.00,230129000000,,LP-2010-001,N5",
        "N7,allocation,central,2009,2009-03-06,-50000.00,230129000000,,LP-2010-001,N5",
        "N8,allocation,central,2009,2009-03-06,50000.00,230129000000,,LP-2010-001,N6",
    ]
    write(tmp_path, "fund_entries.csv", LEDGER + "\n".join(rows) + "\n")
    errors = errors_of(tmp_path)
    for expected in (
        "fund_entries.csv:2:amount: a reversal's amount is the opposite of the reversed entry's: -600000.00",
        "fund_entries.csv:3:source: a reversal repeats the entry it reverses, which has “central” here",
        "fund_entries.csv:4:date: a reversal cannot come before the entry it reverses (2009-03-01)",
        f"fund_entries.csv:5:reverses: Entry {reversed_already.number} has already been reversed by entry",
        "fund_entries.csv:8:reverses: entry N5 is reversed twice in the package: first on line 7",
        "fund_entries.csv:9:reverses: A reversing entry cannot itself be reversed.",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)


def test_village_plan_rules(world, tmp_path, yanshou_village, bayan_village):
    header = "village,batch,status,started_on,accepted_on,accepted_by," + ",".join(CHECKLIST_FIELDS) + "\n"
    ticks = ",".join(["1"] * 9 + ["0"])
    rows = [
        f"{bayan_village},4,accepted,2009-01-01,2009-10-01,组,{ticks}",
        f"{bayan_village[:-1]}8,9,planned,,,,{ticks}",
        f"{yanshou_village},4,in_progress,2008-04-01,,,{ticks}",
    ]
    write(tmp_path, "village_plans.csv", header + "\n".join(rows) + "\n")
    errors = errors_of(tmp_path)
    for expected in (
        "village_plans.csv:2:check_democracy: The acceptance checklist is not complete: ",
        "village_plans.csv:3:batch: batch 9 is neither in the package nor in the database",
        "village_plans.csv:4:status: the plan is “accepted” in the database: its status does not go back",
        "village_plans.csv:4:accepted_on: the plan was accepted on 2009-10-20",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)


def test_project_rules(world, tmp_path, yanshou_village, bayan_village):
    header = "code,name,program,category,area,plan,zone,start_year,end_year\n"
    rows = [
        f"YS-2009-001,修建村屯道路,industry,infrastructure,{yanshou_village},{yanshou_village},,2009,2009",
        f"N1,x,industry,industry,{yanshou_village},{yanshou_village},,2009,2009",
        "N2,x,contiguous,industry,230183000000,,LP-YS,2010,2010",
        f"N3,x,contiguous,industry,{bayan_village},,NOZONE,2010,2009",
    ]
    write(tmp_path, "projects.csv", header + "\n".join(rows) + "\n")
    errors = errors_of(tmp_path)
    for expected in (
        "projects.csv:2:program: cannot be changed by an import: it is “village_advancement” in the database",
        "projects.csv:3:program: A village plan's projects belong to entire village advancement.",
        f"projects.csv:4:area: A zone's project is in one of its counties ({BAYAN}, {YANSHOU}).",
        "projects.csv:5:zone: zone “NOZONE” is neither in the package nor in the database",
        "projects.csv:5:end_year: The last year comes before the first.",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)


def test_scope_and_role_apply_to_the_programs(world, tmp_path, make_user, bayan_village):
    county = make_user(Role.COUNTY, (YANSHOU,))
    write(
        tmp_path / "a",
        "projects.csv",
        f"code,name,program,category,area,start_year,end_year\nN1,x,industry,industry,{bayan_village},2010,2010\n",
    )
    refused(
        tmp_path / "a", "projects.csv:2:area: This record is outside the areas you are responsible for.", user=county
    )
    village_clerk = make_user(Role.VILLAGE, (world["road"].area.code,))
    write(tmp_path / "b", "labour_inputs.csv", "project,year,persons,person_days\nYS-2009-001,2010,1,1\n")
    refused(tmp_path / "b", "labour_inputs.csv:2: your role may not change these records", user=village_clerk)
    township = make_user(Role.TOWNSHIP, (YANSHOU,))
    write(tmp_path / "c", "fund_entries.csv", LEDGER + f"N1,appropriation,county,2011,2011-01-01,5,{YANSHOU},,,\n")
    refused(tmp_path / "c", "fund_entries.csv:2:kind: your role may record disbursements only", user=township)
    write(tmp_path / "d", "zones.csv", f"code,name,counties,start_year\nZ2,z,{YANSHOU},2011\n")
    refused(tmp_path / "d", "zones.csv:2: your role may not change these records", user=county)


def test_zone_counties_must_be_counties_and_keep_their_projects(world, tmp_path, yanshou_village):
    write(
        tmp_path,
        "zones.csv",
        f"code,name,counties,start_year\nLP-YS,延寿连片开发区,{BAYAN},2010\nZ2,z,{yanshou_village};{YANSHOU},2011\n",
    )
    errors = errors_of(tmp_path)
    assert (
        "zones.csv:2:counties: project LP-2010-001 of this zone lies in 230129000000, outside these counties" in errors
    )
    assert f"zones.csv:3:counties: Area “{yanshou_village}” is a village, not a county." in errors


def test_the_schema_lists_every_file():
    names = list(schema.ENTITIES)
    start = names.index(FILES[0])  # after the registry's files, before later apps' files
    assert names[start : start + len(FILES)] == FILES
    assert start > names.index("members")
