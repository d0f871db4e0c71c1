"""Land transfer's exchange files: an export comes back with nothing new; a package writes
what the services would have written; a termination by import; a user exports only their
areas; a package with one refused row writes nothing (all or nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fupin.core.choices import Role
from fupin.exchange import registry
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.importer import import_package
from fupin.land.models import LandContract, Transferor
from tests.conftest import BAYAN

LAND = ("land_contracts", "land_transferors")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _stored() -> list[tuple]:
    return [
        (
            c.number,
            c.village.code,
            c.transferee_kind,
            c.transferee_enterprise_id,
            c.transferee_name,
            c.mode,
            c.start_date,
            c.term_years,
            c.end_date,
            c.payment,
            c.rent_per_mu,
            c.terminated_on,
            sorted((t.household.code, t.area_mu) for t in c.transferors.all()),
        )
        for c in LandContract.objects.order_by("number")
    ]


def test_the_entities_are_registered():
    names = [r.name for r in registry.registrations()]
    assert names.index("households") < names.index("land_contracts") < names.index("land_transferors")


def test_an_export_comes_back_unchanged_and_recreates_the_records(tmp_path, province_user, make_contract, enterprise):
    make_contract()
    make_contract(number="E-1", transferee_kind="enterprise", transferee_enterprise=enterprise.code)
    frames = export_frames(user=province_user)
    assert frames["land_contracts"].height == 2 and frames["land_transferors"].height == 4
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == []
    for name in LAND:
        assert plan.counts()[name] == {"created": 0, "updated": 0, "unchanged": frames[name].height}, name
    before = _stored()
    Transferor.objects.all().delete()
    LandContract.objects.all().delete()
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None
    assert _stored() == before


def test_a_termination_by_import(tmp_path, province_user, make_contract):
    make_contract()
    frames = dict(export_frames(user=province_user).items())
    contracts = frames["land_contracts"]
    import polars as pl

    frames["land_contracts"] = contracts.with_columns(
        pl.lit("2012-06-30").alias("terminated_on"), pl.lit("转为自营").alias("termination_reason")
    )
    frames.pop("land_transferors")
    write_package({k: v for k, v in frames.items() if k in LAND}, tmp_path / "p")
    plan, _result = import_package(tmp_path / "p", user=province_user)
    assert plan.errors == []
    contract = LandContract.objects.get()
    assert contract.terminated_on == dt.date(2012, 6, 30) and contract.termination_reason == "转为自营"


def test_all_or_nothing_and_scope(tmp_path, province_user, make_user, make_contract, households, stranger):
    make_contract()
    frames = export_frames(user=province_user)
    bayan = make_user(Role.COUNTY, (BAYAN,))
    assert export_frames(user=bayan)["land_contracts"].height == 0
    import polars as pl

    contracts = frames["land_contracts"].with_columns(pl.lit("LZ-NEW").alias("number"))
    transferors = frames["land_transferors"].with_columns(pl.lit("LZ-NEW").alias("contract"))
    transferors = transferors.with_columns(
        pl.when(pl.col("household") == households[1].code)
        .then(pl.lit("-2"))
        .otherwise(pl.col("area_mu"))
        .alias("area_mu")
    )
    write_package({"land_contracts": contracts, "land_transferors": transferors}, tmp_path / "p")
    plan, result = import_package(tmp_path / "p", user=province_user)
    assert result is None
    assert [(e.file, e.column) for e in plan.errors] == [("land_transferors.csv", "area_mu")]
    assert LandContract.objects.count() == 1 and Transferor.objects.count() == 2
