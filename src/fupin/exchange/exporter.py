"""Export in the exchange format (the same files the importer reads), within the user's
scope and masking rules: a folder of CSV files, a ``.zip`` of them, or one ``.xlsx``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fupin.core.areacodes import descendant_range
from fupin.core.masking import mask_birth_date, mask_id, mask_phone
from fupin.core.policy import can_view_identifiers
from fupin.core.scoping import _scope_ranges
from fupin.exchange import dbframes as db
from fupin.exchange import schema
from fupin.exchange.columns import escape_cell
from fupin.programs.choices import CHECKLIST_FIELDS
from fupin.registry.models import Household, IncomeRecord

RECORDED = "_recorded"  # a member's creation time, for masking the birth date; not exported


def _where(column: str, ranges: list[tuple[str, str]] | None) -> tuple[str, list[str]]:
    if ranges is None:
        return "", []
    if not ranges:
        return "1 = 0", []
    return " OR ".join(f"({column} BETWEEN %s AND %s)" for _ in ranges), [v for r in ranges for v in r]


def _ranges(user: Any, area: str | None) -> list[tuple[str, str]] | None:
    ranges = _scope_ranges(user) if user is not None else None
    if area:
        lo, hi = descendant_range(area)
        if ranges is None:
            return [(lo, hi)]
        return [(max(lo, a), min(hi, b)) for a, b in ranges if max(lo, a) <= min(hi, b)]
    return ranges


def export_frames(
    *, user: Any = None, area: str | None = None, entities: Sequence[str] | None = None
) -> dict[str, pl.DataFrame]:
    ranges = _ranges(user, area)
    wanted = list(entities or schema.ENTITIES)
    frames: dict[str, pl.DataFrame] = {}
    hh_where, hh_params = _where("a.code", ranges)
    hh_join = " JOIN registry_household h ON h.id = {t}.household_id JOIN geo_adminarea a ON a.id = h.village_id"
    if "areas" in wanted:
        where, params = _where("code", ranges)
        frames["areas"] = (
            db.fetch(
                "SELECT code, name, key_county, "
                + db.flag("key_village")
                + ", "
                + db.nullable_text("area_km2")
                + ", "
                + db.nullable_text("population")
                + " FROM geo_adminarea",
                schema.AREAS.column_names,
                where=where,
                params=params,
            )
            .with_columns(pl.col("area_km2").cast(pl.Decimal(18, 2), strict=False).cast(pl.String))
            .sort("code")
        )
    if "poverty_lines" in wanted:
        frames["poverty_lines"] = db.fetch(
            "SELECT CAST(l.year AS TEXT), COALESCE(a.code, ''), " + db.money("l.amount") + ", l.basis, l.source "
            "FROM registry_povertyline l LEFT JOIN geo_adminarea a ON a.id = l.area_id",
            schema.POVERTY_LINES.column_names,
        ).sort("year", "area")
    if "households" in wanted:
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
            schema.HOUSEHOLDS.column_names,
            where=hh_where,
            params=hh_params,
        )
        causes = (
            db.fetch(
                "SELECT h.code, c.cause FROM registry_secondarycause c" + hh_join.format(t="c"),
                ["code", "cause"],
                where=hh_where,
                params=hh_params,
            )
            .group_by("code")
            .agg(pl.col("cause").sort().str.join(";").alias("causes"))
        )
        frames["households"] = (
            households.join(causes, on="code", how="left")
            .with_columns(pl.col("causes").fill_null("").alias("secondary_causes"))
            .drop("causes")
            .sort("code")
        )
    if "helpers" in wanted:
        frames["helpers"] = db.fetch(
            "SELECT h.code, x.name, x.unit, x.post, x.phone FROM registry_helper x" + hh_join.format(t="x"),
            schema.HELPERS.column_names,
            where=hh_where,
            params=hh_params,
        ).sort("household", "name")
    if "members" in wanted:
        frames["members"] = db.fetch(
            "SELECT p.id_number, h.code, p.name, p.sex, " + db.nullable_text("p.birth_date") + ", p.relation, "
            "p.education, p.health, p.disability, p.labour, p.migrant_work, "
            + db.nullable_text("p.migrant_months")
            + ", "
            + db.nullable_text("p.created_at")
            + " FROM registry_person p"
            + hh_join.format(t="p"),
            [*schema.MEMBERS.column_names, RECORDED],
            where=hh_where,
            params=hh_params,
        ).sort("household", "id_number")
    if "incomes" in wanted:
        amounts = ", ".join(db.money(f"i.{f}") for f in IncomeRecord.AMOUNT_FIELDS)
        frames["incomes"] = db.fetch(
            "SELECT h.code, CAST(i.year AS TEXT), CAST(i.household_size AS TEXT), "
            + amounts
            + " FROM registry_incomerecord i"
            + hh_join.format(t="i"),
            schema.INCOMES.column_names,
            where=hh_where,
            params=hh_params,
        ).sort("household", "year")
    if "status_events" in wanted:
        events = (
            db.fetch(
                "SELECT h.code, CAST(e.id AS TEXT), e.procedure, e.action, " + db.nullable_text("e.date") + ", e.note "
                "FROM registry_statusevent e" + hh_join.format(t="e"),
                ["household", "id", "procedure", "action", "date", "note"],
                where=hh_where,
                params=hh_params,
            )
            .with_columns(pl.col("id").cast(pl.Int64))
            .sort("household", "date", "id")
        )
        frames["status_events"] = events.with_columns(
            (pl.int_range(pl.len()).over("household") + 1).cast(pl.String).alias("seq")
        ).select(schema.STATUS_EVENTS.column_names)
    frames.update(_programs(wanted, ranges))
    if user is not None and not can_view_identifiers(user):
        frames = _masked(frames)
    if "members" in frames:
        frames["members"] = frames["members"].drop(RECORDED)
    return frames


def _programs(wanted: list[str], ranges: list[tuple[str, str]] | None) -> dict[str, pl.DataFrame]:
    """The programs and the funds ledger. Batches are the province's and all go out; the
    rest within the areas: plans by village, zones with a county there, projects (and their
    outputs and labour) by area, beneficiaries by household, ledger entries by the area the
    money comes from, as each model's ``visible_to`` scopes them."""
    frames: dict[str, pl.DataFrame] = {}
    if "batches" in wanted:
        frames["batches"] = db.fetch(
            "SELECT CAST(number AS TEXT), name, CAST(start_year AS TEXT), CAST(end_year AS TEXT), note "
            "FROM programs_batch",
            schema.BATCHES.column_names,
        ).sort(pl.col("number").cast(pl.Int64))
    if "village_plans" in wanted:
        where, params = _where("a.code", ranges)
        frames["village_plans"] = (
            db.fetch(
                "SELECT a.code, CAST(b.number AS TEXT), "
                + db.money("p.planned_investment")
                + ", p.status, "
                + db.nullable_text("p.started_on")
                + ", "
                + db.nullable_text("p.accepted_on")
                + ", p.accepted_by, "
                + ", ".join(db.flag(f"p.{f}") for f in CHECKLIST_FIELDS)
                + ", p.note FROM programs_villageplan p JOIN geo_adminarea a ON a.id = p.village_id "
                "JOIN programs_batch b ON b.id = p.batch_id",
                schema.VILLAGE_PLANS.column_names,
                where=where,
                params=params,
            )
            .select(schema.VILLAGE_PLANS.column_names)
            .sort("village")
        )
    if "zones" in wanted:
        where, params = _where("a.code", ranges)
        visible = (
            "z.id IN (SELECT c.contiguouszone_id FROM programs_contiguouszone_counties c "
            f"JOIN geo_adminarea a ON a.id = c.adminarea_id WHERE {where})"
            if where
            else ""
        )
        zones = db.fetch(
            "SELECT z.code, z.name, z.name_en, CAST(z.start_year AS TEXT), "
            + db.nullable_text("z.end_year")
            + ", z.note FROM programs_contiguouszone z",
            ["code", "name", "name_en", "start_year", "end_year", "note"],
            where=visible,
            params=params,
        )
        counties = (
            db.fetch(
                "SELECT z.code, a.code FROM programs_contiguouszone_counties c "
                "JOIN programs_contiguouszone z ON z.id = c.contiguouszone_id "
                "JOIN geo_adminarea a ON a.id = c.adminarea_id",
                ["code", "county"],
            )
            .group_by("code")
            .agg(pl.col("county").sort().str.join(";").alias("counties"))
        )
        frames["zones"] = (
            zones.join(counties, on="code", how="left")
            .with_columns(pl.col("counties").fill_null(""))
            .select(schema.ZONES.column_names)
            .sort("code")
        )
    project_join = " JOIN programs_project p ON p.id = {t}.project_id JOIN geo_adminarea a ON a.id = p.area_id"
    where, params = _where("a.code", ranges)
    if "projects" in wanted:
        frames["projects"] = db.fetch(
            "SELECT p.code, p.name, p.program, p.category, a.code, COALESCE(pa.code, ''), COALESCE(z.code, ''), "
            "CAST(p.start_year AS TEXT), CAST(p.end_year AS TEXT), p.status, "
            + db.money("p.budget")
            + ", p.note FROM programs_project p JOIN geo_adminarea a ON a.id = p.area_id "
            "LEFT JOIN programs_villageplan vp ON vp.id = p.plan_id "
            "LEFT JOIN geo_adminarea pa ON pa.id = vp.village_id "
            "LEFT JOIN programs_contiguouszone z ON z.id = p.zone_id",
            schema.PROJECTS.column_names,
            where=where,
            params=params,
        ).sort("code")
    if "outputs" in wanted:
        frames["outputs"] = db.fetch(
            "SELECT p.code, k.code, CAST(o.year AS TEXT), "
            + db.decimal("o.quantity", 3)
            + ", k.unit FROM programs_projectoutput o JOIN programs_outputkind k ON k.id = o.kind_id"
            + project_join.format(t="o"),
            schema.OUTPUTS.column_names,
            where=where,
            params=params,
        ).sort("project", "kind", "year")
    if "beneficiaries" in wanted:
        frames["beneficiaries"] = db.fetch(
            "SELECT p.code, h.code, CAST(b.year AS TEXT) FROM programs_beneficiary b "
            "JOIN programs_project p ON p.id = b.project_id JOIN registry_household h ON h.id = b.household_id "
            "JOIN geo_adminarea a ON a.id = h.village_id",
            schema.BENEFICIARIES.column_names,
            where=where,
            params=params,
        ).sort("project", "household")
    if "labour_inputs" in wanted:
        frames["labour_inputs"] = db.fetch(
            "SELECT p.code, CAST(x.year AS TEXT), CAST(x.persons AS TEXT), CAST(x.person_days AS TEXT) "
            "FROM programs_labourinput x" + project_join.format(t="x"),
            schema.LABOUR_INPUTS.column_names,
            where=where,
            params=params,
        ).sort("project", "year")
    if "fund_entries" in wanted:
        frames["fund_entries"] = db.fetch(
            "SELECT "
            + db.ledger_key("e")
            + ", e.kind, e.source, CAST(e.year AS TEXT), "
            + db.nullable_text("e.date")
            + ", "
            + db.money("e.amount")
            + ", a.code, COALESCE(t.code, ''), COALESCE(p.code, ''), COALESCE("
            + db.ledger_key("r")
            + ", ''), e.document, e.note FROM funds_entry e JOIN geo_adminarea a ON a.id = e.area_id "
            "LEFT JOIN geo_adminarea t ON t.id = e.to_area_id LEFT JOIN programs_project p ON p.id = e.project_id "
            "LEFT JOIN funds_entry r ON r.id = e.reverses_id",
            schema.FUND_ENTRIES.column_names,
            where=where,
            params=params,
        ).sort("date", "number")
    return frames


