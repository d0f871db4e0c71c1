"""The analytics engine: a snapshot's tables as Ibis tables, on DuckDB (in process, the
default) or on Spark (Ibis' pyspark backend, for national scale), and the filters every
indicator and measure shares: an area (everything under its code) and a date.

Expressions are written once, in Ibis, against ``Scope``; whichever backend the scope was
opened on runs them. The tables are those the apps register (``fupin.analytics.registry``);
the helpers here read geo's ``areas`` and the registry's ``households``, ``incomes`` and
``status_events``, which the poverty measures are defined over. An app's own helpers (the
programs' ``batch_projects``, the funds' ``disbursed``) are in its ``indicators.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

import ibis
import ibis.expr.types as ir

from fupin.analytics.snapshot import Snapshot
from fupin.core.areacodes import descendant_range, normalize

PROVINCE = "230000000000"


def duckdb_backend() -> Any:
    con = ibis.duckdb.connect()
    con.raw_sql("SET preserve_insertion_order = false")
    return con


def load_tables(con: Any, snapshot: Snapshot) -> dict[str, ir.Table]:
    """Each table of the snapshot, read by the backend from its Parquet files."""
    tables = {}
    spark = con.name == "pyspark"
    for name, info in snapshot.manifest["tables"].items():
        path = snapshot.path / info["path"]
        table_name = f"snapshot_{name}"
        if info["partitioned_by"] is None or spark:
            tables[name] = con.read_parquet(str(path), table_name=table_name)
        else:
            tables[name] = con.read_parquet(
                str(path / "**" / "*.parquet"), table_name=table_name, hive_partitioning=True
            )
    return tables


@dataclasses.dataclass(frozen=True)
class Scope:
    """A snapshot's tables, restricted to one area and seen from one year."""

    con: Any
    tables: dict[str, ir.Table]
    snapshot: Snapshot
    area_code: str
    year: int

    @property
    def year_end(self) -> dt.date:
        return min(dt.date(self.year, 12, 31), self.snapshot.as_of)

    @property
    def code_range(self) -> tuple[str, str]:
        return descendant_range(self.area_code)

    def under(self, table: ir.Table, column: str) -> ir.Table:
        """The rows of a table whose area code column lies under the scope's area."""
        low, high = self.code_range
        if low == PROVINCE[:2] + "0" * 10 and high == PROVINCE[:2] + "9" * 10:
            return table
        return table.filter(table[column].between(low, high))

    @functools.cached_property
    def area(self) -> dict[str, Any]:
        areas = self.tables["areas"]
        rows = self.con.execute(areas.filter(areas.code == self.area_code)).to_dict("records")
        if not rows:
            raise LookupError(self.area_code)
        return rows[0]

    def areas(self) -> ir.Table:
        """Every area under this one, itself included."""
        return self.under(self.tables["areas"], "code")

    def households(self) -> ir.Table:
        return self.under(self.tables["households"], "village_code")

    def incomes(self, year: int | None = None) -> ir.Table:
        incomes = self.tables["incomes"]
        incomes = incomes.filter(incomes.year == (year if year is not None else self.year))
        households = self.households().select("id", "village_code", "township_code", "county_code", "city_code")
        return incomes.join(households, incomes.household_id == households.id).drop("id")

    def status_at(self, date: dt.date | None = None) -> ir.Table:
        """Households under the area with a ``status`` column as of the date (the year's
        end by default): the status after the household's last status change on or
        before the date, or its status before its first one."""
        date = date or self.year_end
        households = self.households()
        if date >= self.snapshot.as_of:
            return households
        events = self.tables["status_events"]
        changes = events.filter((events.date <= date) & (events.status_after != events.status_before))
        window = ibis.window(group_by=changes.household_id, order_by=[ibis.desc(changes.date), ibis.desc(changes.id)])
        last = (
            changes.mutate(n=ibis.row_number().over(window))
            .filter(lambda t: t.n == 0)
            .select(household_id="household_id", status_then="status_after")
        )
        joined = households.left_join(last, households.id == last.household_id)
        return joined.mutate(status=joined.status_then.fill_null(joined.initial_status)).drop(
            "status_then", "household_id"
        )


class Engine:
    """Opens scopes on a snapshot with one backend connection."""

    def __init__(self, snapshot: Snapshot, con: Any | None = None) -> None:
        self.snapshot = snapshot
        self.con = con if con is not None else duckdb_backend()
        self.tables = load_tables(self.con, snapshot)

    def scope(self, *, year: int, area: str = PROVINCE) -> Scope:
        return Scope(self.con, self.tables, self.snapshot, normalize(area), year)

    def execute(self, expr: ir.Expr) -> Any:
        return self.con.execute(expr)
