"""Import: every kind of bad input gets a clear error naming the file, line and column,
and the database is unchanged; good packages import atomically and idempotently."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fupin.core.models import AuditEvent
from fupin.exchange.exporter import export_frames, write_package, write_xlsx
from fupin.exchange.importer import import_package
from fupin.registry.idnumbers import make
from fupin.registry.models import Helper, Household, IncomeRecord, Person, SecondaryCause, StatusEvent

HOUSEHOLD_HEADER = "code,village,status,main_cause"
MEMBER_HEADER = "id_number,household,name,relation,education,labour"


def snapshot():
    return tuple(
        m.objects.count() for m in (Household, Person, IncomeRecord, StatusEvent, SecondaryCause, Helper, AuditEvent)
    )


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder


def valid_package(tmp_path: Path, village: str, n: int = 1) -> Path:
    households = [HOUSEHOLD_HEADER]
    members = [MEMBER_HEADER]
    for i in range(n):
        code = f"{village}{9000 + i:04d}"
        households.append(f"{code},{village},non_poor,")
        members.append(
            f"{make(village[:6], dt.date(1980, 1, 1) + dt.timedelta(days=i), 1)},{code},户主{i},HEAD,PRIMARY,ORDINARY"
        )
    write(tmp_path, "households.csv", "\n".join(households) + "\n")
    return write(tmp_path, "members.csv", "\n".join(members) + "\n")


def errors_of(path: Path, **kw) -> list[str]:
    plan, result = import_package(path, **kw)
    assert result is None
    return [str(e) for e in plan.errors]


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def unchanged(db):
    before = snapshot()
    yield
    assert snapshot() == before


def test_a_valid_package_imports_and_then_changes_nothing(tmp_path, yanshou_village):
    package = valid_package(tmp_path, yanshou_village, n=3)
    plan, result = import_package(package)
    assert plan.errors == [] and result["changed"]
    assert Household.objects.filter(code__startswith=yanshou_village).count() == 3
    event = AuditEvent.objects.get(action="exchange.import")
    assert event.channel == "import" and event.after["counts"]["members"]["created"] == 3
    assert len(event.after["sha256"]) == 64
    before = snapshot()
    plan, result = import_package(package)
    assert result == {"counts": plan.counts(), "changed": False}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [("utf-16", "UTF-16"), ("latin-1", "neither UTF-8 nor GB18030")],
)
def test_wrong_encoding(tmp_path, unchanged, yanshou_village, encoding, reason):
    text = f"{HOUSEHOLD_HEADER}\n{yanshou_village}9001,{yanshou_village},non_poor,\n"
    data = text.encode(encoding) if encoding == "utf-16" else (text + "caf\xe9\n").encode(encoding)
    (tmp_path / "households.csv").write_bytes(data)
    errors = errors_of(tmp_path)
    assert errors and errors[0].startswith("households.csv:") and reason in errors[0]


def test_utf8_bom_and_gb18030_are_read(tmp_path, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    members = (tmp_path / "members.csv").read_text()
    (tmp_path / "members.csv").write_bytes(members.encode("gb18030"))
    households = (tmp_path / "households.csv").read_text()
    (tmp_path / "households.csv").write_bytes(codecs.BOM_UTF8 + households.encode())
    plan, _result = import_package(tmp_path)
    assert plan.errors == []
    assert Person.objects.filter(name="户主0").exists()


def test_missing_column(tmp_path, unchanged, yanshou_village):
    write(tmp_path, "households.csv", f"code,status\n{yanshou_village}9001,non_poor\n")
    assert "households.csv:1:village: required column is missing" in errors_of(tmp_path)


def test_unknown_column(tmp_path, unchanged, yanshou_village):
    write(
        tmp_path,
        "households.csv",
        f"{HOUSEHOLD_HEADER},colour\n{yanshou_village}9001,{yanshou_village},non_poor,,red\n",
    )
    assert any(e.startswith("households.csv:1:colour: unknown column") for e in errors_of(tmp_path))


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("year", "2009.5", "is not a whole number"),
        ("wage", "1,200", "is not a number with at most 2 decimals"),
        ("wage", "-5", "must be zero or more"),
        ("household_size", "0", "A whole number between 1 and 99."),
    ],
)
def test_wrong_type(tmp_path, make_household, yanshou_village, column, value, reason):
    household = make_household(yanshou_village, per_capita=None)
    row = {"household": household.code, "year": "2009", "household_size": "3", "wage": "100"}
    row[column] = value
    write(tmp_path, "incomes.csv", ",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n")
    before = snapshot()
    errors = errors_of(tmp_path)
    assert snapshot() == before
    assert any(e.startswith(f"incomes.csv:2:{column}:") and reason in e for e in errors), errors


def test_bad_date(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    members = (tmp_path / "members.csv").read_text().splitlines()
    write(tmp_path, "members.csv", members[0] + ",birth_date\n" + members[1] + ",1980-13-01\n")
    assert any("members.csv:2:birth_date: “1980-13-01” is not a date" in e for e in errors_of(tmp_path))


def test_unknown_code(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    text = (tmp_path / "members.csv").read_text().replace(",HEAD,", ",BOSS,")
    write(tmp_path, "members.csv", text)
    assert any(e.startswith("members.csv:2:relation: unknown code “BOSS”") for e in errors_of(tmp_path))


def test_bad_id_check_digit(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    lines = (tmp_path / "members.csv").read_text().splitlines()
    number = lines[1].split(",")[0]
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    write(tmp_path, "members.csv", "\n".join([lines[0], lines[1].replace(number, wrong)]) + "\n")
    errors = errors_of(tmp_path)
    assert any(e.startswith("members.csv:2:id_number: Invalid ID number: its check digit") for e in errors), errors


def test_duplicate_key_in_the_file(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    lines = (tmp_path / "households.csv").read_text().splitlines()
    write(tmp_path, "households.csv", "\n".join([lines[0], lines[1], lines[1]]) + "\n")
    assert any(e.startswith("households.csv:3:code: duplicate key") and "line 2" in e for e in errors_of(tmp_path))


def test_duplicate_against_the_database(tmp_path, make_household, yanshou_village):
    existing = make_household(yanshou_village, size=1)
    number = existing.members.get().id_number
    valid_package(tmp_path, yanshou_village)
    lines = (tmp_path / "members.csv").read_text().splitlines()
    write(tmp_path, "members.csv", lines[0] + "\n" + lines[1].replace(lines[1].split(",")[0], number) + "\n")
    before = snapshot()
    errors = errors_of(tmp_path)
    assert any(e.startswith("members.csv:2:id_number:") and existing.code in e for e in errors), errors
    assert snapshot() == before


def test_reference_to_a_missing_village(tmp_path, unchanged):
    write(tmp_path, "households.csv", f"{HOUSEHOLD_HEADER}\n2301299999990001,230129999999,non_poor,\n")
    assert any(
        e.startswith("households.csv:2:village: Unknown village code “230129999999”.") for e in errors_of(tmp_path)
    )


def test_a_database_without_the_tree_says_so_once(tmp_path, unchanged, yanshou_village):
    """A package of many households on a database whose administrative tree is empty gets
    one error that says what to do, not one "unknown village" per row."""
    from django.db import connection

    valid_package(tmp_path, yanshou_village, n=30)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM geo_adminarea")  # inside the test's transaction: rolled back after
    assert errors_of(tmp_path) == ["households.csv: the administrative tree is not loaded: run `fupin load_areas`"]


def test_a_member_whose_household_is_missing(tmp_path, unchanged, yanshou_village):
    write(
        tmp_path,
        "members.csv",
        f"{MEMBER_HEADER}\n{make('230129', dt.date(1970, 1, 1), 3)},NOPE,张三,HEAD,PRIMARY,ORDINARY\n",
    )
    assert any(e.startswith("members.csv:2:household: household “NOPE” is neither") for e in errors_of(tmp_path))


def test_an_xlsx_cell_holding_a_formula(tmp_path, unchanged, yanshou_village):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "households"
    sheet.append(["code", "village", "status"])
    sheet.append([f"{yanshou_village}9001", yanshou_village, "non_poor"])
    sheet["A3"] = '=A2&"1"'
    sheet["B3"] = yanshou_village
    sheet["C3"] = "non_poor"
    book.save(tmp_path / "package.xlsx")
    errors = errors_of(tmp_path / "package.xlsx")
    assert any(e.startswith("package.xlsx!households:3:code: cell A3 holds a formula") for e in errors), errors


def test_a_zip_with_dotdot_in_a_member_name(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path / "p", yanshou_village)
    archive = tmp_path / "p.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tmp_path / "p" / "households.csv", "households.csv")
        zf.writestr("../../evil.csv", "x")
    errors = errors_of(archive)
    assert errors == ["p.zip: unsafe file name in the archive: ../../evil.csv"]
    assert not (tmp_path.parent / "evil.csv").exists()


def test_a_zip_bomb_and_the_size_limit(tmp_path, unchanged, settings):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("households.csv", b"0" * (20 * 1024 * 1024))
    assert "zip bomb" in errors_of(bomb)[0]
    settings.FUPIN_IMPORT_MAX_BYTES = 100
    big = write(tmp_path / "big", "households.csv", HOUSEHOLD_HEADER + "\n" + "x" * 200)
    assert "size limit" in errors_of(big)[0]


def test_an_empty_file(tmp_path, unchanged):
    write(tmp_path, "households.csv", "")
    assert errors_of(tmp_path) == ["households.csv: the file is empty"]


def test_a_status_that_its_history_does_not_explain(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    text = (tmp_path / "households.csv").read_text().replace(",non_poor,", ",poor,")
    write(tmp_path, "households.csv", text)
    assert any(e.startswith("households.csv:2:status:") and "status events" in e for e in errors_of(tmp_path))


def test_illegal_step_in_the_history(tmp_path, unchanged, yanshou_village):
    valid_package(tmp_path, yanshou_village)
    code = f"{yanshou_village}9000"
    write(
        tmp_path,
        "status_events.csv",
        f"household,seq,procedure,action,date\n{code},1,identification,approve,2009-01-01\n",
    )
    assert any(e.startswith("status_events.csv:2:action:") for e in errors_of(tmp_path))


def test_import_as_a_user_applies_their_scope(tmp_path, county_user, unchanged, bayan_village):
    valid_package(tmp_path, bayan_village)
    assert any(
        "This record is outside the areas you are responsible for." in e for e in errors_of(tmp_path, user=county_user)
    )


def test_100000_rows_with_one_bad_row(tmp_path, yanshou_village):
    n = 25_000  # 25,000 households and 75,000 members: 100,000 rows
    codes = [f"{yanshou_village[:9]}{i // 9000 + 1:03d}{i % 9000 + 1:04d}" for i in range(n)]
    villages = [c[:12] for c in codes]
    from fupin.geo.models import AdminArea

    township = yanshou_village[:9]
    real = list(AdminArea.objects.filter(code__startswith=township, level="village").values_list("code", flat=True))
    villages = [real[i % len(real)] for i in range(n)]
    codes = [f"{villages[i]}{i:04d}" for i in range(n)]
    pl.DataFrame({"code": codes, "village": villages, "status": ["non_poor"] * n}).write_csv(
        tmp_path / "households.csv"
    )
    born = [dt.date(1950, 1, 1) + dt.timedelta(days=i % 20000) for i in range(3 * n)]
    ids = [make("230129", born[i], 1 + 2 * (i // 20000) + (i % 2)) for i in range(3 * n)]
    assert len(set(ids)) == 3 * n
    members = pl.DataFrame(
        {
            "id_number": ids,
            "household": [codes[i // 3] for i in range(3 * n)],
            "name": ["成员"] * (3 * n),
            "relation": ["HEAD" if i % 3 == 0 else "CHILD" for i in range(3 * n)],
            "education": ["PRIMARY"] * (3 * n),
            "labour": ["ORDINARY"] * (3 * n),
        }
    )
    bad_row = 54_321
    good = members["id_number"][bad_row]
    members.with_columns(
        pl.when(pl.int_range(pl.len()) == bad_row)
        .then(pl.lit(good[:17] + ("0" if good[17] != "0" else "1")))
        .otherwise(pl.col("id_number"))
        .alias("id_number")
    ).write_csv(tmp_path / "members.csv")
    before = snapshot()
    errors = errors_of(tmp_path)
    assert len(errors) == 1 and errors[0].startswith(f"members.csv:{bad_row + 2}:id_number:")
    assert snapshot() == before
    members.write_csv(tmp_path / "members.csv")  # fixed
    plan, result = import_package(tmp_path)
    assert plan.errors == [] and result["changed"]
    assert Person.objects.count() == before[1] + 3 * n
    assert Household.objects.count() == before[0] + n
    again = snapshot()
    plan, result = import_package(tmp_path)
    assert result["changed"] is False and snapshot() == again


def test_export_escapes_formulas_and_import_restores_them(tmp_path, province_user, make_household, yanshou_village):
    from fupin.registry import services

    household = make_household(yanshou_village)
    services.household_update(actor=province_user, household=household, changes={"address": "=HYPERLINK(1)"})
    frames = export_frames(entities=["households"])
    write_package(frames, tmp_path / "p")
    assert "'=HYPERLINK(1)" in (tmp_path / "p" / "households.csv").read_text(encoding="utf-8-sig")
    buffer = io.BytesIO()
    write_xlsx(frames, buffer)
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(buffer).active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    plan, _ = import_package(tmp_path / "p", dry_run=True)
    assert plan.errors == [] and plan.changes["households"].changed.height == 0


def test_command_prints_every_error_and_writes_a_report(tmp_path, yanshou_village):
    lines = [MEMBER_HEADER] + [f"BAD{i},NOPE,x,HEAD,PRIMARY,ORDINARY" for i in range(30)]
    write(tmp_path / "p", "members.csv", "\n".join(lines) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(tmp_path / "p"), stderr=err)
    assert "members.csv:2:id_number:" in err.getvalue()
    report = (tmp_path / "p.errors.csv").read_text(encoding="utf-8-sig")
    assert report.startswith("file,line,column,reason") and report.count("\n") > 30


def test_dry_run_writes_nothing(tmp_path, unchanged, yanshou_village):
    out = io.StringIO()
    call_command("import", str(valid_package(tmp_path, yanshou_village)), "--dry-run", stdout=out)
    assert "households: 1 new" in out.getvalue() and "dry run" in out.getvalue()


def test_rows_for_another_countys_stored_household_are_refused(
    tmp_path, county_user, make_household, yanshou_village, bayan_village
):
    theirs = make_household(bayan_village, per_capita=None)
    valid_package(tmp_path, yanshou_village)
    write(tmp_path, "incomes.csv", f"household,year,household_size,wage\n{theirs.code},2009,3,100\n")
    before = snapshot()
    errors = errors_of(tmp_path, user=county_user)
    assert any(e.startswith("incomes.csv:2:household: This record is outside the areas") for e in errors), errors
    assert snapshot() == before
