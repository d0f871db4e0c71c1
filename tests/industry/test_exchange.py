"""Industry's files of the exchange package: an export comes back with nothing new or
changed; a package of new rows writes what the services would have written; a package
with one refused row writes nothing; a user sees only their areas."""

from __future__ import annotations

import pytest
from django.utils import translation

from fupin.core.choices import Role
from fupin.exchange import registry
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.importer import import_package
from fupin.industry import services
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from tests.conftest import BAYAN

INDUSTRY = [
    "industry_enterprises",
    "industry_bases",
    "industry_base_households",
    "industry_employments",
    "industry_contracts",
]
MODELS = (OrderContract, Employment, BaseLink, ProductionBase, Enterprise)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(province_user, base, household, bayan_village):
    services.base_link(actor=province_user, base=base, household=household, joined_on="2009-04-01")
    services.employment_create(
        actor=province_user,
        enterprise=base.enterprise,
        person=household.members.first(),
        start_date="2009-03-01",
        end_date="2009-11-30",
        monthly_wage="1500.5",
    )
    services.contract_create(
        actor=province_user,
        enterprise=base.enterprise,
        number="DD-1",
        household=household,
        year=2009,
        product="大豆",
        quantity="1000",
        agreed_price="3.6",
        inputs_on_credit="600",
        delivered="1000",
        paid="3000",
    )
    services.base_create(
        actor=province_user,
        enterprise=base.enterprise,
        code="JD-2",
        name="两县基地",
        product="玉米",
        area_mu="50",
        established_year=2009,
        village_codes=[bayan_village, base.villages.first().code],
    )


def _state():
    return {
        "enterprises": sorted(
            Enterprise.objects.values_list("code", "name", "county__code", "level", "identified_year")
        ),
        "bases": sorted(ProductionBase.objects.values_list("code", "enterprise__code", "area_mu", "established_year")),
        "villages": sorted(
            ProductionBase.villages.through.objects.values_list("productionbase__code", "adminarea__code")
        ),
        "links": sorted(BaseLink.objects.values_list("base__code", "household__code", "joined_on")),
        "jobs": sorted(
            Employment.objects.values_list(
                "enterprise__code", "person__id_number", "start_date", "end_date", "monthly_wage"
            )
        ),
        "contracts": sorted(
            OrderContract.objects.values_list("number", "household__code", "quantity", "agreed_price", "paid")
        ),
    }


def test_the_entities_are_registered():
    names = [r.name for r in registry.registrations()]
    assert all(name in names for name in INDUSTRY)
    assert names.index("industry_enterprises") < names.index("industry_bases") < names.index("industry_base_households")
    assert names.index("households") < names.index("industry_base_households")


def test_an_export_comes_back_with_nothing_new(tmp_path, province_user, records):
    frames = export_frames(user=province_user)
    assert frames["industry_bases"].height == 2 and frames["industry_base_households"].height == 1
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == []
    for name in INDUSTRY:
        assert plan.counts()[name] == {"created": 0, "updated": 0, "unchanged": frames[name].height}, name


def test_a_package_writes_what_the_services_would(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    before = _state()
    for model in MODELS:
        model.objects.all().delete()
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and result["changed"]
    assert _state() == before
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and not result["changed"]


def test_one_refused_row_writes_nothing(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    for model in MODELS:
        model.objects.all().delete()
    contracts = frames["industry_contracts"]
    frames["industry_contracts"] = contracts.with_columns(delivered=contracts["delivered"].str.replace("1000", "2000"))
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert [e.column for e in plan.errors] == ["delivered"]
    assert all(not model.objects.exists() for model in MODELS)


def test_a_county_exports_its_own(records, make_user):
    elsewhere = make_user(Role.COUNTY, (BAYAN,))
    frames = export_frames(user=elsewhere)
    assert frames["industry_enterprises"].height == 0
    assert frames["industry_contracts"].height == 0
