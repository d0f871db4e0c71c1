"""The path a new province takes: a fresh database, ``fupin migrate`` (which loads the
shipped administrative tree), an import of its registry (households, members, incomes,
status events; no programmes or funds yet), then the snapshot, the annual report and the
measures, from the command line, the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys

import pyarrow as pa
import pytest

from fupin.analytics.snapshot import Source, _read_sqlite
from tests.conftest import BAYAN, PASSWORD, YANSHOU, walk

pytestmark = pytest.mark.django_db

REGISTRY = ["households", "helpers", "members", "incomes", "status_events"]
PAGES = [
    "/reports/annual/?year=2009",
    "/reports/annual/?year=2009&format=json",
    "/reports/measures/?year=2009",
    "/reports/measures/?year=2009&by=county",
    "/api/reports/annual/?year=2009",
    "/api/measures/?year=2009",
    "/api/measures/?year=2009&by=county",
]
# The pages and the API, asked by a province officer in a process of the real settings
PAGES_SCRIPT = f"""
import json
from django.test import Client
from fupin.accounts.models import User
client = Client()
client.force_login(User.objects.get(username="province"))
print(json.dumps({{url: client.get(url).status_code for url in {PAGES!r}}}))
"""


def test_adbc_sqlite_reads_keep_the_declared_types(tmp_path):
    """ADBC's SQLite driver types a column it saw no value in (an empty result, or NULL in
    every row) as an integer; the reader still returns the declared types."""
    path = tmp_path / "t.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (d DATE, n INTEGER, x REAL, s TEXT, b BOOL)")
    columns = {"d": pa.date32(), "n": pa.int32(), "x": pa.float64(), "s": pa.string(), "b": pa.bool_()}
    source = Source("t", columns, "SELECT d, n, x, s, b FROM t")
    empty = _read_sqlite(str(path), [source], 1)["t"]
    assert empty.num_rows == 0 and empty.schema == pa.schema(list(columns.items()))
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO t VALUES (NULL, ?, NULL, NULL, NULL)", [(i,) for i in range(3)])
    nulls = _read_sqlite(str(path), [source], 1)["t"]
    assert nulls.schema == pa.schema(list(columns.items()))
    assert nulls.column("n").to_pylist() == [0, 1, 2] and nulls.column("d").null_count == 3


def _registry_package(target, make_household, actor) -> dict[str, int]:
    """A small registry exported by the exporter: four households in two counties, two of
    them (below the line) identified as poor in 2009, each with its 2009 income."""
    from fupin.exchange.exporter import export_package
    from tests.conftest import _first_village

    households = [
        make_household(_first_village(YANSHOU), size=3, per_capita="800"),
        make_household(_first_village(YANSHOU), size=2, per_capita="3000"),
        make_household(_first_village(BAYAN), size=4, per_capita="1000"),
        make_household(_first_village(BAYAN), size=1, per_capita="5000"),
    ]
    for household in (households[0], households[2]):
        walk(household, actor, "identification", dt.date(2009, 3, 1))
    return export_package(target, entities=REGISTRY)


def test_a_new_province_imports_its_registry_and_gets_its_report(
    scratch_database, tmp_path, make_household, province_user
):
    """On a database of its own (a SQLite file, or a new PostgreSQL database in the
    PostgreSQL suite): migrate, import a registry-only package, then every analytics
    command succeeds, and the report's pages and API answer."""
    package = tmp_path / "package"
    exported = _registry_package(package, make_household, province_user)
    assert exported["households"] == 4 and exported["status_events"] > 0
    env = scratch_database
    fupin = [sys.executable, "-m", "fupin"]

    def run(*args: str) -> str:
        done = subprocess.run([*fupin, *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"fupin {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run("migrate", "-v", "0")
    assert "areas: 0 created, 0 updated" in run("load_areas")  # the migration loaded the whole file
    imported = run("import", str(package))
    assert "households: 4 new" in imported and "members: 10 new" in imported
    snapshot = run("snapshot")
    assert "fund_entries: 0 rows" in snapshot and "projects: 0 rows" in snapshot

    report = json.loads(run("report", "annual", "--year", "2009", "--format", "json", "--lang", "en"))
    values = {row["id"]: row for row in report["indicators"]}
    # the registry's indicators are computed
    assert values["poor.households"]["value"] == 2
    assert values["poor.people"]["value"] == 3 + 4
    assert values["counties_with_task.count"]["value"] == 2
    assert values["admin.prefecture_cities"]["value"] == 12
    # a count or a sum over no programme records is zero; a mean or a ratio over nothing
    # is not available, and says why
    for key in ("evap.batch_villages_completed", "evap.funds.fiscal", "evap.funds.integrated_total"):
        assert values[key]["value"] == 0 and values[key]["available"], key
    for key in ("evap.funds.avg_per_village", "evap.per_capita_income"):
        assert values[key]["value"] is None and not values[key]["available"], key
        assert values[key]["reason"] == "There are no records to compute this figure from for this area and year."

    [province] = json.loads(run("measures", "--year", "2009", "--format", "json"))
    assert province["households"] == 4 and province["population"] == 10
    assert province["poor"] == 3 + 4  # 800 and 1,000 yuan a person, below the line of 1,196
    by_county = json.loads(run("measures", "--year", "2009", "--by", "county", "--format", "json"))
    assert [row["area"] for row in by_county] == [BAYAN, YANSHOU]

    run("user_add", "province", "--password", PASSWORD, "--role", "province", "--area", "230000000000")
    statuses = json.loads(run("shell", "-c", PAGES_SCRIPT).strip().splitlines()[-1])
    assert statuses == dict.fromkeys(PAGES, 200)


def test_an_empty_registry_still_gets_its_report(client, settings, tmp_path, province_user):
    """Right after the migrations (the tree, the national poverty lines, nothing else),
    the report and the measures already answer, with zeros and "not available"."""
    settings.DATA_DIR = tmp_path
    client.login(username=province_user.username, password=PASSWORD)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    report = client.get("/api/reports/annual/", {"year": 2009}).json()
    values = {row["id"]: row["value"] for row in report["indicators"]}
    assert values["poor.households"] == 0 and values["evap.funds.avg_per_village"] is None
