"""The ``areas`` file: flags and reference figures of the areas of the administrative
tree (the tree itself ships with Fupin and is loaded by ``fupin load_areas``)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from fupin.core.choices import Role
from fupin.core.errors import OutOfScope
from fupin.exchange import dbframes as db
from fupin.exchange import registry
from fupin.exchange.planning import Plan, compare, errors_where, scope_expr
from fupin.exchange.registry import ExportContext, ImportContext
from fupin.exchange.schema import AREA, BOOL, CODE, DECIMAL, INT, TEXT, Column, Entity
from fupin.geo.choices import KeyCounty
from fupin.geo.models import AdminArea

AREAS = Entity(
    "areas",
    key=("code",),
    help=gettext_lazy(
        "Flags and reference figures of existing areas of the administrative tree (the tree itself ships with Fupin)."
    ),
    columns=(
        Column("code", AREA, required=True, example="230129000000", help=gettext_lazy("area code")),
        Column(
            "name", TEXT, max_length=64, example="延寿县", help=gettext_lazy("name, for reading only: not imported")
        ),
        Column(
            "key_county",
            CODE,
            choices=KeyCounty,
            example="national",
            help=gettext_lazy("key county: national, provincial or empty"),
        ),
        Column("key_village", BOOL, example="0", help=gettext_lazy("key poverty-stricken village")),
        Column("area_km2", DECIMAL, example="3149.55", help=gettext_lazy("reference area in km²")),
        Column("population", INT, minimum=0, example="250000", help=gettext_lazy("reference population")),
    ),
)


def plan_areas(plan: Plan, ctx: ImportContext) -> None:
    ranges = ctx.ranges
    frame = plan.frames.get("areas")
    if frame is None:
        return
    current = db.fetch(
        "SELECT code, level, key_county, "
        + db.flag("key_village")
        + ", "
        + db.nullable_text("area_km2")
        + ", "
        + db.nullable_text("population")
        + " FROM geo_adminarea",
        ["code", "level", "key_county", "key_village", "area_km2", "population"],
    ).with_columns(pl.col("area_km2").cast(pl.Decimal(18, 2), strict=False).cast(pl.String))
    levels = current.select("code", "level")
    frame = frame.join(levels, on="code", how="left")
    errors_where(
        plan, "areas", frame, pl.col("level").is_null(), "code", pl.format(_("unknown area code “{}”"), pl.col("code"))
    )
    errors_where(
        plan,
        "areas",
        frame,
        (pl.col("key_county") != "") & (pl.col("level") != "county"),
        "key_county",
        _("only a county can be a key county"),
    )
    errors_where(
        plan,
        "areas",
        frame,
        (pl.col("key_village") == "1") & (pl.col("level") != "village"),
        "key_village",
        _("only a village can be a key village"),
    )
    cols = ["key_county", "key_village", "area_km2", "population"]
    plan.changes["areas"] = changes = compare(frame.drop("level"), current.select("code", *cols), ["code"], cols)
    errors_where(plan, "areas", changes.changed, ~scope_expr("code", ranges), "code", str(OutOfScope.default_message))


def write_areas(plan: Plan, ctx: ImportContext) -> None:
    changes = plan.changes.get("areas")
    if changes is None:
        return
    for code, key_county, key_village, area_km2, population in changes.changed.select(
        "code", "key_county", "key_village", "area_km2", "population"
    ).iter_rows():
        AdminArea.objects.filter(code=code).update(
            key_county=key_county or "",
            key_village=key_village == "1",
            area_km2=Decimal(area_km2) if area_km2 else None,
            population=int(population) if population else None,
        )


def export_areas(ctx: ExportContext) -> pl.DataFrame:
    where, params = ctx.where("code")
    return (
        db.fetch(
            "SELECT code, name, key_county, "
            + db.flag("key_village")
            + ", "
            + db.nullable_text("area_km2")
            + ", "
            + db.nullable_text("population")
            + " FROM geo_adminarea",
            AREAS.column_names,
            where=where,
            params=params,
        )
        .with_columns(pl.col("area_km2").cast(pl.Decimal(18, 2), strict=False).cast(pl.String))
        .sort("code")
    )


registry.register(
    AREAS,
    plan=plan_areas,
    write=write_areas,
    export=export_areas,
    needs_role=Role.PROVINCE,
    label=pgettext_lazy("exchange file", "areas"),
)
