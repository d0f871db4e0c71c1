"""Writes to the administrative tree."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.core.audit import audit_log, snapshot
from fupin.core.choices import Role
from fupin.core.errors import InvalidInput
from fupin.core.policy import check_role, check_scope
from fupin.geo.choices import LEVEL_ORDER, KeyCounty, Level
from fupin.geo.models import AdminArea

DATA_FILE = Path(__file__).resolve().parent / "data" / "heilongjiang.csv"
_AREA_FIELDS = ["level", "kind", "name", "name_en", "area_km2", "population"]


def read_area_file(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def areas_load(*, rows: Iterable[dict[str, str]], actor: Any = None) -> dict[str, int]:
    """Create or update areas from rows of the shipped tree file (parents before children).

    Idempotent: loading the same rows again changes nothing and reports zero changes.
    """
    existing = {a.code: a for a in AdminArea.objects.all()}
    by_level: dict[str, list[dict[str, str]]] = {level: [] for level in LEVEL_ORDER}
    for row in rows:
        by_level[row["level"]].append(row)
    created = updated = 0
    for level in LEVEL_ORDER:
        new: list[AdminArea] = []
        changed: list[AdminArea] = []
        for row in by_level[level]:
            values: dict[str, Any] = {
                "level": row["level"],
                "kind": row["kind"],
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "area_km2": Decimal(row["area_km2"]) if row.get("area_km2") else None,
                "population": int(row["population"]) if row.get("population") else None,
            }
            area = existing.get(row["code"])
            if area is None:
                parent = existing.get(row["parent_code"]) if row.get("parent_code") else None
                if row.get("parent_code") and parent is None:
                    raise InvalidInput(_("Unknown parent area code."), record=row["code"], field="parent_code")
                area = AdminArea(code=row["code"], parent=parent, **values)
                new.append(area)
            elif any(getattr(area, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(area, k, v)
                changed.append(area)
        AdminArea.objects.bulk_create(new, batch_size=2000)
        AdminArea.objects.bulk_update(changed, _AREA_FIELDS, batch_size=2000)
        for area in new:
            existing[area.code] = area
        created += len(new)
        updated += len(changed)
    counts = {"created": created, "updated": updated}
    if created or updated:
        audit_log(actor=actor, action="areas.load", object_type="geo.adminarea", after=counts)
    return counts


@transaction.atomic
def area_set_flags(
    *,
    actor: Any,
    area: AdminArea,
    key_county: str | None = None,
    key_village: bool | None = None,
) -> AdminArea:
    """Designate or undesignate a key county (national or provincial) or a key village."""
    check_role(actor, Role.PROVINCE, record=area.code)
    check_scope(actor, area.code, record=area.code)
    area = AdminArea.objects.select_for_update().get(pk=area.pk)
    before = snapshot(area, ["key_county", "key_village"])
    if key_county is not None:
        if key_county and area.level != Level.COUNTY:
            raise InvalidInput(_("Only a county-level area can be a key county."), record=area.code, field="key_county")
        if key_county not in KeyCounty.values:
            raise InvalidInput(_("Unknown key county type."), record=area.code, field="key_county")
        area.key_county = key_county
    if key_village is not None:
        if key_village and area.level != Level.VILLAGE:
            raise InvalidInput(_("Only a village can be a key village."), record=area.code, field="key_village")
        area.key_village = key_village
    area.save(update_fields=["key_county", "key_village"])
    audit_log(
        actor=actor,
        action="area.set_flags",
        obj=area,
        before=before,
        after=snapshot(area, ["key_county", "key_village"]),
        area_code=area.code,
    )
    return area
