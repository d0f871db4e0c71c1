"""The registry's writers: the new and changed rows of each file, inside the import's one
transaction (``fupin.exchange.importer.apply_import``)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from fupin.core.bulk import reset_sequences
from fupin.exchange import dbframes as db
from fupin.exchange.planning import Plan, write_rows
from fupin.exchange.registry import ImportContext
from fupin.geo.models import AdminArea
from fupin.registry.exchange.entities import HOUSEHOLDS, MEMBERS
from fupin.registry.models import Helper, Household, IncomeRecord, Person, PovertyLine, SecondaryCause, StatusEvent

# the households file's columns that are stored on the household itself
HOUSEHOLD_FIELDS = [c for c in HOUSEHOLDS.column_names if c != "secondary_causes"]


def _household_ids(plan: Plan) -> pl.DataFrame:
    """Code -> id of every household the package refers to (the new ones with their ids to
    be), as the households planner resolved them."""
    ids = plan.resolved.get("household_ids")
    return ids if ids is not None else pl.DataFrame(schema={"code": pl.String, "id": pl.String})


def _with_ids(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    ids = _household_ids(plan)
    return frame.join(ids.rename({"code": "household", "id": "household__id"}), on="household", how="left")


def write_poverty_lines(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("poverty_lines")
    if changes is None:
        return
    areas = dict(AdminArea.objects.filter(level__in=["province", "city"]).values_list("code", "id"))
    for frame in (changes.new, changes.changed):
        for year, area, amount, basis, source in frame.select("year", "area", "amount", "basis", "source").iter_rows():
            scope = "national" if not area else ("provincial" if area.endswith("00000000") else "municipal")
            PovertyLine.objects.update_or_create(
                year=int(year),
                area_id=areas.get(area) if area else None,
                defaults={"amount": Decimal(amount), "basis": basis or "", "source": source or "", "scope": scope},
            )


def write_households(plan: Plan, ctx: ImportContext) -> None:
    hh = plan.changes.get("households")
    if hh is None:
        return
    ids = _household_ids(plan)
    new = hh.new.join(ids, on="code").join(
        db.fetch("SELECT code, CAST(id AS TEXT) FROM geo_adminarea WHERE level = 'village'", ["village", "vid"]),
        on="village",
    )
    stored = ["id", *HOUSEHOLD_FIELDS]
    write_rows(Household, new, stored, [pl.col("vid").alias("village") if f == "village" else f for f in stored])
    reset_sequences(Household)
    _update_households(hh.changed)
    touched = pl.concat(
        [
            new.select("code", "secondary_causes", "id"),
            hh.changed.join(ids, on="code").select("code", "secondary_causes", "id"),
        ]
    )
    SecondaryCause.objects.filter(
        household_id__in=hh.changed.join(ids, on="code")["id"].cast(pl.Int64).to_list()
    ).delete()
    causes = (
        touched.select(pl.col("id").alias("household_id"), pl.col("secondary_causes").str.split(";").alias("cause"))
        .explode("cause")
        .filter(pl.col("cause") != "")
    )
    write_rows(SecondaryCause, causes, ["household", "cause"], ["household_id", "cause"])
    ctx.progress("households", new.height + hh.changed.height)


def _update_households(changed: pl.DataFrame) -> None:
    if changed.height == 0:
        return
    villages = dict(AdminArea.objects.filter(level="village").values_list("code", "id"))
    for row in changed.iter_rows(named=True):
        Household.objects.filter(code=row["code"]).update(
            village_id=villages[row["village"]],
            address=row["address"] or "",
            phone=row["phone"] or "",
            type_ordinary=row["type_ordinary"] == "1",
            type_dibao=row["type_dibao"] == "1",
            type_wubao=row["type_wubao"] == "1",
            main_cause=row["main_cause"] or "",
            status=row["status"],
            returned=row["returned"] == "1",
            procedure=row["procedure"] or "",
            stage=row["stage"] or "",
            stage_date=row["stage_date"],
            **{f: _nullable_bool(row[f]) for f in Household.ASSURANCE_FIELDS},
        )


def _nullable_bool(value: str | None) -> bool | None:
    return None if value is None else value == "1"


def write_helpers(plan: Plan, ctx: ImportContext) -> None:
    helpers = plan.changes.get("helpers")
    if helpers is None:
        return
    write_rows(
        Helper,
        _with_ids(plan, helpers.new),
        ["household", "name", "unit", "post", "phone"],
        ["household__id", "name", "unit", "post", "phone"],
    )
    for household_id, name, unit, post, phone in (
        _with_ids(plan, helpers.changed).select("household__id", "name", "unit", "post", "phone").iter_rows()
    ):
        Helper.objects.filter(household_id=int(household_id), name=name).update(unit=unit, post=post, phone=phone)
    ctx.progress("helpers", helpers.new.height + helpers.changed.height)


def write_members(plan: Plan, ctx: ImportContext) -> None:
    members = plan.changes.get("members")
    if members is None:
        return
    fields = ["household", *(c for c in MEMBERS.column_names if c != "household")]
    cols: list[str | pl.Expr] = ["household__id", *fields[1:]]
    write_rows(Person, _with_ids(plan, members.new), fields, cols)
    changed = _with_ids(plan, members.changed)
    for values in changed.select(cols).iter_rows():
        row = dict(zip(fields, values, strict=True))
        household = row.pop("household")
        Person.objects.filter(id_number=row["id_number"]).update(household_id=int(household), **row)
    ctx.progress("members", members.new.height + members.changed.height)


def write_incomes(plan: Plan, ctx: ImportContext) -> None:
    incomes = plan.changes.get("incomes")
    if incomes is None:
        return
    fields = ["household", "year", "household_size", *IncomeRecord.AMOUNT_FIELDS]
    write_rows(IncomeRecord, _with_ids(plan, incomes.new), fields, ["household__id", *fields[1:]])
    for row in _with_ids(plan, incomes.changed).select("household__id", *fields[1:]).iter_rows(named=True):
        IncomeRecord.objects.filter(household_id=int(row.pop("household__id")), year=int(row.pop("year"))).update(
            **{k: Decimal(v) if k in IncomeRecord.AMOUNT_FIELDS else int(v) for k, v in row.items()}
        )
    ctx.progress("incomes", incomes.new.height + incomes.changed.height)


def write_status_events(plan: Plan, ctx: ImportContext) -> None:
    events = plan.resolved.get("status_events")
    if events is None or not events.height:
        return
    fields = [
        "household",
        "procedure",
        "action",
        "date",
        "stage_before",
        "stage_after",
        "status_before",
        "status_after",
        "note",
    ]
    write_rows(StatusEvent, _with_ids(plan, events), fields, ["household__id", *fields[1:]])
    ctx.progress("status_events", events.height)
