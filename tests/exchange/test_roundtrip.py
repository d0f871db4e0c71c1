"""Export, then import into an empty registry, reproduces every record of the demo: its
households and their records, its programs and its funds ledger."""

from __future__ import annotations

import filecmp

from django.core.management import call_command

from fupin.exchange import registry
from fupin.exchange.exporter import export_package
from fupin.exchange.importer import import_package
from fupin.funds.models import Account, Entry
from fupin.funds.services import check_accounts
from fupin.geo.models import AdminArea
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    Project,
    ProjectOutput,
    VillagePlan,
)
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

PROGRAMS = [
    Entry,
    Account,
    Beneficiary,
    LabourInput,
    ProjectOutput,
    Project,
    ContiguousZone.counties.through,
    ContiguousZone,
    VillagePlan,
    Batch,
]
REGISTRY = [StatusEvent, IncomeRecord, Person, Helper, SecondaryCause, Household]
REGISTRY_FILES = ["areas", "poverty_lines", "households", "helpers", "members", "incomes", "status_events"]


def empty_registry() -> None:
    """Everything the exchange format holds goes, but the administrative tree (and the
    output catalogue, which ships with Fupin): the tables of the other registered entities
    first (the later apps' records refer to these)."""
    for model in others():
        model.objects.all()._raw_delete(model.objects.db)
    for model in [*PROGRAMS, *REGISTRY]:
        model.objects.all()._raw_delete(model.objects.db)
    AdminArea.objects.exclude(key_county="").update(key_county="")
    AdminArea.objects.filter(key_village=True).update(key_village=False)


def others() -> list:
    """The tables of the registered entities beyond the registry's and the programs', the
    latest first."""
    listed = {*PROGRAMS, *REGISTRY, AdminArea}
    return [m for reg in reversed(registry.registrations()) for m in reversed(reg.models) if m not in listed]


def test_export_then_import_of_the_demo_reproduces_every_record(db, tmp_path):
    call_command("demo", scale=0.002, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = {m: m.objects.count() for m in [*PROGRAMS, *REGISTRY, *others()]}
    assert counts[StatusEvent] > 10_000
    assert all(counts[m] for m in (Entry, Beneficiary, Project, VillagePlan, ContiguousZone)), counts
    first = export_package(tmp_path / "first")
    export_package(tmp_path / "first.zip")
    # the workbook with the registry's sheets only: the demo's ledger is long, and the programs'
    # sheets come back from a workbook in test_programs
    export_package(tmp_path / "first.xlsx", entities=REGISTRY_FILES)

    empty_registry()
    assert Household.objects.count() == 0 and not AdminArea.objects.filter(key_village=True).exists()
    plan, result = import_package(tmp_path / "first.zip")
    assert plan.errors == [] and result["changed"]
    assert {m: m.objects.count() for m in [*PROGRAMS, *REGISTRY, *others()]} == counts
    assert check_accounts() == []

    second = export_package(tmp_path / "second")
    assert second == first
    for name in first:
        assert filecmp.cmp(tmp_path / "first" / f"{name}.csv", tmp_path / "second" / f"{name}.csv", shallow=False), name

    plan, _ = import_package(tmp_path / "first.xlsx", dry_run=True)
    assert plan.errors == []
    assert not plan.has_changes, plan.counts()


def test_export_as_a_user_keeps_to_their_scope_and_masks(
    db, tmp_path, make_user, make_household, yanshou_village, bayan_village
):
    ours = make_household(yanshou_village, size=2)
    make_household(bayan_village)
    viewer = make_user("county", ("230129000000",), identifiers=False)
    export_package(tmp_path / "p", user=viewer, entities=["households", "members"])
    households = (tmp_path / "p" / "households.csv").read_text(encoding="utf-8-sig")
    members = (tmp_path / "p" / "members.csv").read_text(encoding="utf-8-sig")
    assert ours.code in households and bayan_village not in households
    for person in ours.members.all():
        assert person.id_number not in members and person.id_number[:6] + "*" * 12 in members
        assert person.birth_date.isoformat() not in members


def test_a_county_users_own_export_comes_back_unchanged(db, tmp_path, county_user, make_household, yanshou_village):
    make_household(yanshou_village, size=2)
    export_package(tmp_path / "mine.zip", user=county_user)
    plan, result = import_package(tmp_path / "mine.zip", user=county_user)
    assert plan.errors == []
    assert result == {"counts": plan.counts(), "changed": False}


def test_changing_reference_data_needs_the_role(db, tmp_path, county_user):
    (tmp_path / "poverty_lines.csv").write_text("year,area,amount\n2009,,1500\n")
    plan, result = import_package(tmp_path, user=county_user)
    assert result is None
    assert str(plan.errors[0]).startswith("poverty_lines.csv:2:")
