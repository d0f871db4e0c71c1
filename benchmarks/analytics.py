"""Analytics benchmark, in one process against one database (SQLite or $DATABASE_URL).

1. Snapshot and report: a fresh snapshot of the demo as of 31 December 2009, then the
   province's full annual report for 2009 as JSON.
2. Measures by county: the poverty and inequality measures of every county for 2009 at the
   national line, from the same snapshot's Parquet files in the same process, three ways:

   - Fupin: ``measures(engine.scope(year=2009), by="county")`` on one ``Engine`` reused
     for every call, as a web process reuses it (Ibis expression, compiled and run on
     DuckDB, names attached);
   - hand-written DuckDB SQL, the floor: one query (CTEs, one window) on a plain
     ``duckdb.connect()`` over the same files;
   - pandas, what an analyst would write: read the files, merge, and a per-county numpy
     function (sort, cumsum) under ``groupby().apply``.

   All three must agree with Fupin on every column of every county (relative tolerance
   1e-9, NULL and NaN alike) before any time is printed; otherwise the benchmark fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")

import django

django.setup()

import duckdb
import numpy as np
import pandas as pd
from django.core.management import call_command
from django.db import connection

from fupin.analytics.engine import Engine
from fupin.analytics.report import annual_report
from fupin.analytics.selectors import MEASURE_COLUMNS, measures
from fupin.analytics.snapshot import Snapshot, take_snapshot
from fupin.geo.services import areas_load, read_area_file
from fupin.registry.models import Household

YEAR = 2009
AS_OF = dt.date(2009, 12, 31)
COLUMNS = ["households", "population", "poor", *MEASURE_COLUMNS]
Rows = list[dict[str, Any]]


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The first call (the warm-up) and the best of ``repeat`` calls after it, in seconds."""
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return first, best


