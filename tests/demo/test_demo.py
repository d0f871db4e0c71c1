"""The demo province, checked through the same code users run: the REST API and the
selectors."""

from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command

from fupin.core.models import AuditEvent
from fupin.demo.structure import choose
from fupin.geo.models import AdminArea
from fupin.registry.demo import generate
from fupin.registry.models import Household, IncomeRecord, StatusEvent
from fupin.registry.selectors import poverty_line_for
from tests.testing import api

SCALE = 0.01


@pytest.fixture
def demo(db, province_user):
    call_command("demo", scale=SCALE, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_api_gives_the_seed_figures(demo, province_user):
    client = api(province_user)

    def count(url, **params):
        return client.get(url, params).json()["count"]

    assert count("/api/areas/", level="county", key_county="true") == 23
    assert count("/api/areas/", level="village", key_village="true") == 3134
    assert count("/api/areas/", level="city") == 13
    assert count("/api/households/", status="poor") == round(692_000 * SCALE)
    assert count("/api/persons/", status="poor") == round(2_130_000 * SCALE)
    assert count("/api/areas/", level="county", key_county_type="national") == 14
    assert client.get("/api/areas/230129000000/").json()["key_county"] == "national"
    assert client.get("/api/areas/230126000000/").json()["key_county"] == "provincial"
    assert client.get("/api/areas/230127000000/").json()["key_county"] == "provincial"


def test_poor_households_are_in_exactly_64_counties(demo):
    codes = Household.objects.filter(status="poor").values_list("village__code", flat=True)
    assert len({c[:6] for c in codes}) == 64


def test_people_lifted_out_of_poverty_by_the_end_of_2009(demo):
    exited = StatusEvent.objects.filter(procedure="exit", action="approve", date__lte="2009-12-31")
    households = Household.objects.filter(pk__in=exited.values("household_id"))
    people = sum(h.members.count() for h in households.prefetch_related("members"))
    assert people == round(2_150_000 * SCALE)
    assert not StatusEvent.objects.filter(date__gt="2009-12-31").exists()


def _state_at_end_of(year):
    """Each household's (status, open procedure) on 31 December of ``year``, from its events."""
    state = {}
    for hh, status, procedure, stage in (
        StatusEvent.objects.filter(date__lte=f"{year}-12-31")
        .order_by("household_id", "date", "id")
        .values_list("household_id", "status_after", "procedure", "stage_after")
    ):
        state[hh] = (status, procedure if stage else "")
    return state


def test_incomes_are_consistent_with_each_years_line(demo):
    """At the end of each year, poor households (no exit case open) are below that year's
    line; exited households and those never in a procedure are at or above it."""
    province = AdminArea.objects.get(code="230000000000")
    checked = 0
    never_in_a_procedure = set(Household.objects.exclude(status_events__isnull=False).values_list("id", flat=True))
    for year in (2008, 2009):
        line = poverty_line_for(province, year).amount
        assert line == Decimal("1196")
        state = _state_at_end_of(year)
        for record in IncomeRecord.objects.filter(year=year):
            status, open_case = state.get(record.household_id, ("non_poor", ""))
            if status == "poor" and open_case != "exit":
                assert record.per_capita_net_income < line, record
            elif status == "exited" or record.household_id in never_in_a_procedure:
                assert record.per_capita_net_income >= line, record
            checked += 1
    assert checked == IncomeRecord.objects.count()


def test_status_histories_match_the_statuses(demo):
    for household in Household.objects.order_by("?")[:300]:
        events = list(household.status_events.order_by("date", "id"))
        if household.status == "non_poor" and not household.procedure:
            assert events == []
            continue
        assert events, household.code
        assert events[-1].status_after == household.status
        assert events[-1].date == household.stage_date
        assert household.stage == events[-1].stage_after
        dates = [e.date for e in events]
        assert dates == sorted(dates)


def test_demo_is_deterministic_and_scales():
    areas = [
        (r["code"], r["level"], r["kind"]) for r in __import__("fupin.geo.services", fromlist=["x"]).read_area_file()
    ]
    structure = choose(areas)
    a = generate(structure, scale=0.002, seed=7)
    b = generate(structure, scale=0.002, seed=7)
    c = generate(structure, scale=0.002, seed=8)
    assert np.array_equal(a.persons.columns["id_number"], b.persons.columns["id_number"])
    assert not np.array_equal(a.persons.columns["id_number"], c.persons.columns["id_number"])
    assert a.counts["poor_households"] == round(692_000 * 0.002)
    assert a.counts["poor_people"] == round(2_130_000 * 0.002)
    assert a.counts["lifted_people"] == round(2_150_000 * 0.002)
    assert len(set(a.persons.columns["id_number"].tolist())) == len(a.persons)


def test_demo_writes_one_audit_event_and_refuses_to_load_twice(demo):
    assert AuditEvent.objects.filter(action="demo.build").count() == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already"):
        call_command("demo", scale=SCALE, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_programs_and_funds_of_the_demo(demo, province_user):
    """The demo's village plans, beneficiaries and ledger: the ledger's accounts are what
    the services would have left (the auditor's check agrees)."""
    from fupin.funds.services import check_accounts
    from fupin.programs.models import Beneficiary, VillagePlan

    assert check_accounts() == []
    # every appropriation of the demo is made where the table of authority allows
    from fupin.funds.authority import PROJECT, places
    from fupin.funds.models import Entry

    appropriations = Entry.objects.filter(kind="appropriation")
    at_areas = set(appropriations.filter(project__isnull=True).values_list("source", "area__level").distinct())
    at_projects = set(appropriations.filter(project__isnull=False).values_list("source", flat=True).distinct())
    assert at_areas == {
        ("central", "province"),
        ("provincial", "province"),
        ("sector", "province"),
        ("social_grant", "province"),
        ("social_investment", "province"),
        ("city", "city"),
        ("county", "county"),
        # the assisting units' contributions, received at the recipients' counties (assistance's part)
        ("social_grant", "county"),
        ("social_investment", "county"),
    }
    assert at_projects == {"credit", "own", "labour"}
    assert all(level in places(source) for source, level in at_areas)
    assert all(PROJECT in places(source) for source in at_projects)
    plans = VillagePlan.objects.all()
    assert plans.count() == 3134 == AdminArea.objects.filter(key_village=True).count()
    assert not plans.exclude(village__key_village=True).exists()
    assert plans.filter(status="accepted", accepted_on__lte="2009-12-31").count() == 2384
    assert set(plans.filter(batch__number=5).values_list("status", flat=True)) == {"planned"}
    # an accepted plan has every item of the checklist
    for name in VillagePlan.CHECKLIST_FIELDS:
        assert not plans.filter(status="accepted", **{name: False}).exists()
    # beneficiaries live in their project's village
    for b in Beneficiary.objects.select_related("project__area", "household__village"):
        assert b.household.village_id == b.project.area_id
