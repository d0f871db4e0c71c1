"""Who may create money: the authority to appropriate, walked over every fund source ×
every role × every place (each area level, and a project), through the service and
through the import, against the rule as the issue states it (written out here, apart
from ``fupin.funds.authority``, so that the table is checked rather than restated)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError
from fupin.exchange.importer import import_package
from fupin.funds import services
from fupin.funds.authority import AUTHORITY
from fupin.funds.choices import Source
from fupin.funds.models import Account, Entry
from fupin.funds.services import check_accounts
from fupin.geo.models import AdminArea
from fupin.programs import services as programs
from tests.conftest import YANSHOU
from tests.testing import api

PROVINCE = "230000000000"
HARBIN = "230100000000"
DAY = dt.date(2009, 5, 1)
PLACES = ["province", "city", "county", "township", "village", "project"]
ROLES = [str(r) for r in Role]
RANK = {"village": 1, "township": 2, "county": 3, "city": 4, "province": 5}


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def expected(source: str, role: str, place: str) -> bool:
    """The issue's rule, for a user of the role sitting at the office of the role's level
    on the path province → Harbin → Yanshou → township → village → project."""
    rank = RANK.get(role, 0)
    if rank < RANK["county"]:  # appropriating is an office's work: county and above
        return False
    if PLACES.index(place) < PLACES.index(role):  # above the user's own area
        return False
    if source in ("central", "provincial"):
        return place == "province" and role == "province"
    if source == "city":
        return place == "city"
    if source == "county":
        return place == "county"
    if source in ("sector", "social_grant", "social_investment"):
        return place in ("province", "city", "county") and rank >= RANK[place]
    assert source in ("credit", "own", "labour")
    return place == "project"


@pytest.fixture
def walk(db, province_user, yanshou_village):
    village = AdminArea.objects.get(code=yanshou_village)
    township = village.parent
    project = programs.project_create(
        actor=province_user,
        data=programs.ProjectData(
            code="YS-1",
            name="道路",
            program="village_advancement",
            category="infrastructure",
            area_code=yanshou_village,
            start_year=2009,
            end_year=2009,
        ),
    )
    areas = {
        "province": AdminArea.objects.get(code=PROVINCE),
        "city": AdminArea.objects.get(code=HARBIN),
        "county": AdminArea.objects.get(code=YANSHOU),
        "township": township,
        "village": village,
    }
    return areas, project


@pytest.fixture
def offices(walk, make_user):
    """A user of every role, seated at the office of the role's level (an auditor and the
    public at the province)."""
    areas, _project = walk
    seat = {**{r: areas[r].code for r in RANK}, "auditor": PROVINCE, "public": PROVINCE}
    return {role: make_user(role, (seat[role],)) for role in ROLES}


def test_the_table_names_every_source():
    assert set(AUTHORITY) == set(Source)


def test_every_source_role_and_place_through_the_service(walk, offices):
    areas, project = walk
    users = offices
    allowed, seen = set(), set()
    for source, role, place in itertools.product(Source, ROLES, PLACES):
        target = {"project": project} if place == "project" else {"area": areas[place]}
        before = Entry.objects.count()
        with transaction.atomic():
            try:
                services.appropriate(actor=users[role], source=source, year=2009, amount="10", on=DAY, **target)
                allowed.add((str(source), role, place))
            except ApplicationError as exc:
                assert exc.field in ("source", "area", "project") or exc.code == "not_permitted", exc
                assert Entry.objects.count() == before  # a refusal writes nothing
            transaction.set_rollback(True)
        seen.add((str(source), role, place))
    assert allowed == {key for key in seen if expected(*key)}
    assert Entry.objects.count() == 0 and Account.objects.count() == 0


def _ledger(folder: Path, rows: list[tuple[str, str, str]], areas, project) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["number,kind,source,year,date,amount,area,to_area,project,reverses"]
    for i, (source, _role, place) in enumerate(rows):
        area = project.area.code if place == "project" else areas[place].code
        lines.append(
            f"A{i},appropriation,{source},2009,2009-05-01,10,{area},,{project.code if place == 'project' else ''},"
        )
    (folder / "fund_entries.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_every_source_role_and_place_through_the_import(walk, offices, tmp_path):
    """One file per role with every source at every place: the lines refused are exactly
    the forbidden ones (file:line:column), nothing is written; the allowed ones alone import."""
    areas, project = walk
    users = offices
    for role in ROLES:
        rows = [(str(s), role, p) for s, p in itertools.product(Source, PLACES)]
        plan, result = import_package(_ledger(tmp_path / role / "all", rows, areas, project), user=users[role])
        assert result is None or not [r for r in rows if not expected(*r)]
        refused_lines = {e.line for e in plan.errors}
        assert refused_lines == {i + 2 for i, r in enumerate(rows) if not expected(*r)}, (role, plan.errors)
        assert Entry.objects.count() == 0
        allowed = [r for r in rows if expected(*r)]
        if allowed:
            with transaction.atomic():
                plan, result = import_package(
                    _ledger(tmp_path / role / "ok", allowed, areas, project), user=users[role]
                )
                assert plan.errors == [] and result["changed"], (role, plan.errors)
                assert Entry.objects.filter(kind="appropriation").count() == len(allowed)
                assert check_accounts() == []
                transaction.set_rollback(True)


@pytest.mark.usefixtures("english")
def test_the_import_names_file_line_and_column(walk, tmp_path, make_user, province_user):
    areas, project = walk
    rows = [("county", "city", "county"), ("central", "city", "county"), ("city", "city", "county")]
    plan, result = import_package(_ledger(tmp_path, rows, areas, project), user=province_user)
    assert result is None
    assert [str(e) for e in plan.errors] == [
        "fund_entries.csv:3:source: central anti-poverty funds (中央财政扶贫资金) are appropriated at province, "
        "not at county.",
        "fund_entries.csv:4:source: city funds (市级资金) are appropriated at city, not at county.",
    ]
    # an office below the province's, even one given the whole province, may not create its money
    clerk = make_user(Role.COUNTY, (PROVINCE,))
    plan, result = import_package(
        _ledger(tmp_path / "c", [("sector", "county", "province")], areas, project), user=clerk
    )
    assert result is None
    assert [str(e) for e in plan.errors] == [
        "fund_entries.csv:2:source: integrated sector funds (行业部门整合资金) at province are appropriated by the "
        "province office or above."
    ]
    # nothing is appropriated at a village: the area is to blame
    plan, result = import_package(_ledger(tmp_path / "v", [("county", "province", "village")], areas, project))
    assert result is None and [(e.line, e.column) for e in plan.errors] == [(2, "area")]
    assert not Entry.objects.exists()


def test_a_county_office_cannot_create_central_money(db, county_user, make_user):
    """The issue's case: the county office appropriates a billion yuan of central funds to
    itself. Refused, in the API's error shape naming the field; nothing written."""
    response = api(county_user).post(
        "/api/fund-entries/appropriate/",
        {"area": YANSHOU, "source": "central", "year": 2009, "amount": "1000000000.00"},
        format="json",
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["field"] == "source" and body["code"] == "not_appropriable" and body["record"] == YANSHOU
    # the city office cannot do it for the county either, nor at its own city
    city = make_user(Role.CITY, (HARBIN,))
    for area in (YANSHOU, HARBIN):
        response = api(city).post(
            "/api/fund-entries/appropriate/",
            {"area": area, "source": "central", "year": 2009, "amount": "1000000000.00"},
            format="json",
        )
        assert response.status_code == 400 and response.json()["field"] == "source"
    assert not Entry.objects.exists() and not Account.objects.exists()


def test_the_api_appropriates_households_money_at_a_project(walk, county_user):
    _areas, project = walk
    body = {"project": project.code, "source": "own", "year": 2009, "amount": "300"}
    response = api(county_user).post("/api/fund-entries/appropriate/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["project"] == project.code
    services.disburse(actor=county_user, project=project, source="own", year=2009, amount="300", on=DAY)
    account = Account.objects.get(project=project, source="own")
    assert (account.received, account.disbursed) == (300, 300)
    # households' money does not enter at the county
    response = api(county_user).post(
        "/api/fund-entries/appropriate/", {**body, "project": "", "area": YANSHOU}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "source"
    assert check_accounts() == []


def test_a_reversal_of_a_project_appropriation_cannot_strand_a_disbursement(walk, county_user):
    _areas, project = walk
    entry = services.appropriate(actor=county_user, project=project, source="labour", year=2009, amount="50", on=DAY)
    services.disburse(actor=county_user, project=project, source="labour", year=2009, amount="20", on=DAY)
    with pytest.raises(services.Overdrawn):
        services.reverse(actor=county_user, entry=entry, reason="wrong")
    assert check_accounts() == []
