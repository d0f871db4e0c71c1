"""Parity of the programs' services and their import: every refusal of
``programs.services`` fed through the importer (``plan_import`` of a package written
here) gives the same field and the same reason, since both apply the rule of
``programs.rules``.

The services' refusals, and where each is checked here:

- ``batch_create``: years out of order, overlapping another batch (here); a year outside
  Fupin's range, no name, a note too long (the column checks of the exchange framework:
  the same field, the framework's wording; ``test_framework_checks_blame_the_same_field``);
  the province's role (the entity's role); a batch number that exists (an import updates it).
- ``plan_create``: an unknown area, an area that is not a village, outside the user's
  areas (here); a planned investment that is not an amount (framework); a village that
  already has a plan (an import updates the plan; moving it to another batch is refused).
- ``plan_accept``: the checklist incomplete, no officials, acceptance before the start
  (here). ``plan_start`` (only a planned plan starts), ``plan_accept`` of an accepted plan
  and ``plan_checklist_set`` (an unknown item, unticking an accepted plan) are steps the
  import does not take: a file states the plan, and its status never goes back
  (``tests/exchange/test_programs.py``).
- ``zone_create``: years out of order, a county that is unknown or not a county, no county
  (here); a code or name missing (framework); a zone that exists (an import updates it).
- ``project_create`` / ``project_update``: an unknown area, years out of order, a plan's
  project not of entire village advancement or not in the plan's village, a zone's project
  outside its counties (here); code lists, the budget (framework); fields that cannot be
  changed (an import refuses changing program, area, plan and zone).
- ``output_record``: a kind not in the catalogue, the wrong unit, a year outside the
  project's years (here); the quantity (framework).
- ``beneficiaries_add``: a household outside the project's area, a year outside the
  project's (here). ``beneficiary_remove`` (a reason, not a beneficiary): an import never
  removes.
- ``labour_record``: no person, fewer days than persons, a year outside the project's
  (here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fupin.core.errors import ApplicationError
from fupin.exchange.importer import import_package
from fupin.programs import services as programs
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.programs.models import Batch, VillagePlan
from tests.conftest import BAYAN, YANSHOU
from tests.exchange.test_programs import english, world  # noqa: F401  (fixtures)

PLAN_HEADER = "village,batch,status,started_on,accepted_on,accepted_by," + ",".join(CHECKLIST_FIELDS)


def refusal(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value.field or "", str(exc.value.message)


def import_errors(folder: Path, files: dict[str, str], user=None) -> list[tuple[str, str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    plan, result = import_package(folder, user=user)
    assert result is None
    return [(e.file, e.column, e.reason) for e in plan.errors]


def assert_parity(service: tuple[str, str], errors: list[tuple[str, str, str]], file: str) -> None:
    field, reason = service
    assert (f"{file}.csv", field, reason) in errors, (service, errors)


def ticks(value: str) -> str:
    return ",".join([value] * len(CHECKLIST_FIELDS))


def project(**changes) -> programs.ProjectData:
    values = {
        "code": "N1",
        "name": "x",
        "program": "industry",
        "category": "industry",
        "area_code": YANSHOU,
        "start_year": 2010,
        "end_year": 2010,
    }
    return programs.ProjectData(**{**values, **changes})


PROJECT_HEADER = "code,name,program,category,area,plan,zone,start_year,end_year\n"


@pytest.fixture
def case(world, province_user, tmp_path):  # noqa: F811
    return {**world, "actor": province_user, "batch": Batch.objects.get(number=4), "tmp": tmp_path}


# --- batches --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(2011, 2010), (2009, 2010)])
def test_batches(case, start, end):
    service = refusal(
        lambda: programs.batch_create(actor=case["actor"], number=7, name="x", start_year=start, end_year=end)
    )
    errors = import_errors(case["tmp"], {"batches": f"number,name,start_year,end_year\n7,x,{start},{end}\n"})
    assert_parity(service, errors, "batches")


# --- village plans -------------------------------------------------------------------------------


@pytest.mark.parametrize("village", ["230129999999", YANSHOU])
def test_a_plans_village(case, village):
    service = refusal(lambda: programs.plan_create(actor=case["actor"], batch=case["batch"], village_code=village))
    errors = import_errors(case["tmp"], {"village_plans": f"village,batch,status\n{village},4,planned\n"})
    assert_parity(service, errors, "village_plans")


def test_a_plan_outside_the_users_areas(case, make_user, bayan_village):
    county = make_user("county", (YANSHOU,))
    service = refusal(lambda: programs.plan_create(actor=county, batch=case["batch"], village_code=bayan_village))
    errors = import_errors(case["tmp"], {"village_plans": f"village,batch,status\n{bayan_village},4,planned\n"}, county)
    assert_parity(service, errors, "village_plans")


@pytest.mark.parametrize(
    ("ticked", "officials", "started", "accepted"),
    [
        ("0", "组", "2009-01-01", "2009-10-01"),  # the checklist is not complete
        ("1", "", "2009-01-01", "2009-10-01"),  # no officials
        ("1", "组", "2009-05-01", "2009-04-01"),  # accepted before the start
    ],
)
def test_accepting_a_plan(case, bayan_village, ticked, officials, started, accepted):
    actor = case["actor"]
    plan = programs.plan_create(actor=actor, batch=case["batch"], village_code=bayan_village)
    programs.plan_start(actor=actor, plan=plan, on=dt.date.fromisoformat(started))
    programs.plan_checklist_set(actor=actor, plan=plan, items=dict.fromkeys(CHECKLIST_FIELDS, ticked == "1"))
    service = refusal(
        lambda: programs.plan_accept(actor=actor, plan=plan, on=dt.date.fromisoformat(accepted), officials=officials)
    )
    VillagePlan.objects.filter(pk=plan.pk).delete()
    row = f"{bayan_village},4,accepted,{started},{accepted},{officials},{ticks(ticked)}"
    errors = import_errors(case["tmp"], {"village_plans": f"{PLAN_HEADER}\n{row}\n"})
    assert_parity(service, errors, "village_plans")


# --- zones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counties", "start", "end"),
    [
        ([YANSHOU], 2011, 2010),  # years out of order
        (["230129100200"], 2011, None),  # a village, not a county
        (["230199000000"], 2011, None),  # no such area
        ([], 2011, None),  # no county
    ],
)
def test_zones(case, counties, start, end):
    service = refusal(
        lambda: programs.zone_create(
            actor=case["actor"], code="Z2", name="z", county_codes=counties, start_year=start, end_year=end
        )
    )
    row = f"Z2,z,{';'.join(counties)},{start},{end or ''}"
    errors = import_errors(case["tmp"], {"zones": f"code,name,counties,start_year,end_year\n{row}\n"})
    assert_parity(service, errors, "zones")


# --- projects --------------------------------------------------------------------------------------


def test_projects(case, yanshou_village):
    plan, zone = case["plan"], case["zone"]
    cases = [
        (project(area_code="230129999999"), "N1,x,industry,industry,230129999999,,,2010,2010"),
        (project(start_year=2011), f"N1,x,industry,industry,{YANSHOU},,,2011,2010"),
        (
            project(plan=plan, area_code=yanshou_village),
            f"N1,x,industry,industry,{yanshou_village},{yanshou_village},,2010,2010",
        ),
        (
            project(plan=plan, program="village_advancement", area_code=YANSHOU),
            f"N1,x,village_advancement,industry,{YANSHOU},{yanshou_village},,2010,2010",
        ),
        (
            project(zone=zone, program="contiguous", area_code="230183000000"),
            "N1,x,contiguous,industry,230183000000,,LP-YS,2010,2010",
        ),
    ]
    for i, (data, row) in enumerate(cases):
        service = refusal(lambda data=data: programs.project_create(actor=case["actor"], data=data))
        errors = import_errors(case["tmp"] / str(i), {"projects": PROJECT_HEADER + row + "\n"})
        assert_parity(service, errors, "projects")


def test_a_project_outside_the_users_areas(case, make_user):
    county = make_user("county", (YANSHOU,))
    service = refusal(lambda: programs.project_create(actor=county, data=project(area_code=BAYAN)))
    errors = import_errors(
        case["tmp"], {"projects": PROJECT_HEADER + f"N1,x,industry,industry,{BAYAN},,,2010,2010\n"}, county
    )
    assert_parity(service, errors, "projects")


# --- outputs, beneficiaries, labour -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "unit"),
    [("unicorns", 2009, "head"), ("road", 2009, "head"), ("road", 2010, "km")],
)
def test_outputs(case, kind, year, unit):
    service = refusal(
        lambda: programs.output_record(
            actor=case["actor"], project=case["road"], kind_code=kind, year=year, quantity="2", unit=unit
        )
    )
    row = f"YS-2009-001,{kind},{year},2,{unit}"
    errors = import_errors(case["tmp"], {"outputs": f"project,kind,year,quantity,unit\n{row}\n"})
    assert_parity(service, errors, "outputs")


@pytest.mark.parametrize("where", ["elsewhere", "late"])
def test_beneficiaries(case, make_household, bayan_village, yanshou_village, where):
    household = make_household(bayan_village if where == "elsewhere" else yanshou_village)
    year = 2009 if where == "elsewhere" else 2010
    service = refusal(
        lambda: programs.beneficiaries_add(actor=case["actor"], project=case["road"], households=[household], year=year)
    )
    errors = import_errors(
        case["tmp"], {"beneficiaries": f"project,household,year\nYS-2009-001,{household.code},{year}\n"}
    )
    assert_parity(service, errors, "beneficiaries")


@pytest.mark.parametrize(("year", "persons", "days"), [(2009, 0, 0), (2009, 10, 5), (2010, 1, 1)])
def test_labour(case, year, persons, days):
    service = refusal(
        lambda: programs.labour_record(
            actor=case["actor"], project=case["road"], year=year, persons=persons, person_days=days
        )
    )
    row = f"YS-2009-001,{year},{persons},{days}"
    errors = import_errors(case["tmp"], {"labour_inputs": f"project,year,persons,person_days\n{row}\n"})
    assert_parity(service, errors, "labour_inputs")


# --- the column checks of the framework: the same field ---------------------------------------------


def test_framework_checks_blame_the_same_field(case):
    actor = case["actor"]
    checks = [
        (
            lambda: programs.batch_create(actor=actor, number=7, name="x", start_year=1970, end_year=2010),
            {"batches": "number,name,start_year,end_year\n7,x,1970,2010\n"},
        ),
        (
            lambda: programs.project_create(actor=actor, data=project(program="gold")),
            {"projects": PROJECT_HEADER + f"N1,x,gold,industry,{YANSHOU},,,2010,2010\n"},
        ),
        (
            lambda: programs.output_record(
                actor=actor, project=case["road"], kind_code="road", year=2009, quantity="1.2345", unit="km"
            ),
            {"outputs": "project,kind,year,quantity,unit\nYS-2009-001,road,2009,1.2345,km\n"},
        ),
    ]
    for i, (call, files) in enumerate(checks):
        field, _reason = refusal(call)
        errors = import_errors(case["tmp"] / str(i), files)
        assert any(column == field for _file, column, _r in errors), (field, errors)
