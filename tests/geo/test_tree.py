"""The administrative tree ships with Fupin: the migrations load it into every new
database; ``fupin load_areas`` and the loader that tests use after a flush find it there."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from fupin.geo.models import AdminArea
from fupin.geo.services import areas_load, read_area_file
from tests.conftest import YANSHOU

pytestmark = pytest.mark.django_db

load_tree = import_module("fupin.geo.migrations.0003_administrative_tree").load_tree


def _tree() -> dict[str, tuple[str | None, str, str]]:
    return {
        code: (parent, level, name)
        for code, parent, level, name in AdminArea.objects.values_list("code", "parent__code", "level", "name")
    }


def _file() -> dict[str, tuple[str | None, str, str]]:
    return {r["code"]: (r["parent_code"] or None, r["level"], r["name"]) for r in read_area_file()}


def test_the_migrations_load_the_whole_shipped_tree():
    assert _tree() == _file()
    # the service behind `fupin load_areas` finds nothing to add or change
    assert areas_load(rows=read_area_file()) == {"created": 0, "updated": 0}


def test_load_areas_runs_on_a_migrated_database(capsys):
    call_command("load_areas")
    assert "areas: 0 created, 0 updated" in capsys.readouterr().out
    assert AdminArea.objects.count() == len(_file())


def test_the_loader_adds_only_the_missing_areas():
    """After a flush (live-server tests) it loads the whole tree again; on a database that
    holds part of it, it adds the rest and keeps the areas there as they are."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geo_adminarea WHERE level = 'village' AND code LIKE %s", [YANSHOU[:6] + "%"])
    AdminArea.objects.filter(code=YANSHOU).update(name="延寿县（改）")
    missing = AdminArea.objects.count()
    load_tree(apps, None)
    tree = _tree()
    assert len(tree) > missing and set(tree) == set(_file())
    assert tree[YANSHOU][2] == "延寿县（改）"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geo_adminarea")
    load_tree(apps, None)
    assert _tree() == _file()
    load_tree(apps, None)
    assert AdminArea.objects.count() == len(_file())
