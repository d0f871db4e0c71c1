"""Run every benchmark on SQLite and on PostgreSQL (each in its own process and database)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

SCALE = os.environ.get("FUPIN_BENCH_SCALE", "0.1")
PG_URL = os.environ.get("FUPIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/fupin_bench")


def run(database: str) -> int:
    env = {**os.environ, "FUPIN_DATA_DIR": tempfile.mkdtemp(prefix="fupin-bench-")}
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        env["DATABASE_URL"] = PG_URL
    print(f"\n### {database}", flush=True)
    codes = [
        subprocess.call([sys.executable, "-m", f"benchmarks.{name}", "--scale", SCALE], env=env)
        for name in ("registry", "exchange", "analytics", "funds", "report")
    ]
    return max(codes)


def main() -> None:
    codes = [run("sqlite")]
    if subprocess.call(["pg_isready", "-q", "-h", "127.0.0.1"]) == 0:
        dbname = PG_URL.rsplit("/", 1)[1]
        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        subprocess.check_call(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {dbname}"])
        subprocess.check_call(["psql", admin, "-qc", f"CREATE DATABASE {dbname}"])
        codes.append(run("postgresql"))
    else:
        print("\nPostgreSQL is not answering on 127.0.0.1: its benchmark did not run", file=sys.stderr)
        codes.append(1)
    sys.exit(max(codes))


if __name__ == "__main__":
    main()
