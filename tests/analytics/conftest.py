"""Backends for the analytics tests: one in-process DuckDB and one local-mode Spark session
per test session. Both are Ibis backends, so a test builds an expression once and executes
it on either (``backend.to_pandas(expr)``).

Spark starts lazily, only in a session that asks for ``spark_backend``, with the cheapest
settings that still exercise the real pyspark backend: one local core, no UI, one shuffle
partition, UTC session time zone, a warehouse in a temporary directory and quiet logging.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from typing import Any

import ibis
import pytest


@pytest.fixture(scope="session")
def duckdb_backend() -> Iterator[Any]:
    con = ibis.duckdb.connect()
    yield con
    con.disconnect()


@pytest.fixture(scope="session")
def spark_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no "hostname resolves to a loopback address" warning
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas.*", category=FutureWarning)
    from pyspark.sql import SparkSession

    work = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("fupin-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalogImplementation", "in-memory")  # no Hive metastore to create
        .config("spark.sql.warehouse.dir", str(work / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work}")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.ERROR)
    try:
        yield ibis.pyspark.connect(session)
    finally:
        session.stop()


@pytest.fixture
def scratch_database(tmp_path):
    """Environment for running ``fupin`` in a subprocess on a database of its own, of the
    kind this suite runs on: a SQLite file (read by the ADBC SQLite driver), or a fresh
    PostgreSQL database (read by the ADBC PostgreSQL driver)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["FUPIN_DATA_DIR"] = str(tmp_path)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield env
        return
    import psycopg

    base, _, name = url.rpartition("/")
    scratch = f"{name}_cli"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    env["DATABASE_URL"] = f"{base}/{scratch}"
    yield env
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
