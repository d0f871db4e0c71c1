"""The security issue's acceptance checks, run on a copy of the demo province.

    .venv/bin/python scripts/acceptance/trust.py [--scale 0.01] [--keep]

Everything goes through what users and operators run: the ``fupin`` commands and a live
``fupin serve`` (gunicorn) answering HTTP on the loopback. Each check prints PASS or FAIL
with its figure; the exit status is the number of failures. It makes its own data
directories under a temporary folder and touches nothing else.
"""

from __future__ import annotations

import argparse
import calendar
import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FUPIN = str(BIN / "fupin")
YANSHOU = "230129000000"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
failures: list[str] = []


def check(ok: bool, what: str, figure: object = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f": {figure}" if figure != "" else ""), flush=True)
    if not ok:
        failures.append(what)


def fupin(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, ok: bool = True
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update({"FUPIN_DATA_DIR": str(data_dir), **(env or {})})
    done = subprocess.run([FUPIN, *args], env=environ, capture_output=True, text=True, check=False)
    if ok and done.returncode != 0:
        sys.exit(f"fupin {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def check_digit(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def candidates(masked: str, birth: str, sex: str) -> int:
    """How many valid ID numbers agree with what is shown, the area code being known
    from the household's village: dates × sequence numbers (× 1/11 if the check digit
    shows). Exact for the dates and sequences, which is what the masking must hide."""
    digits = masked.ljust(18, "*")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth or ""):
        years = [int(birth[:4])]
        dates = [birth.replace("-", "")]
    else:
        years = [int(birth)] if re.fullmatch(r"\d{4}", birth or "") else list(range(1900, 2027))
        dates = [
            f"{y:04d}{m:02d}{d:02d}"
            for y in years
            for m in range(1, 13)
            for d in range(1, calendar.monthrange(y, m)[1] + 1)
        ]
    dates = [d for d in dates if all(s == "*" or s == c for s, c in zip(digits[6:14], d, strict=True))]
    sequences = [
        f"{n:03d}"
        for n in range(1000)
        if all(s == "*" or s == c for s, c in zip(digits[14:17], f"{n:03d}", strict=True))
        and (not sex or (n % 2 == 1) == (sex in {"male", "M", "1"}))
    ]
    count = len(dates) * len(sequences)
    if digits[17] != "*":  # a shown check digit keeps about one candidate in eleven
        count = max(1, count // 11) if count else 0
    return count


class Client:
    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, data: object = None, form: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Accept": "application/json"}
        body = None
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        if form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
            headers["Accept"] = "text/html"
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def json(self, path: str) -> dict:
        status, text, _ = self.request("GET", path)
        if status != 200:
            sys.exit(f"GET {path}: {status} {text[:300]}")
        return json.loads(text)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a login answers 302: keep it visible
        return None


def serve(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(data_dir / "server.log", "w")  # noqa: SIM115
    env = {**os.environ, "FUPIN_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([FUPIN, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=5)  # noqa: S310 - loopback
            return server, base
        except urllib.error.HTTPError:
            return server, base
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="0.01")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    top = Path(tempfile.mkdtemp(prefix="fupin-trust-"))
    demo = top / "demo"
    print(f"demo province at scale {args.scale} in {demo}", flush=True)
    fupin(demo, "migrate", "--no-input", "-v", "0")
    fupin(demo, "demo", "--scale", args.scale, "--seed", "1")
    server, base = serve(demo)
    try:
        api_checks(demo, base)
    finally:
        server.terminate()
        server.wait(30)
    cli_checks(top, demo)
    if not args.keep:
        shutil.rmtree(top, ignore_errors=True)
    print(f"\n{len(failures)} failed" if failures else "\nall checks passed")
    return len(failures)


def api_checks(demo: Path, base: str) -> None:
    yanshou = Client(base, fupin(demo, "token", "yanshou").stdout.strip())
    province = Client(base, fupin(demo, "token", "province").stdout.strip())
    auditor = Client(base, fupin(demo, "token", "auditor").stdout.strip())

    # 1. a county office cannot create money
    before = province.json("/api/fund-entries/?page_size=1")["count"]
    status, text, _ = yanshou.request(
        "POST",
        "/api/fund-entries/appropriate/",
        {"area": YANSHOU, "source": "central", "year": 2009, "amount": "1000000000.00"},
    )
    after = province.json("/api/fund-entries/?page_size=1")["count"]
    check(
        400 <= status < 500 and before == after,
        "a county office's appropriation of central funds is refused",
        f"{status} {text[:160]}; entries {before} → {after}",
    )

    # 2. the rebuilding attack as the auditor
    rebuilt = seen = 0
    page = "/api/persons/?page_size=200"
    for _ in range(5):
        body = auditor.json(page)
        for person in body["results"]:
            seen += 1
            if (
                candidates(person.get("id_number", ""), str(person.get("birth_date") or ""), person.get("sex", ""))
                < 10_000
            ):
                rebuilt += 1
        if not body.get("next"):
            break
        page = urllib.parse.urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    check(
        rebuilt == 0 and seen > 0,
        "the rebuilding attack as the auditor",
        f"{rebuilt} of {seen} ID numbers narrowed below 10,000 candidates",
    )
    one = province.json("/api/persons/?page_size=1")["results"][0]
    found = auditor.json(f"/api/persons/?q={one['id_number']}")["count"]
    check(found == 0, "search by a full ID number needs the permission", f"{found} found as the auditor")

    # 3. a household code containing '/'
    village_code = yanshou.json(f"/api/areas/?area={YANSHOU}&level=village&page_size=1")["results"][0]["code"]
    first17 = "230129" + "19700101" + "123"
    status, text, _ = yanshou.request(
        "POST",
        "/api/households/",
        {
            "village": village_code,
            "code": village_code + "/1",
            "members": [
                {
                    "name": "王试",
                    "id_number": first17 + check_digit(first17),
                    "relation": "HEAD",
                    "education": "PRIMARY",
                    "labour": "ORDINARY",
                }
            ],
        },
    )
    check(
        status == 400 and '"code"' in text,
        "a household code containing / is refused naming the field",
        f"{status} {text[:160]}",
    )

    # 6. lockout: 30 wrong passwords, then the right one is refused
    browser = Client(base)
    statuses = []
    for password in ["wrong-password"] * 30 + ["fupin-demo"]:
        browser.jar.clear()
        _, page_html, _ = browser.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html)
        status, _, _ = browser.request(
            "POST",
            "/accounts/login/",
            form={"username": "harbin", "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""},
        )
        statuses.append(status)
    check(
        statuses[-1] != 302,
        "after 30 wrong passwords the right one is refused",
        f"last answer {statuses[-1]}, wrong ones answered {sorted(set(statuses[:-1]))}",
    )


def cli_checks(top: Path, demo: Path) -> None:
    # 6. the password validators
    done = fupin(demo, "user_add", "u1", "--password", "1", "--role", "county", "--area", YANSHOU, ok=False)
    check(
        done.returncode != 0,
        "fupin user_add … --password 1 is refused",
        (done.stderr or done.stdout).strip().splitlines()[-1:],
    )

    # 8. a sqlite:/// URL runs in WAL mode
    url_dir = top / "url"
    url_dir.mkdir()
    db = url_dir / "x.sqlite3"
    fupin(url_dir, "migrate", "--no-input", "-v", "0", env={"DATABASE_URL": f"sqlite:///{db}"})
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    check(mode == "wal", "DATABASE_URL=sqlite:///x runs in WAL mode", mode)

    # 10. backup, then restore into an empty database
    backup = top / "fupin.backup"
    fupin(demo, "backup", str(backup))
    restored = top / "restored"
    done = fupin(restored, "restore", str(backup), ok=False)
    counts = {}
    for label, path in (("demo", demo / "fupin.sqlite3"), ("restored", restored / "fupin.sqlite3")):
        if path.exists():
            con = sqlite3.connect(path)
            tables = [
                r[0]
                for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            ]
            counts[label] = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    same = done.returncode == 0 and counts.get("demo") == counts.get("restored")
    check(
        same,
        "fupin backup then fupin restore gives equal row counts in every table",
        f"{len(counts.get('demo', {}))} tables, {sum(counts.get('demo', {}).values()):,} rows"
        if same
        else (done.stderr or "")[-300:],
    )

    # 12. a registry-only import, then the annual report
    package = top / "registry"
    fupin(
        demo,
        "export",
        str(package),
        "--area",
        YANSHOU,
        *[a for e in ("households", "helpers", "members", "incomes", "status_events") for a in ("--entity", e)],
    )
    fresh = top / "fresh"
    fupin(fresh, "migrate", "--no-input", "-v", "0")
    done = fupin(fresh, "import", str(package), ok=False)
    report = fupin(fresh, "report", "annual", "--year", "2009", "--format", "json", ok=False)
    ok = done.returncode == 0 and report.returncode == 0
    figure = ""
    if ok:
        rows = json.loads(report.stdout)
        rows = rows.get("indicators", rows) if isinstance(rows, dict) else rows
        figure = f"{sum(1 for r in rows if r.get('available'))} indicators computed" if isinstance(rows, list) else ""
    check(
        ok,
        "a registry-only import is followed by a working annual report",
        figure or (done.stderr + report.stderr)[-300:],
    )


if __name__ == "__main__":
    sys.exit(main())
