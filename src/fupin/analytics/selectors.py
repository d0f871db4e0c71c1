"""What the analytics pages, the API and the commands read: poverty measures, status flows
and the targeting check, for an area and a year, on a snapshot.

Each is one Ibis expression built on a ``Scope`` and run by the scope's backend; results
come back as plain rows (dicts) with each area's names attached.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from fupin.analytics.engine import Scope
from fupin.analytics.measures import fgt_decomposition, poverty_measures

# Group by this level: the column of the households' table that holds the area's code.
LEVEL_COLUMNS = {"city": "city_code", "county": "county_code", "township": "township_code", "village": "village_code"}
PROVINCE = "230000000000"
# The measures a page, a report or a benchmark shows, in order (measures.poverty_measures
# also gives counts and the households left out of the log-based measures).
MEASURE_COLUMNS = [
    "fgt0",
    "fgt1",
    "fgt2",
    "watts",
    "sen",
    "sst",
    "gini",
    "theil_t",
    "theil_l",
    "atkinson_0_5",
    "atkinson_1",
    "atkinson_2",
]


def lines_by_city(scope: Scope, year: int | None = None) -> dict[str | None, float]:
    """The poverty line of the year for each city that has its own, and under ``None`` the
    line everywhere else (the province's own line if it has one, else the national)."""
    year = year or scope.year
    lines = scope.tables["poverty_lines"]
    rows = scope.con.execute(lines.filter(lines.year == year)).to_dict("records")
    national = next((r["amount"] for r in rows if r["scope"] == "national"), None)
    province = next((r["amount"] for r in rows if r["scope"] == "province"), None)
    result: dict[str | None, float] = {r["area_code"]: r["amount"] for r in rows if r["scope"] == "city"}
    default = province if province is not None else national
    if default is None:
        raise LookupError(f"no poverty line for {year}")
    result[None] = default
    return result


def _line_column(t: ir.Table, lines: dict[str | None, float]) -> ir.FloatingValue:
    cities = {code: amount for code, amount in lines.items() if code is not None}
    default = ibis.literal(lines[None], type="float64")
    if not cities:
        return default
    return t.city_code.cases(*((code, amount) for code, amount in cities.items()), else_=default).cast("float64")


def income_table(scope: Scope, *, line: float | None = None) -> ir.Table:
    """One row per household with an income record in the year: per capita net income
    (rounded to the fen, as the registry rounds it), person weight (the household's size in
    that year; registry data carry no sampling weight) and the applicable poverty line."""
    incomes = scope.incomes()
    table = incomes.mutate(
        income=(incomes.net_income / incomes.household_size).round(2),
        weight=incomes.household_size.cast("float64"),
    )
    line_value = (
        ibis.literal(float(line), type="float64") if line is not None else _line_column(table, lines_by_city(scope))
    )
    return table.mutate(line=line_value)


def _measure_input(scope: Scope, line: float | None) -> tuple[ir.Table, str | float]:
    """The income table, and the line as one number when one line applies to every row
    (the measures then need one ordering of incomes fewer than with a line per row)."""
    if line is None:
        lines = lines_by_city(scope)
        if len(lines) == 1:
            line = lines[None]
    table = income_table(scope, line=line)
    return table, (float(line) if line is not None else "line")


def _names(scope: Scope, rows: list[dict[str, Any]], column: str | None) -> list[dict[str, Any]]:
    if column is None:
        area = scope.area
        return [{"area": area["code"], "name": area["name"], "name_en": area["name_en"], **row} for row in rows]
    areas = scope.tables["areas"]
    codes = [row[column] for row in rows]
    names = {
        r["code"]: r
        for r in scope.con.execute(areas.filter(areas.code.isin(codes)).select("code", "name", "name_en")).to_dict(
            "records"
        )
    }
    out = []
    for row in sorted(rows, key=lambda r: r[column]):
        code = row.pop(column)
        info = names.get(code, {})
        out.append({"area": code, "name": info.get("name", ""), "name_en": info.get("name_en", ""), **row})
    return out


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for row in rows:
        out = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if isinstance(value, float) and value != value:
                value = None
            out[key] = value
        clean.append(out)
    return clean


def measures(
    scope: Scope, *, by: str | None = None, line: float | None = None, inclusive: bool = False
) -> list[dict[str, Any]]:
    """The poverty and inequality measures of the area, or of each area of level ``by``
    under it."""
    column = LEVEL_COLUMNS[by] if by else None
    table, line_arg = _measure_input(scope, line)
    expr = poverty_measures(
        table,
        income="income",
        weight="weight",
        line=line_arg,
        by=[column] if column else [],
        inclusive=inclusive,
    )
    rows = _plain(scope.con.execute(expr).to_dict("records"))
    return _names(scope, rows, column)


def decomposition(scope: Scope, *, by: str, line: float | None = None, inclusive: bool = False) -> list[dict[str, Any]]:
    """FGT(0, 1, 2) of each area of level ``by``, with its population share and its
    contribution to the whole area's figure."""
    column = LEVEL_COLUMNS[by]
    table, line_arg = _measure_input(scope, line)
    expr = fgt_decomposition(
        table,
        group=column,
        income="income",
        weight="weight",
        line=line_arg,
        inclusive=inclusive,
    )
    rows = _plain(scope.con.execute(expr).to_dict("records"))
    return _names(scope, rows, column)


# --- dynamics ------------------------------------------------------------------------------

FLOWS = ("still_poor", "new_poor", "returned", "exited")


def status_flows(scope: Scope, *, by: str | None = None) -> list[dict[str, Any]]:
    """Year-to-year flows of each area: households (and their people) poor at the end of
    both years (``still_poor``), poor at the end of the year but not poor a year before
    (``new_poor``, identified in the year; ``returned``, back after an exit), and poor a
    year before but exited by the end of the year (``exited``)."""
    before = scope.status_at(scope.year_end.replace(year=scope.year - 1, day=31, month=12))
    after = scope.status_at()
    column = LEVEL_COLUMNS[by] if by else None
    now = after.select("id", "size", "status", *([column] if column else []))
    then = before.select(id_before="id", status_before="status")
    pair = now.join(then, now.id == then.id_before, how="left")
    was = pair.status_before.fill_null("non_poor")
    flows = {
        "still_poor": (was == "poor") & (pair.status == "poor"),
        "new_poor": (was == "non_poor") & (pair.status == "poor"),
        "returned": (was == "exited") & (pair.status == "poor"),
        "exited": (was == "poor") & (pair.status == "exited"),
    }
    metrics = {}
    for name, condition in flows.items():
        metrics[f"{name}_households"] = condition.cast("int64").sum()
        metrics[f"{name}_people"] = ibis.ifelse(condition, pair["size"], 0).sum()
    expr = pair.group_by(column).aggregate(**metrics) if column else pair.aggregate(**metrics)
    rows = _plain(scope.con.execute(expr).to_dict("records"))
    return _names(scope, rows, column)


def targeting_check(scope: Scope, *, margin: float = 0.5, limit: int = 500) -> dict[str, Any]:
    """Households whose recorded income in the year contradicts their status at the year's
    end, for review: poor with per capita net income at or above the line times
    (1 + margin), and not poor (never identified, or exited) with income below the line.
    Returns the counts of both kinds and the first ``limit`` households of each, the
    furthest from the line first."""
    incomes = income_table(scope).select("household_id", "income", "line")
    status = scope.status_at().select("id", "code", "village_code", "status", "size")
    joined = status.join(incomes, status.id == incomes.household_id)
    ratio = joined.income / joined.line
    joined = joined.mutate(ratio=ratio)
    poor_above = joined.filter((joined.status == "poor") & (joined.income >= joined.line * (1 + margin)))
    not_poor_below = joined.filter((joined.status != "poor") & (joined.income < joined.line))
    columns = ["code", "village_code", "status", "size", "income", "line", "ratio"]
    counts = scope.con.execute(
        ibis.memtable({"k": [0]}).mutate(
            poor_above=poor_above.count().as_scalar(), not_poor_below=not_poor_below.count().as_scalar()
        )
    ).to_dict("records")[0]
    return {
        "margin": margin,
        "poor_above_line": int(counts["poor_above"]),
        "not_poor_below_line": int(counts["not_poor_below"]),
        "poor_above": _plain(
            scope.con.execute(poor_above.order_by(ibis.desc("ratio"), "code").select(columns).limit(limit)).to_dict(
                "records"
            )
        ),
        "not_poor_below": _plain(
            scope.con.execute(not_poor_below.order_by("ratio", "code").select(columns).limit(limit)).to_dict("records")
        ),
    }


# --- multidimensional poverty ----------------------------------------------------------------


def multidimensional(
    scope: Scope, *, by: str | None = None, k: float = 1 / 3, poor_only: bool = False
) -> list[dict[str, Any]]:
    """The Alkire-Foster measures of the households under the area (all of them, or those
    poor at the year's end) on the "two no worries, three guarantees" items and safe
    drinking water, each household weighted by its members; households with an item not
    yet assessed are counted apart (``unassessed``)."""
    from fupin.analytics.mpi import mpi

    column = LEVEL_COLUMNS[by] if by else None
    households = scope.status_at()
    if poor_only:
        households = households.filter(households.status == "poor")
    households = households.mutate(weight=households["size"].cast("float64"))
    expr = mpi(households, weight="weight", k=k, by=[column] if column else [])
    rows = _plain(scope.con.execute(expr).to_dict("records"))
    return _names(scope, rows, column)
