"""Import benchmark, in one process against one database (SQLite or $DATABASE_URL).

The demo at ``--scale`` is exported in the exchange format; then the same rows are
loaded two ways into the empty registry tables:

- Fupin: ``fupin import`` (read, validate everything, resolve natural keys, compare with
  the database, write through the bulk path into the real tables with their indexes and
  foreign keys, one transaction, one audit event);
- raw: the database's own bulk path for the same rows with nothing else: ``COPY ... FROM
  STDIN (FORMAT csv)`` on PostgreSQL, one-transaction ``executemany`` on SQLite, of rows
  already resolved to ids and rendered before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from fupin.demo.load import generate_demo
from fupin.exchange.exporter import export_package
from fupin.exchange.importer import import_package
from fupin.geo.models import AdminArea
from fupin.geo.services import areas_load, read_area_file
from fupin.registry.demo import registry_tables
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

REGISTRY = [StatusEvent, IncomeRecord, Person, Helper, SecondaryCause, Household]
FILES = ["households", "helpers", "members", "incomes", "status_events"]


def empty_registry() -> None:
    from fupin.programs.models import Beneficiary

    with transaction.atomic():
        # projects' beneficiaries point at households: they go first
        Beneficiary.objects.all()._raw_delete(Beneficiary.objects.db)
        for model in REGISTRY:
            model.objects.all()._raw_delete(model.objects.db)


def _csv_value(value: object) -> str:
    """COPY's CSV: unquoted empty is NULL, quoted text is text."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def raw_load(scale: float) -> tuple[float, int]:
    """The floor: the same registry rows, already resolved to database ids and rendered
    for the driver before the clock starts, written by the driver alone into the same
    tables (psycopg ``COPY`` of CSV text; sqlite3 ``executemany``), in one transaction.
    Tables are prepared one at a time and only the writes are timed."""
    demo = generate_demo(scale=scale, seed=1).generated["registry"]
    count = 0
    elapsed = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for model, fields, rows in registry_tables(demo):
            columns = ", ".join(model._meta.get_field(f).column for f in fields)
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                data = "".join(",".join(_csv_value(v) for v in row) + "\n" for row in rows).encode()
                started = time.perf_counter()
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(data)
                elapsed += time.perf_counter() - started
                count += data.count(b"\n")
            else:
                prepared = [tuple(str(v) if hasattr(v, "isoformat") else v for v in r) for r in rows]
                started = time.perf_counter()
                raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(fields))})", prepared)
                elapsed += time.perf_counter() - started
                count += len(prepared)
            del rows
        started = time.perf_counter()
    elapsed += time.perf_counter() - started  # the commit (PostgreSQL checks the foreign keys here)
    return elapsed, count


def peak_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, scale: float, folder: Path) -> dict[str, float]:
    """One step of the benchmark, in a process of its own, so that one step's memory
    (the generated demo, the import's frames) is not counted in the next."""
    if name == "setup":
        call_command("migrate", verbosity=0)
        areas_load(rows=read_area_file())
        if not Household.objects.exists():
            call_command("demo", scale=scale, seed=1, stdout=open(os.devnull, "w"))  # noqa: SIM115
        return {}
    if name == "export":
        t = time.perf_counter()
        export_package(folder, entities=FILES)
        return {"seconds": time.perf_counter() - t, "bytes": sum(p.stat().st_size for p in folder.iterdir())}
    if name == "raw":
        empty_registry()
        seconds, rows = raw_load(scale)
        return {"seconds": seconds, "rows": rows}
    if name in ("import", "reimport"):
        if name == "import":
            empty_registry()
            assert AdminArea.objects.exists()
        t = time.perf_counter()
        plan, result = import_package(folder)
        seconds = time.perf_counter() - t
        assert not plan.errors, plan.errors[:5]
        assert result is not None and bool(result["changed"]) == (name == "import"), result
        return {"seconds": seconds}
    raise ValueError(name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--phase", choices=["setup", "export", "raw", "import", "reimport"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.phase:
        figures = phase(args.phase, args.scale, args.folder)
        print(json.dumps({**figures, "peak_mb": peak_mb()}), flush=True)
        return

    folder = Path(tempfile.mkdtemp(prefix="fupin-export-"))
    results = {}
    for name in ("setup", "export", "raw", "import", "reimport"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.exchange",
                "--scale",
                str(args.scale),
                "--phase",
                name,
                "--folder",
                folder,
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        results[name] = json.loads(out.strip().splitlines()[-1])
    shutil.rmtree(folder)
    export, raw, fupin, again = results["export"], results["raw"], results["import"], results["reimport"]
    rows = raw["rows"]
    print(
        f"database: {connection.vendor}; demo scale {args.scale}; "
        f"export {export['seconds']:.1f} s, {export['bytes'] / 1e6:.0f} MB (peak {export['peak_mb']:,.0f} MB)"
    )
    print(f"raw bulk load: {rows:,.0f} rows in {raw['seconds']:.1f} s ({rows / raw['seconds']:,.0f} rows/s)")
    print(
        f"fupin import (validated): {fupin['seconds']:.1f} s ({rows / fupin['seconds']:,.0f} rows/s, "
        f"peak {fupin['peak_mb']:,.0f} MB); ratio fupin/raw = {fupin['seconds'] / raw['seconds']:.2f}"
    )
    print(
        f"fupin import of the same package again (finds nothing to change): {again['seconds']:.1f} s "
        f"(peak {again['peak_mb']:,.0f} MB)"
    )


if __name__ == "__main__":
    main()
