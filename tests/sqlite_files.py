"""Real processes on a real SQLite file, for what an in-memory test database cannot show:
settings read from ``DATABASE_URL``, locks between connections, a worker that is killed.

``sqlite_template`` migrates one file database and loads the administrative tree once per
session (through ``fupin migrate`` and ``fupin load_areas``, as an operator would);
``sqlite_db`` copies it for one test. ``postgres_url`` does the same in a PostgreSQL
database of its own beside the test database (in the PostgreSQL suite only).
``django_process`` runs Python code in a fresh process whose Django is configured by the
environment alone, as ``fupin serve`` is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

FUPIN = str(Path(sys.executable).with_name("fupin"))
SRC = str(Path(__file__).resolve().parents[1] / "src")
ROOT = str(Path(__file__).resolve().parents[1])

PREAMBLE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
import django
django.setup()
def emit(**values):
    print("RESULT " + json.dumps(values, default=str), flush=True)
"""


def django_env(db: Path | str | None, data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a process on ``db``: a SQLite file, or a database URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PYTHONPATH"] = os.pathsep.join([SRC, ROOT])
    if isinstance(db, Path):
        env["DATABASE_URL"] = f"sqlite:///{db}"
        env["FUPIN_DATA_DIR"] = str(data_dir or db.parent / "data")
    elif db is not None:
        env["DATABASE_URL"] = db
        env["FUPIN_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "-v0"], ["load_areas"]):
        subprocess.run([FUPIN, *command], env=env, check=True, capture_output=True, timeout=300)


def django_process(code: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``code`` (after Django's setup) in a new process; ``emit(**values)`` reports."""
    source = PREAMBLE + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", source], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run_django(code: str, env: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    """Run ``code`` in a new process and return what it emitted (it must succeed)."""
    process = django_process(code, env)
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err}"
    return results(out)


def results(out: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            values.update(json.loads(line[len("RESULT ") :]))
    return values


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sqlite-template") / "fupin.sqlite3"
    prepare(django_env(db))
    # one file: fold the write-ahead log into the database before copying it
    subprocess.run(
        [sys.executable, "-c", f"import sqlite3; sqlite3.connect({str(db)!r}).execute('PRAGMA wal_checkpoint')"],
        check=True,
    )
    return db


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "fupin.sqlite3"
    shutil.copyfile(sqlite_template, db)
    (tmp_path / "data").mkdir()
    return db


@pytest.fixture
def postgres_url(tmp_path: Path) -> Any:
    """A PostgreSQL database of its own, migrated, with the tree (skipped on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL suite runs this")
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_process"
    server = f"postgresql://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    (tmp_path / "data").mkdir(exist_ok=True)
    prepare(django_env(url, tmp_path / "data"))
    yield url
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