def setup(scale: float) -> None:
    call_command("migrate", verbosity=0)
    areas_load(rows=read_area_file())
    if not Household.objects.exists():
        call_command("demo", scale=scale, seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115


def check_lines(snapshot: Snapshot) -> None:
    """The SQL and pandas versions apply the national line everywhere, as Fupin does only when
    no province or city has a line of its own for the year."""
    lines = pd.read_parquet(snapshot.table_path("poverty_lines"))
    lines = lines[lines["year"] == YEAR]
    if set(lines["scope"]) != {"national"}:
        sys.exit(f"the benchmark assumes only a national line for {YEAR}; the snapshot has {lines.to_dict('records')}")


# --- Fupin -----------------------------------------------------------------------------------


def fupin_measures(engine: Engine) -> Rows:
    return measures(engine.scope(year=YEAR), by="county")


# --- hand-written DuckDB SQL (the floor) ---------------------------------------------------------

# With one line the poor are the prefix of the income order, so one cumulative window gives
# the Gini, the Gini of the poor (Sen) and the order of the gaps (SST).
SQL = """
WITH line AS (
    SELECT amount AS z FROM read_parquet('{lines}') WHERE year = {year} AND scope = 'national'
),
rows AS (
    SELECT h.county_code AS county,
           round(i.net_income / i.household_size, 2) AS y,
           i.household_size::DOUBLE AS w,
           line.z
    FROM read_parquet('{incomes}/*/*.parquet', hive_partitioning = true) i
    JOIN read_parquet('{households}/*/*.parquet', hive_partitioning = true) h ON h.id = i.household_id
    CROSS JOIN line
    WHERE i.part = {year} AND i.year = {year}
),
ranked AS (
    SELECT county, y, w, z,
           y < z AS poor,
           CASE WHEN y < z THEN (z - y) / z ELSE 0 END AS g,
           CASE WHEN y > 0 THEN ln(y) END AS lny,
           sum(w) OVER (PARTITION BY county ORDER BY y ROWS UNBOUNDED PRECEDING) AS c
    FROM rows
),
sums AS (
    SELECT county,
           count(*) AS households,
           sum(w) AS pop,
           sum(CASE WHEN poor THEN w ELSE 0 END) AS poor,
           sum(w * g) AS s1,
           sum(w * g * g) AS s2,
           coalesce(sum(w * (ln(z) - lny)) FILTER (poor), 0) AS watts,
           sum(w * y) AS wy,
           sum(w * y * (2 * c - w)) AS a,
           sum(w) FILTER (y > 0) AS wpos,
           sum(w * y) FILTER (y > 0) AS wypos,
           sum(w * lny) AS wlny,
           sum(w * y * lny) AS wylny,
           sum(w * sqrt(y)) FILTER (y > 0) AS w_sqrt_y,
           sum(w / y) FILTER (y > 0) AS w_inv_y,
           sum(w * y / z) FILTER (poor) AS rel_p,
           sum(w * y / z * (2 * c - w)) FILTER (poor) AS a_p,
           coalesce(sum(w * g * c) FILTER (poor), 0) AS g_c,
           coalesce(sum(w * w * g) FILTER (poor), 0) AS g_w2
    FROM ranked
    GROUP BY county
)
SELECT s.county AS area, a.name, a.name_en, households, pop AS population, poor,
       poor / pop AS fgt0,
       s1 / pop AS fgt1,
       s2 / pop AS fgt2,
       watts / pop AS watts,
       CASE WHEN poor > 0 THEN s1 / pop + (a_p / poor - rel_p) / pop ELSE 0 END AS sen,
       (2 * pop * s1 - 2 * g_c + g_w2) / (pop * pop) AS sst,
       CASE WHEN wy > 0 THEN a / (pop * wy) - 1 END AS gini,
       wylny / wypos - ln(wypos / wpos) AS theil_t,
       ln(wypos / wpos) - wlny / wpos AS theil_l,
       1 - (w_sqrt_y / wpos) ** 2 / (wypos / wpos) AS atkinson_0_5,
       1 - exp(wlny / wpos - ln(wypos / wpos)) AS atkinson_1,
       1 - wpos / w_inv_y / (wypos / wpos) AS atkinson_2
FROM sums s
LEFT JOIN read_parquet('{areas}') a ON a.code = s.county
ORDER BY s.county
"""


def sql_floor(snapshot: Snapshot) -> Callable[[], Rows]:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")  # as Fupin's engine sets it
    query = SQL.format(
        year=int(YEAR),
        lines=snapshot.table_path("poverty_lines"),
        incomes=snapshot.table_path("incomes"),
        households=snapshot.table_path("households"),
        areas=snapshot.table_path("areas"),
    )

    def run() -> Rows:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return run


# --- pandas (what an analyst would write) ------------------------------------------------------


def round_cents(values: pd.Series) -> pd.Series:
    """Round to the fen half away from zero, as the registry (and SQL's ROUND) does; numpy's
    round goes half to even."""
    scaled = values.to_numpy() * 100
    whole = np.trunc(scaled)
    return pd.Series((whole + np.where(np.abs(scaled - whole) >= 0.5, np.sign(scaled), 0)) / 100, index=values.index)


def weighted_gini(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    c = np.cumsum(w)
    return float((w * x * (2 * c - w)).sum() / (w.sum() * (w * x).sum()) - 1)


def county_measures(group: pd.DataFrame, z: float) -> pd.Series:
    group = group.sort_values("y")
    y = group["y"].to_numpy()
    w = group["w"].to_numpy()
    pop = w.sum()
    poor = y < z
    gap = np.where(poor, (z - y) / z, 0.0)
    fgt0 = w[poor].sum() / pop
    fgt1 = (w * gap).sum() / pop
    fgt2 = (w * gap**2).sum() / pop
    counted = poor & (y > 0)
    watts = (w[counted] * np.log(z / y[counted])).sum() / pop
    if poor.any():
        income_gap_ratio = fgt1 / fgt0
        sen = fgt0 * (income_gap_ratio + (1 - income_gap_ratio) * weighted_gini(y[poor] / z, w[poor]))
        sst = fgt1 * (1 + weighted_gini(gap, w))
    else:
        sen = sst = 0.0
    pos = y > 0
    yp, wp = y[pos], w[pos]
    mu = np.average(yp, weights=wp)
    return pd.Series(
        {
            "households": len(y),
            "population": pop,
            "poor": w[poor].sum(),
            "fgt0": fgt0,
            "fgt1": fgt1,
            "fgt2": fgt2,
            "watts": watts,
            "sen": sen,
            "sst": sst,
            "gini": weighted_gini(y, w),
            "theil_t": np.average(yp / mu * np.log(yp / mu), weights=wp),
            "theil_l": np.average(np.log(mu / yp), weights=wp),
            "atkinson_0_5": 1 - np.average(np.sqrt(yp / mu), weights=wp) ** 2,
            "atkinson_1": 1 - np.exp(np.average(np.log(yp), weights=wp)) / mu,
            "atkinson_2": 1 - 1 / np.average(mu / yp, weights=wp),
        }
    )


def pandas_measures(snapshot: Snapshot) -> Rows:
    lines = pd.read_parquet(snapshot.table_path("poverty_lines"))
    z = float(lines.loc[(lines["year"] == YEAR) & (lines["scope"] == "national"), "amount"].iloc[0])
    incomes = pd.read_parquet(
        snapshot.table_path("incomes"),
        columns=["household_id", "net_income", "household_size"],
        filters=[("year", "==", YEAR)],
    )
    households = pd.read_parquet(snapshot.table_path("households"), columns=["id", "county_code"])
    areas = pd.read_parquet(snapshot.table_path("areas"), columns=["code", "name", "name_en"])
    df = incomes.merge(households, left_on="household_id", right_on="id")
    df["y"] = round_cents(df["net_income"] / df["household_size"])
    df["w"] = df["household_size"].astype(float)
    result = df.groupby("county_code")[["y", "w"]].apply(county_measures, z=z).reset_index()
    result = result.merge(areas, left_on="county_code", right_on="code", how="left")
    result = result.rename(columns={"county_code": "area"})[["area", "name", "name_en", *COLUMNS]]
    return result.to_dict("records")


# --- agreement ----------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def disagreements(expected: Rows, actual: Rows, label: str) -> list[str]:
    """Where ``actual`` differs from Fupin's rows: counties missing on either side, and every
    column outside a relative tolerance of 1e-9 (NULL, None and NaN are the same)."""
    want = {r["area"]: r for r in expected}
    got = {r["area"]: r for r in actual}
    problems = [f"{label}: county {code} only in Fupin" for code in sorted(want.keys() - got.keys())]
    problems += [f"{label}: county {code} not in Fupin" for code in sorted(got.keys() - want.keys())]
    for code in sorted(want.keys() & got.keys()):
        for column in COLUMNS:
            a, b = want[code][column], got[code][column]
            if _missing(a) or _missing(b):
                same = _missing(a) and _missing(b)
            else:
                same = math.isclose(float(a), float(b), rel_tol=1e-9)
            if not same:
                problems.append(f"{label}: county {code} {column}: Fupin {a!r}, {label} {b!r}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls after one warm-up; the best counts")
    args = parser.parse_args()
    setup(args.scale)
    print(f"database: {connection.vendor}; demo scale {args.scale}")

    t = time.perf_counter()
    snapshot = take_snapshot(as_of=AS_OF)
    snap_s = time.perf_counter() - t
    t = time.perf_counter()
    report = annual_report(year=YEAR, snapshot=snapshot).as_json("zh-hans")
    report_s = time.perf_counter() - t
    rows = ", ".join(f"{name} {info['rows']:,}" for name, info in snapshot.manifest["tables"].items())
    print(f"snapshot as of {AS_OF}: {snap_s:.2f} s ({rows})")
    print(f"annual report {YEAR}, province, JSON: {report_s:.2f} s ({len(report['indicators'])} indicators)")
    print(f"snapshot + JSON report: {snap_s + report_s:.2f} s (goal at --scale 1: under 10 s)")

    check_lines(snapshot)
    engine = Engine(snapshot)
    sql = sql_floor(snapshot)
    fupin_rows = fupin_measures(engine)
    problems = disagreements(fupin_rows, sql(), "SQL") + disagreements(fupin_rows, pandas_measures(snapshot), "pandas")
    if problems:
        print(f"the three disagree ({len(problems)} differences):", *problems[:20], sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(
        f"measures by county {YEAR}: {len(fupin_rows)} counties, {len(COLUMNS)} columns each; "
        "Fupin, SQL and pandas agree (relative tolerance 1e-9)"
    )

    fupin_first, fupin_s = timed(lambda: fupin_measures(engine), args.repeat)
    sql_first, sql_s = timed(sql, args.repeat)
    pandas_first, pandas_s = timed(lambda: pandas_measures(snapshot), args.repeat)
    best = f"best of {args.repeat} after a warm-up"
    print(f"  Fupin (one Engine reused): {fupin_s * 1000:.0f} ms ({best}; first call {fupin_first * 1000:.0f} ms)")
    print(f"  hand-written DuckDB SQL:   {sql_s * 1000:.0f} ms (first call {sql_first * 1000:.0f} ms)")
    print(f"  pandas + numpy:            {pandas_s * 1000:.0f} ms (first call {pandas_first * 1000:.0f} ms)")
    print(f"  goal at --scale 1: Fupin under 2 s; at {args.scale}: {fupin_s:.2f} s")
    fupin_sql, pandas_fupin = fupin_s / sql_s, pandas_s / fupin_s
    print(
        f"  ratio fupin/sql = {fupin_sql:.2f} (goal: at most 1.5, {'met' if fupin_sql <= 1.5 else 'missed'}); "
        f"ratio pandas/fupin = {pandas_fupin:.1f} (goal: at least 10, {'met' if pandas_fupin >= 10 else 'missed'})"
    )


if __name__ == "__main__":
    main()
