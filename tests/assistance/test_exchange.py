"""Assistance's files of the exchange package: an export comes back with nothing new or
changed; a package of new rows writes what the services wrote (contributions with their
ledger receipts, through the funds service); one refused row writes nothing; a county
exports only its own."""

from __future__ import annotations

import pytest
from django.utils import translation

from fupin.assistance import services
from fupin.assistance.models import AssistingUnit, Cadre, Contribution, Pairing, StudentAid, SupportedProject
from fupin.core.choices import Role
from fupin.exchange import registry
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.importer import import_package
from fupin.funds.models import Account, Entry
from tests.conftest import BAYAN, YANSHOU

ASSISTANCE = [
    "assistance_units",
    "assistance_pairings",
    "assistance_cadres",
    "assistance_contributions",
    "assistance_projects",
    "assistance_students",
]
MODELS = (StudentAid, SupportedProject, Contribution, Cadre, Pairing, AssistingUnit)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(province_user, provincial_unit, county_unit, yanshou_village, household, project):
    services.pairing_create(
        actor=province_user, unit=provincial_unit, area_code=YANSHOU, start_year=2008, end_year=2010
    )
    services.pairing_create(actor=province_user, unit=county_unit, area_code=yanshou_village, start_year=2009)
    services.cadre_create(
        actor=province_user,
        unit=county_unit,
        name="王明",
        kind="first_secretary",
        place_code=yanshou_village,
        start_date="2009-03-01",
        post="第一书记",
    )
    services.contribution_create(
        actor=province_user,
        unit=provincial_unit,
        number="JZ-1",
        kind="grant",
        value="120000.50",
        date="2009-05-01",
        area_code=yanshou_village,
        description="修路",
    )
    services.contribution_create(
        actor=province_user,
        unit=county_unit,
        number="YJ-1",
        kind="investment",
        value="30000",
        date="2009-06-01",
        project=project,
    )
    services.project_support(actor=province_user, unit=county_unit, project=project, year=2009)
    services.student_aid(
        actor=province_user,
        unit=county_unit,
        year=2009,
        school="延寿一中",
        amount="800",
        person=household.members.first(),
    )


def _state():
    return {
        "units": sorted(AssistingUnit.objects.values_list("code", "name", "name_en", "level", "area__code")),
        "pairings": sorted(Pairing.objects.values_list("unit__code", "area__code", "start_year", "end_year")),
        "cadres": sorted(Cadre.objects.values_list("unit__code", "name", "post", "kind", "place__code", "start_date")),
        "contributions": sorted(
            Contribution.objects.values_list(
                "number", "unit__code", "kind", "value", "date", "area__code", "project__code"
            )
        ),
        "ledger": sorted(Entry.objects.values_list("document", "source", "amount", "area__code")),
        "projects": sorted(SupportedProject.objects.values_list("unit__code", "project__code", "year")),
        "students": sorted(StudentAid.objects.values_list("unit__code", "person__id_number", "year", "amount")),
    }


def test_the_entities_are_registered():
    names = [r.name for r in registry.registrations()]
    assert all(name in names for name in ASSISTANCE)
    assert names.index("assistance_units") < names.index("assistance_pairings")
    assert names.index("projects") < names.index("assistance_contributions")
    assert names.index("members") < names.index("assistance_students")


def test_an_export_comes_back_with_nothing_new(tmp_path, province_user, records):
    frames = export_frames(user=province_user)
    assert frames["assistance_contributions"].height == 2 and frames["assistance_students"].height == 1
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == []
    for name in ASSISTANCE:
        assert plan.counts()[name] == {"created": 0, "updated": 0, "unchanged": frames[name].height}, name


def test_a_package_writes_what_the_services_wrote(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    before = _state()
    for model in MODELS:
        model.objects.all().delete()
    Account.objects.all().delete()
    from django.db import connection

    with connection.cursor() as cursor:  # the ledger is append-only: emptied here by SQL for the test
        cursor.execute("DELETE FROM funds_entry")
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and result["changed"]
    assert _state() == before
    assert (
        Account.objects.get(area__code=YANSHOU, source="social_grant", year=2009).received
        == Entry.objects.get(document="JZ-1").amount
    )
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and not result["changed"]


def test_a_changed_contribution_is_refused(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    c = frames["assistance_contributions"]
    frames["assistance_contributions"] = c.with_columns(c["value"].str.replace("120000.50", "130000.00"))
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    # recorded already, and its receipt in the ledger is of another value
    assert sorted(e.column for e in plan.errors) == ["ledger_entry", "number"]
    assert Contribution.objects.get(number="JZ-1").value == 120000.50


def test_one_refused_row_writes_nothing(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    for model in MODELS:
        model.objects.all().delete()
    entries = Entry.objects.count()
    p = frames["assistance_pairings"]
    frames["assistance_pairings"] = p.with_columns(p["area"].str.replace(r"^230129\d+$", BAYAN))
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert "area" in [e.column for e in plan.errors]
    assert all(not model.objects.exists() for model in MODELS) and Entry.objects.count() == entries


def test_a_county_exports_its_own(records, make_user):
    elsewhere = make_user(Role.COUNTY, (BAYAN,))
    frames = export_frames(user=elsewhere)
    assert all(frames[name].height == 0 for name in ASSISTANCE)
    mine = export_frames(user=make_user(Role.COUNTY, (YANSHOU,)))
    assert mine["assistance_contributions"].height == 2
