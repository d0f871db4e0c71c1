"""Snapshots, the indicator engine and the annual report, checked against the registry's
own records (through the ORM) and, from the command line, against the figures the demo is
built to reproduce."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from fupin.analytics import registry as analytics_registry
from fupin.analytics.engine import Engine
from fupin.analytics.indicators import evaluate, indicators
from fupin.analytics.report import annual_report
from fupin.analytics.selectors import decomposition, measures, status_flows, targeting_check
from fupin.analytics.snapshot import latest_current, open_snapshot, snapshot_for, take_snapshot
from tests.conftest import YANSHOU

pytestmark = pytest.mark.django_db  # every test reads the database or a snapshot of it

SCALE = 0.004
SPEC = Path(__file__).resolve().parents[2] / "src" / "fupin" / "analytics" / "data" / "indicators.csv"
OVERVIEW_COMPUTED = [
    "province.area_km2",
    "province.population",
    "admin.prefecture_cities",
    "admin.prefecture_offices",
    "key_counties.count",
    "key_villages.count",
    "counties_with_task.count",
    "poor.households",
    "poor.people",
    "poor.people_lifted_cumulative",
    "evap.villages_completed_cumulative",
    "evap.per_capita_income",
]
SCALED = {"poor.households", "poor.people", "poor.people_lifted_cumulative", "evap.industrial.poor_households"}
PROGRAM_SECTIONS = ("village_advancement", "contiguous")


def seed_at_scale(key: str, value: float, scale: float) -> float:
    return round(value * scale) if key in SCALED else value


def seed_values() -> dict[str, float]:
    with SPEC.open(encoding="utf-8") as f:
        return {row["id"]: float(row["seed_2009"]) for row in csv.DictReader(f)}


def _registry_figures(year: int, area_prefix: str) -> dict[str, int]:
    """What the registry says, counted in Python from the ORM: each household's status at
    the end of the year replayed from its events, members counted per household."""
    from fupin.registry.models import Household, StatusEvent

    households = {
        h["id"]: h
        for h in Household.objects.filter(village__code__startswith=area_prefix)
        .annotate(size=Count("members"))
        .values("id", "status", "size", "village__code")
    }
    status: dict[int, str] = {}
    first_before: dict[int, str] = {}
    exited: set[int] = set()
    for hh, before, after, procedure, action, date in StatusEvent.objects.order_by(
        "household_id", "date", "id"
    ).values_list("household_id", "status_before", "status_after", "procedure", "action", "date"):
        if hh not in households:
            continue
        first_before.setdefault(hh, before)
        if date <= dt.date(year, 12, 31):
            status[hh] = after
            if procedure == "exit" and action == "approve":
                exited.add(hh)
    status_then = {hid: status.get(hid, first_before.get(hid, h["status"])) for hid, h in households.items()}
    poor = [h for hid, h in households.items() if status_then[hid] == "poor"]
    return {
        "poor.households": len(poor),
        "poor.people": sum(h["size"] for h in poor),
        "counties_with_task.count": len({h["village__code"][:6] for h in poor}),
        "poor.people_lifted_cumulative": sum(households[h]["size"] for h in exited),
        "status": status_then,
    }


def _income_figures(year: int, area_prefix: str, status: dict[int, str]) -> dict[str, object]:
    """Headcount ratio and the targeting check's counts, from the income records through
    the ORM: per capita net income (the registry's own rounding) against the year's line."""
    from fupin.registry.models import IncomeRecord

    line = Decimal("1196")  # the national line of 2008 and 2009, the only line the demo has
    people = poor_people = above = below = 0
    for record in IncomeRecord.objects.filter(year=year, household__village__code__startswith=area_prefix):
        per_capita = record.per_capita_net_income
        people += record.household_size
        if per_capita < line:
            poor_people += record.household_size
        if status[record.household_id] == "poor" and per_capita >= line * Decimal("1.5"):
            above += 1
        if status[record.household_id] != "poor" and per_capita < line:
            below += 1
    return {"fgt0": poor_people / people, "population": people, "poor_above_line": above, "not_poor_below_line": below}


def _program_figures(year: int, prefix: str) -> dict[str, object]:
    """Village advancement in an area, summed in Python from the ORM: the plans of the
    batch whose years include ``year``, their projects' disbursements dated in the year,
    their labour, and their industrial projects' beneficiaries who were ever poor."""
    from fupin.funds.models import Entry
    from fupin.programs.models import Beneficiary, LabourInput, Project, VillagePlan
    from fupin.registry.models import StatusEvent

    plans = VillagePlan.objects.filter(village__code__startswith=prefix)
    batch = plans.filter(batch__start_year__lte=year, batch__end_year__gte=year)
    projects = Project.objects.filter(plan__in=batch)
    paid: dict[str, float] = {}
    for e in Entry.objects.filter(kind="disbursement", date__year=year, project__in=projects):
        paid[e.source] = paid.get(e.source, 0) + float(e.amount)
    industry = projects.filter(category="industry")
    identified = StatusEvent.objects.filter(
        procedure="identification", status_after="poor", date__lte=dt.date(year, 12, 31)
    ).values("household")
    reached = Beneficiary.objects.filter(project__in=industry, year__lte=year, household__in=identified)
    integrated = sum(v for k, v in paid.items() if k not in ("own", "labour"))
    return {
        "evap.villages_completed_cumulative": plans.filter(accepted_on__year__lte=year).count(),
        "evap.batch_villages_completed": batch.filter(accepted_on__year=year).count(),
        "evap.funds.fiscal": paid.get("central", 0) + paid.get("provincial", 0),
        "evap.funds.social": paid.get("social_grant", 0) + paid.get("social_investment", 0),
        "evap.funds.integrated_total": integrated,
        "evap.funds.avg_per_village": integrated / batch.count() if batch.count() else None,
        "evap.labor_participants": sum(
            LabourInput.objects.filter(project__in=projects, year=year).values_list("persons", flat=True)
        ),
        "evap.industrial.poor_households": reached.values("household").distinct().count(),
    }


@pytest.fixture(scope="module")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo at a small scale, frozen as of the end of 2009, and the registry's own
    figures, all inside a transaction that is rolled back: the snapshot stays on disk."""
    root = tmp_path_factory.mktemp("snapshots")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", scale=SCALE, seed=3, stdout=open(os.devnull, "w"))  # noqa: SIM115
        snapshot = take_snapshot(as_of=dt.date(2009, 12, 31), root=root)
        expected = {
            (year, prefix): _registry_figures(year, prefix) for year in (2008, 2009) for prefix in ("23", YANSHOU[:6])
        }
        for (year, prefix), figures in expected.items():
            figures["income"] = _income_figures(year, prefix, figures["status"])
            figures["programs"] = _program_figures(year, prefix)
        transaction.set_rollback(True)
    return snapshot, expected


def _values(engine: Engine, year: int, area: str) -> dict[str, object]:
    return {v.indicator.id: v.value for v in evaluate(engine.scope(year=year, area=area))}


def test_snapshot_files_and_manifest(demo_snapshot):
    snapshot, _ = demo_snapshot
    manifest = json.loads((snapshot.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2009-12-31"
    # every table the apps registered is in the snapshot, the registry's and programs' among them
    assert set(manifest["tables"]) == set(analytics_registry.TABLES)
    assert {
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
    } <= set(manifest["tables"])
    assert manifest["tables"]["households"]["rows"] > 0
    # partitioned, year-stamped facts
    assert {p.name for p in (snapshot.path / "incomes").iterdir()} == {"part=2008", "part=2009"}
    assert all(p.name.startswith("part=23") for p in (snapshot.path / "households").iterdir())
    assert open_snapshot(snapshot.path).manifest == manifest


@pytest.mark.parametrize("year", [2008, 2009])
@pytest.mark.parametrize("area", ["230000000000", YANSHOU])
def test_indicators_equal_the_registry(demo_snapshot, year, area):
    snapshot, expected = demo_snapshot
    values = _values(Engine(snapshot), year, area)
    prefix = "23" if area == "230000000000" else area[:6]
    for key, figure in expected[(year, prefix)].items():
        if key not in ("status", "income", "programs"):
            assert values[key] == figure, key
    for key, figure in expected[(year, prefix)]["programs"].items():
        assert values[key] == pytest.approx(figure, abs=0.005), key


def test_overview_reproduces_the_seed_at_scale(demo_snapshot):
    snapshot, _ = demo_snapshot
    values = _values(Engine(snapshot), 2009, "230000000000")
    seed = seed_values()
    for key in OVERVIEW_COMPUTED:
        assert values[key] == seed_at_scale(key, seed[key], SCALE), key


def test_program_sections_reproduce_the_seed_at_scale(demo_snapshot):
    """Every indicator of entire village advancement and contiguous development, computed
    by the engine from the demo's records, is the seed's (household counts scaled)."""
    snapshot, _ = demo_snapshot
    values = _values(Engine(snapshot), 2009, "230000000000")
    seed = seed_values()
    chosen = [i for i in indicators().values() if i.section in PROGRAM_SECTIONS]
    assert len(chosen) == 7 + 25 + 3  # the batch, its outputs, contiguous development
    for indicator in chosen:
        assert values[indicator.id] == seed_at_scale(indicator.id, seed[indicator.id], SCALE), indicator.id


def test_unrecorded_indicators_are_not_available_with_a_reason(demo_snapshot):
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    data = report.as_json("en")
    by_id = {row["id"]: row for row in data["indicators"]}
    assert list(by_id) == list(indicators())
    for key, row in by_id.items():
        assert row["year"] == 2009 and row["area"] == "230000000000" and row["unit"]
        if key in OVERVIEW_COMPUTED or row["section"] in PROGRAM_SECTIONS or key in analytics_registry.COMPUTE:
            # the figures of the apps installed (the demo fills them)
            assert row["available"] and row["value"] is not None, key
        else:
            assert row["available"] is False and row["value"] is None
            assert row["reason"] and "not recorded" in row["reason"], key
    zh = {row["id"]: row for row in report.as_json("zh-hans")["indicators"]}
    # social assistance is computed now (the assistance app); what is still not computed has its reason in Chinese
    assert zh["social.funds_total"]["available"] and zh["social.funds_total"]["reason"] is None
    for row in zh.values():
        if not row["available"]:
            assert row["reason"].endswith("尚未录入系统。"), row["id"]


def test_html_report_has_the_seed_sections_in_order(demo_snapshot):
    snapshot, _ = demo_snapshot
    report = annual_report(year=2009, snapshot=snapshot)
    english = report.render_html("en")
    # the seed's own section titles, verbatim (shared/seed/heilongjiang-2009.txt)
    titles = [
        "Overview",
        "Entire Village Advancement",
        "Poverty alleviation training",
        "Poverty alleviation by industrialization",
        "Pilot program of mutual funds",
        "Pilot program of poverty alleviation loan discount management system reform",
        "Pilot contiguous development projects",
        "Large-scale operation through land transfer in impoverished villages",
        "Social poverty alleviation",
        "Poverty alleviation measures",
    ]
    positions = [english.index(f"【{t}】") for t in titles]
    assert positions == sorted(positions)
    poor = round(692_000 * SCALE)
    assert f"there were {poor:,} poor households" in english
    chinese = report.render_html("zh-hans")
    assert "【概况】" in chinese and "【整村推进】" in chinese
    assert f"贫困户{poor}户" in chinese  # Chinese figures are not grouped by thousands


def test_an_area_report_counts_only_that_area(demo_snapshot):
    snapshot, expected = demo_snapshot
    data = annual_report(year=2009, area=YANSHOU, snapshot=snapshot).as_json("en")
    values = {row["id"]: row for row in data["indicators"]}
    assert data["area"]["code"] == YANSHOU
    assert values["poor.households"]["value"] == expected[(2009, YANSHOU[:6])]["poor.households"]
    assert values["key_counties.count"]["value"] == 1
    assert values["admin.prefecture_cities"]["value"] == 0
    # the county has no reference figures recorded: not available, not zero
    assert values["province.population"]["available"] is False
    assert values["province.population"]["value"] is None


def test_duckdb_and_spark_give_the_same_indicators(demo_snapshot, spark_backend):
    snapshot, _ = demo_snapshot
    duck = Engine(snapshot)
    spark = Engine(snapshot, spark_backend)
    for year, area in ((2009, "230000000000"), (2008, YANSHOU)):
        assert _values(spark, year, area) == _values(duck, year, area)


def test_a_snapshot_is_reused_until_the_registry_changes(db, settings, tmp_path, make_household, yanshou_village):
    settings.DATA_DIR = tmp_path
    as_of = dt.date(2009, 12, 31)
    first = snapshot_for(as_of)
    assert latest_current(as_of) is not None
    again = snapshot_for(as_of)
    assert again.manifest["taken_at"] == first.manifest["taken_at"]
    make_household(yanshou_village)
    assert latest_current(as_of) is None
    fresh = snapshot_for(as_of)
    assert fresh.manifest["taken_at"] != first.manifest["taken_at"]
    assert fresh.manifest["tables"]["households"]["rows"] == first.manifest["tables"]["households"]["rows"] + 1


def _parquet_schema(snapshot, name: str) -> list[tuple[str, str]]:
    """The columns and types of a snapshot table, the same in each of its files."""
    import pyarrow.parquet as pq

    path = snapshot.table_path(name)
    files = [path] if path.is_file() else sorted(path.rglob("*.parquet"))
    schemas = {tuple((f.name, str(f.type)) for f in pq.read_schema(file)) for file in files}
    assert len(schemas) == 1, (name, schemas)
    return list(schemas.pop())


def test_a_registry_only_snapshot_keeps_every_tables_schema(demo_snapshot, tmp_path, make_household, yanshou_village):
    """A new province's database: households and members, and nothing else (no income,
    status event, programme or fund). Every source is read with its declared types, and
    every table is written with the columns and types it has when the demo fills it."""
    from fupin.analytics.snapshot import _sources, read_sources

    make_household(yanshou_village, per_capita=None)
    as_of = dt.date(2009, 12, 31)
    sources = _sources(as_of)
    read = read_sources(sources)
    for source in sources:
        assert read[source.name].schema == pa.schema(list(source.columns.items())), source.name
    empty = take_snapshot(as_of=as_of, root=tmp_path)
    assert empty.manifest["tables"]["households"]["rows"] == 1
    assert empty.manifest["tables"]["incomes"]["rows"] == empty.manifest["tables"]["fund_entries"]["rows"] == 0
    full, _ = demo_snapshot
    assert set(empty.manifest["tables"]) == set(full.manifest["tables"])
    for name in full.manifest["tables"]:
        assert _parquet_schema(empty, name) == _parquet_schema(full, name), name


def test_cli_demo_then_report(scratch_database, tmp_path):
    """The issue's check, as a user runs it: `fupin demo --scale 0.01 --seed 1 && fupin
    report annual --year 2009 --format json`, on a database of its own."""
    env = scratch_database
    fupin = [sys.executable, "-m", "fupin"]

    def run(*args: str) -> str:
        done = subprocess.run([*fupin, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"fupin {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    run("migrate", "-v", "0")
    run("demo", "--scale", "0.01", "--seed", "1")
    out = run("report", "annual", "--year", "2009", "--format", "json")
    data = json.loads(out)
    values = {row["id"]: row for row in data["indicators"]}
    seed = seed_values()
    programs = [key for key, row in values.items() if row["section"] in PROGRAM_SECTIONS]
    for key in OVERVIEW_COMPUTED + programs:
        assert values[key]["value"] == seed_at_scale(key, seed[key], 0.01), key
    html = tmp_path / "report.html"
    run("report", "annual", "--year", "2009", "--format", "html", "--lang", "en", "-o", str(html))
    assert "【Overview】" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2008, 2009])
@pytest.mark.parametrize("area", ["230000000000", YANSHOU])
def test_measures_and_targeting_equal_the_income_records(demo_snapshot, year, area):
    snapshot, expected = demo_snapshot
    figures = expected[(year, "23" if area == "230000000000" else area[:6])]["income"]
    scope = Engine(snapshot).scope(year=year, area=area)
    [row] = measures(scope)
    assert row["area"] == area
    assert row["population"] == figures["population"]
    assert row["fgt0"] == pytest.approx(figures["fgt0"], abs=1e-12)
    assert 0 < row["fgt2"] < row["fgt1"] < row["fgt0"] < 1
    review = targeting_check(scope, margin=0.5, limit=5)
    assert review["poor_above_line"] == figures["poor_above_line"]
    assert review["not_poor_below_line"] == figures["not_poor_below_line"]
    assert len(review["poor_above"]) == min(5, figures["poor_above_line"])
    ratios = [h["ratio"] for h in review["poor_above"]]
    assert ratios == sorted(ratios, reverse=True) and all(r >= 1.5 for r in ratios)


def test_measures_by_county_decompose_the_province(demo_snapshot):
    snapshot, _ = demo_snapshot
    scope = Engine(snapshot).scope(year=2009)
    [total] = measures(scope)
    counties = measures(scope, by="county")
    assert sum(r["population"] for r in counties) == total["population"]
    parts = decomposition(scope, by="county")
    assert [p["area"] for p in parts] == [c["area"] for c in counties]
    assert sum(p["share"] * p["fgt1"] for p in parts) == pytest.approx(total["fgt1"], rel=1e-12)
    assert sum(p["contribution_fgt0"] for p in parts) == pytest.approx(1.0, rel=1e-12)
    assert all(p["name"] for p in parts)
    # a line given by the user replaces the year's lines
    [higher] = measures(scope, line=2000)
    assert higher["fgt0"] > total["fgt0"]


@pytest.mark.parametrize("area", ["230000000000", YANSHOU])
def test_status_flows_follow_the_households(demo_snapshot, area):
    snapshot, expected = demo_snapshot
    prefix = "23" if area == "230000000000" else area[:6]
    before, after = expected[(2008, prefix)]["status"], expected[(2009, prefix)]["status"]
    counts = {"still_poor": 0, "new_poor": 0, "returned": 0, "exited": 0}
    for hid, now in after.items():
        was = before[hid]
        if now == "poor":
            counts["still_poor" if was == "poor" else "returned" if was == "exited" else "new_poor"] += 1
        elif was == "poor" and now == "exited":
            counts["exited"] += 1
    [row] = status_flows(Engine(snapshot).scope(year=2009, area=area))
    assert {k: row[f"{k}_households"] for k in counts} == counts
    assert counts["exited"] > 0 and counts["still_poor"] > 0
    assert (
        row["still_poor_households"] + row["new_poor_households"] + row["returned_households"]
        == (expected[(2009, prefix)]["poor.households"])
    )


# --- web and API ---------------------------------------------------------------------------


@pytest.fixture
def small_registry(settings, tmp_path, make_household, yanshou_village, bayan_village):
    settings.DATA_DIR = tmp_path
    make_household(yanshou_village, per_capita="800")
    make_household(yanshou_village, per_capita="3000", size=2)
    make_household(bayan_village, per_capita="1000", size=4)


def test_report_pages_in_both_languages(client, small_registry, province_user):
    from tests.conftest import PASSWORD

    client.login(username=province_user.username, password=PASSWORD)
    page = client.get("/reports/annual/", {"year": 2009}).content.decode()
    assert "【概况】" in page and "【社会扶贫】" in page
    client.cookies["django_language"] = "en"
    page = client.get("/reports/annual/", {"year": 2009}).content.decode()
    assert "【Overview】" in page and "【Social poverty alleviation】" in page
    data = client.get("/reports/annual/", {"year": 2009, "format": "json"}).json()
    assert {r["id"]: r["value"] for r in data["indicators"]}["key_counties.count"] == 0  # no flags in this registry
    measures_page = client.get("/reports/measures/", {"year": 2009, "by": "county"}).content.decode()
    monetary, multidimensional = measures_page.split('<table class="mpi">')
    assert monetary.count("data-area=") == 2 and multidimensional.count("data-area=") == 2
    assert "Multidimensional poverty" in measures_page
    assert "Headcount ratio" in measures_page
    dynamics = client.get("/reports/dynamics/", {"year": 2009}).content.decode()
    assert "Targeting check" in dynamics


def test_report_pages_keep_to_the_users_areas(client, small_registry, county_user):
    from tests.conftest import PASSWORD, QIQIHAR_TAILAI

    client.login(username=county_user.username, password=PASSWORD)
    assert client.get("/reports/annual/", {"year": 2009}).status_code == 200
    for url in ("/reports/annual/", "/reports/measures/", "/reports/dynamics/"):
        assert client.get(url, {"year": 2009, "area": QIQIHAR_TAILAI}).status_code == 403, url
    assert client.get("/reports/measures/", {"year": 2009, "line": "-1"}).status_code == 400


def test_api_measures_and_report(small_registry, province_user, county_user):
    from tests.testing import api

    client = api(province_user)
    data = client.get("/api/measures/", {"year": 2009, "by": "county"}).json()
    assert [r["area"] for r in data["results"]] == ["230126000000", "230129000000"]
    yanshou = data["results"][1]
    assert yanshou["population"] == 5 and yanshou["poor"] == 3  # 3 people at 800 yuan, 2 at 3,000
    assert yanshou["fgt0"] == pytest.approx(3 / 5)
    assert yanshou["fgt1"] == pytest.approx(3 / 5 * (1196 - 800) / 1196)
    inclusive = client.get("/api/measures/", {"year": 2009, "line": 800, "inclusive": "true"}).json()["results"][0]
    assert inclusive["poor"] == 3
    strict = client.get("/api/measures/", {"year": 2009, "line": 800}).json()["results"][0]
    assert strict["poor"] == 0
    report = client.get("/api/reports/annual/", {"year": 2009, "lang": "en"}).json()
    assert report["area"]["code"] == "230000000000" and report["language"] == "en"
    flows = client.get("/api/dynamics/", {"year": 2009, "by": "county"}).json()
    assert len(flows["results"]) == 2
    review = client.get("/api/targeting/", {"year": 2009, "margin": 1}).json()
    assert review["poor_above_line"] == 0 and review["not_poor_below_line"] == 2  # 800 and 1,000 yuan, never identified
    bad = client.get("/api/measures/", {"year": 2009, "decompose": "true"})
    assert bad.status_code == 400 and bad.json()["field"] == "by"
    # a county officer's default area is their county; the province is outside it
    county = api(county_user)
    assert county.get("/api/reports/annual/", {"year": 2009}).json()["area"]["code"] == county_user.areas.get().code
    assert county.get("/api/measures/", {"year": 2009, "area": "230000000000"}).status_code == 403
