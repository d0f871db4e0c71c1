"""The analytics framework knows no domain app: the apps register their snapshot tables and
the computations of their indicators (``fupin.analytics.registry``), and the report's
sections are the framework's own data."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from fupin.analytics import registry
from fupin.analytics.indicators import indicators
from fupin.analytics.sections import SEED_SECTIONS, reason_for, sections
from fupin.analytics.snapshot import _sources, database_state

ANALYTICS = Path(__file__).resolve().parents[2] / "src" / "fupin" / "analytics"
DOMAIN_APPS = ("fupin.registry", "fupin.programs", "fupin.funds", "fupin.training")


def test_the_framework_imports_no_domain_app():
    found = []
    for path in ANALYTICS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.startswith(DOMAIN_APPS)]
    assert found == []


def test_the_apps_register_their_tables_in_the_order_of_installed_apps():
    assert list(registry.TABLES)[:13] == [
        "areas",
        "poverty_lines",
        "households",
        "persons",
        "incomes",
        "status_events",
        "village_plans",
        "projects",
        "project_outputs",
        "beneficiaries",
        "labour_inputs",
        "zone_counties",
        "fund_entries",
    ]
    assert registry.TABLES["persons"].sliced == registry.TABLES["status_events"].sliced == 2
    assert registry.TABLES["households"].partition == "substr(city_code, 1, 4)"


def test_a_model_table_takes_its_columns_from_the_fields():
    from fupin.registry.models import IncomeRecord, Person

    columns, select = registry.model_columns(Person, ["id", "household_id", "birth_date", "migrant_months", "sex"])
    assert columns == {
        "id": pa.int64(),
        "household_id": pa.int64(),
        "birth_date": pa.date32(),
        "migrant_months": pa.int32(),
        "sex": pa.string(),
    }
    assert select == "id, household_id, birth_date, migrant_months, sex"
    # decimals, generated ones too, are read as doubles and typed as their decimal (its
    # digits and places), so that sums over them are exact
    columns, select = registry.model_columns(IncomeRecord, ["wage", "net_income"], types={"wage": pa.float32()})
    assert columns == {"wage": pa.float32(), "net_income": pa.decimal128(14, 2)}
    assert select == "CAST(wage AS DOUBLE PRECISION), CAST(net_income AS DOUBLE PRECISION)"
    incomes = registry.TABLES["incomes"]
    assert incomes.select(dt.date(2009, 12, 31)).endswith("FROM registry_incomerecord WHERE year <= 2009")
    households = registry.TABLES["households"]
    assert list(households.columns)[3:5] == ["status_now", "returned_now"]
    assert households.select(dt.date(2009, 12, 31)).startswith("SELECT id, code, village_id, status, returned,")


def test_a_derivation_gets_the_as_of_date():
    fund_entries = registry.TABLES["fund_entries"]
    assert fund_entries.derivation(dt.date(2009, 12, 31)).endswith("WHERE date <= DATE '2009-12-31'")
    assert registry.TABLES["beneficiaries"].derivation(dt.date(2009, 1, 1)) == "SELECT * FROM src_beneficiaries"
    assert [s.name for s in _sources(dt.date(2009, 12, 31))] == list(registry.TABLES)


@pytest.mark.django_db
def test_database_state_names_the_models_the_tables_read():
    parts = dict(part.split(":", 1) for part in database_state().split(";"))
    for name in ("audit", "adminarea", "household", "person", "incomerecord", "statusevent", "povertyline"):
        assert name in parts
    for name in ("villageplan", "batch", "project", "projectoutput", "beneficiary", "labourinput", "entry"):
        assert name in parts


def test_the_report_sections_are_the_seeds_in_order_then_registered_ones():
    keys = [s.key for s in SEED_SECTIONS]
    assert keys == [
        "overview",
        "village_advancement",
        "training",
        "industrialization",
        "mutual_funds",
        "loan_discount",
        "contiguous",
        "land_transfer",
        "social",
        "measures",
    ]
    # every section of the specification is one of the report's
    assert {i.section for i in indicators().values()} <= set(keys)
    registry.section("extra", "Extra", reason="Extra records are not recorded yet.")
    try:
        assert list(sections())[-1] == "extra" and list(sections())[: len(keys)] == keys
    finally:
        del registry.SECTIONS["extra"]
    assert reason_for("evap.funds.fiscal", "overview") == reason_for("x", "village_advancement")


def test_every_indicator_of_the_specification_is_computed():
    """Since issue 12 (assistance and accountability) an installed app computes each of the
    91 indicators: none is left "not available" for want of an app."""
    table = indicators()
    assert len(table) == 91
    assert [key for key, indicator in table.items() if not indicator.available] == []
    for key in ("social.funds_total", "social.cadres", "social.students_aided", "social.households_driven"):
        assert table[key].section == "social" and table[key].reason is None
    for key in ("accountability.cities_assessing", "accountability.model_counties"):
        assert table[key].section == "measures" and table[key].reason is None


def test_a_computation_is_registered_once_and_for_a_known_indicator():
    with pytest.raises(ValueError, match="computed twice"):
        registry.computes("poor.households")(lambda scope: 0)
    registry.computes("no.such.indicator")(lambda scope: 0)
    indicators.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"no\.such\.indicator"):
            indicators()
    finally:
        del registry.COMPUTE["no.such.indicator"]
        indicators.cache_clear()
    assert indicators()["poor.households"].available


def test_code_labels_and_years_come_from_the_apps():
    with translation.override("en"):
        assert registry.label("households.status", "poor") == "poor"
        assert registry.label("households.status", "unknown-code") == "unknown-code"
    assert registry.YEARS