def _masked(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames as a user without the permission to see identifiers may read them, by the
    rule of ``fupin.core.masking``. Members are then sorted by their masked number and name,
    so that the order of the rows tells nothing of the hidden digits."""
    out = {}
    for name, frame in frames.items():
        exprs = []
        if "id_number" in frame.columns:
            exprs.append(pl.col("id_number").map_elements(mask_id, return_dtype=pl.String))
        if "phone" in frame.columns:
            exprs.append(pl.col("phone").map_elements(lambda v: mask_phone(v) if v else v, return_dtype=pl.String))
        if "birth_date" in frame.columns and RECORDED in frame.columns:
            exprs.append(
                pl.struct("birth_date", RECORDED)
                .map_elements(lambda r: mask_birth_date(r["birth_date"], recorded=r[RECORDED]), return_dtype=pl.String)
                .alias("birth_date")
            )
        out[name] = frame.with_columns(exprs) if exprs else frame
    if "members" in out:
        out["members"] = out["members"].sort("household", "id_number", "name", "relation")
    return out


def _escaped(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    entity = schema.ENTITIES[name]
    texts = [c.name for c in entity.columns if c.kind == schema.TEXT and c.name in frame.columns]
    return frame.with_columns(
        [
            pl.when(pl.col(c).str.contains(r"^[=+\-@]")).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
            for c in texts
        ]
    )


def _csv_bytes(name: str, frame: pl.DataFrame) -> bytes:
    return b"\xef\xbb\xbf" + _escaped(name, frame).write_csv().encode("utf-8")  # BOM: Excel reads it as UTF-8


def write_package(frames: dict[str, pl.DataFrame], target: Path) -> Path:
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, frame in frames.items():
                zf.writestr(f"{name}.csv", _csv_bytes(name, frame))
    elif suffix == ".xlsx":
        write_xlsx(frames, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            (target / f"{name}.csv").write_bytes(_csv_bytes(name, frame))
    return target


def _xlsx_value(column: schema.Column, value: str | None) -> Any:
    if value is None or value == "":
        return None
    if column.kind == schema.INT:
        return int(value)
    # characters XLSX cannot hold are refused at input; rows stored before that rule (or
    # written around it) lose them here rather than making the whole export fail
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if column.kind == schema.TEXT:
        return escape_cell(value)
    return value  # codes, areas, ID numbers, amounts and dates stay text: exact and unambiguous


def write_xlsx(frames: dict[str, pl.DataFrame], target: Path | io.BytesIO, *, reference: bool = False) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, frame in frames.items():
        entity = schema.ENTITIES[name]
        sheet = book.create_sheet(name)
        columns = [entity.column(c) for c in frame.columns if c in entity.column_names]
        sheet.append([c.name for c in columns])
        for row in frame.select([c.name for c in columns]).iter_rows():
            sheet.append([_xlsx_value(c, v) for c, v in zip(columns, row, strict=True)])
    if reference:
        sheet = book.create_sheet("reference")
        sheet.append(["entity", "column", "code", "label"])
        for entity in schema.ENTITIES.values():
            for column in entity.columns:
                for value, label in column.choices.choices if column.choices else []:
                    if value:
                        sheet.append([entity.name, column.name, value, str(label)])
    book.save(target)


def export_package(
    target: Path, *, user: Any = None, area: str | None = None, entities: Sequence[str] | None = None
) -> dict[str, int]:
    frames = export_frames(user=user, area=area, entities=entities)
    write_package(frames, target)
    return {name: frame.height for name, frame in frames.items()}
