"""The registry's export queries: the rows in the export's areas (households by their
village, their records by the household's), as frames of strings in the files' columns."""

from __future__ import annotations

import polars as pl

from fupin.exchange import dbframes as db
from fupin.exchange.exporter import RECORDED
from fupin.exchange.registry import ExportContext
from fupin.registry.exchange.entities import HELPERS, HOUSEHOLDS, INCOMES, MEMBERS, POVERTY_LINES, STATUS_EVENTS
from fupin.registry.models import Household, IncomeRecord

_HH_JOIN = " JOIN registry_household h ON h.id = {t}.household_id JOIN geo_adminarea a ON a.id = h.village_id"


def export_poverty_lines(ctx: ExportContext) -> pl.DataFrame:
    return db.fetch(
        "SELECT CAST(l.year AS TEXT), COALESCE(a.code, ''), " + db.money("l.amount") + ", l.basis, l.source "
        "FROM registry_povertyline l LEFT JOIN geo_adminarea a ON a.id = l.area_id",
        POVERTY_LINES.column_names,
    ).sort("year", "area")


def export_households(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    households = db.fetch(
        "SELECT h.code, a.code, h.address, h.phone, "
        + db.flag("h.type_ordinary")
        + ", "
        + db.flag("h.type_dibao")
        + ", "
        + db.flag("h.type_wubao")
        + ", h.main_cause, '', h.status, "
        + db.flag("h.returned")
        + ", h.procedure, h.stage, "
        + db.nullable_text("h.stage_date")
        + ", "
        + db.nullable_flags([f"h.{f}" for f in Household.ASSURANCE_FIELDS])
        + " FROM registry_household h JOIN geo_adminarea a ON a.id = h.village_id",
        HOUSEHOLDS.column_names,
        where=where,
        params=params,
    )
    causes = (
        db.fetch(
            "SELECT h.code, c.cause FROM registry_secondarycause c" + _HH_JOIN.format(t="c"),
            ["code", "cause"],
            where=where,
            params=params,
        )
        .group_by("code")
        .agg(pl.col("cause").sort().str.join(";").alias("causes"))
    )
    return (
        households.join(causes, on="code", how="left")
        .with_columns(pl.col("causes").fill_null("").alias("secondary_causes"))
        .drop("causes")
        .sort("code")
    )


def export_helpers(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT h.code, x.name, x.unit, x.post, x.phone FROM registry_helper x" + _HH_JOIN.format(t="x"),
        HELPERS.column_names,
        where=where,
        params=params,
    ).sort("household", "name")


def export_members(ctx: ExportContext) -> pl.DataFrame:
    """With the hidden column ``_recorded`` (the member's creation time), by which the
    framework masks the birth date; it is not exported."""
    where, params = ctx.where("a.code")
    return db.fetch(
        "SELECT p.id_number, h.code, p.name, p.sex, " + db.nullable_text("p.birth_date") + ", p.relation, "
        "p.education, p.health, p.disability, p.labour, p.migrant_work, "
        + db.nullable_text("p.migrant_months")
        + ", "
        + db.nullable_text("p.created_at")
        + " FROM registry_person p"
        + _HH_JOIN.format(t="p"),
        [*MEMBERS.column_names, RECORDED],
        where=where,
        params=params,
    ).sort("household", "id_number")


def export_incomes(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    amounts = ", ".join(db.money(f"i.{f}") for f in IncomeRecord.AMOUNT_FIELDS)
    return db.fetch(
        "SELECT h.code, CAST(i.year AS TEXT), CAST(i.household_size AS TEXT), "
        + amounts
        + " FROM registry_incomerecord i"
        + _HH_JOIN.format(t="i"),
        INCOMES.column_names,
        where=where,
        params=params,
    ).sort("household", "year")


def export_status_events(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("a.code")
    events = (
        db.fetch(
            "SELECT h.code, CAST(e.id AS TEXT), e.procedure, e.action, " + db.nullable_text("e.date") + ", e.note "
            "FROM registry_statusevent e" + _HH_JOIN.format(t="e"),
            ["household", "id", "procedure", "action", "date", "note"],
            where=where,
            params=params,
        )
        .with_columns(pl.col("id").cast(pl.Int64))
        .sort("household", "date", "id")
    )
    return events.with_columns((pl.int_range(pl.len()).over("household") + 1).cast(pl.String).alias("seq")).select(
        STATUS_EVENTS.column_names
    )
