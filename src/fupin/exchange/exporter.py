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
from fupin.exchange import registry, schema
from fupin.exchange.columns import escape_cell
from fupin.exchange.registry import ExportContext

RECORDED = "_recorded"  # a record's creation time, for masking its birth date; not exported


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
    """The rows of each registered entity (or of ``entities``) in the user's areas, narrowed
    to ``area``, by each entity's export query; identifiers masked for a user without the
    permission to see them."""
    masked = user is not None and not can_view_identifiers(user)
    ctx = ExportContext(user=user, ranges=_ranges(user, area), masked=masked)
    wanted = set(entities or schema.ENTITIES)
    frames: dict[str, pl.DataFrame] = {}
    for reg in registry.registrations():
        if reg.name in wanted and reg.export is not None:
            frames[reg.name] = reg.export(ctx)
    if masked:
        frames = _masked(frames)
    return {name: frame.drop(RECORDED) if RECORDED in frame.columns else frame for name, frame in frames.items()}


def _masked(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The frames as a user without the permission to see identifiers may read them, by the
    rule of ``fupin.core.masking``: ID numbers, phones, and birth dates beside the record's
    creation time (``RECORDED``). An entity with a ``masked_order`` is then sorted by it
    (its masked numbers and names), so that the order of the rows tells nothing of the
    hidden digits."""
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
    for name, frame in out.items():
        order = registry.get(name).masked_order
        if order:
            out[name] = frame.sort(*order)
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
