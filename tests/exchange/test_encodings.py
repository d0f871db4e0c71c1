"""Encodings: a file in Big5, Shift-JIS or Latin-1 is refused with the file and what it looks
like named, and nothing is imported (it used to decode as GB18030 and import as mojibake);
UTF-8 (with or without BOM) and GB18030/GBK keep importing."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fupin.exchange.importer import import_package
from fupin.exchange.reader import decode
from fupin.registry.models import Helper, Household
from tests.exchange.test_import import snapshot, valid_package

HEADER = "household,name,unit,post,phone"
SIMPLIFIED = [
    ("王建国", "县扶贫办", "科员"),
    ("李淑华", "乡政府", "副乡长"),
    ("张伟", "县农业局", "技术员"),
    ("刘长顺", "村委会", "村主任"),
    ("陈丽娟", "县教育局", "干部"),
    ("杨国强", "镇卫生院", "医生"),
    ("赵凤兰", "县财政局", "会计"),
    ("黄德胜", "县水务局", "工程师"),
]
TRADITIONAL = [  # the same people, written in Taiwan or Hong Kong
    ("王建國", "縣扶貧辦", "科員"),
    ("李淑華", "鄉政府", "副鄉長"),
    ("張偉", "縣農業局", "技術員"),
    ("劉長順", "村委會", "村主任"),
    ("陳麗娟", "縣教育局", "幹部"),
    ("楊國強", "鎮衛生院", "醫生"),
    ("趙鳳蘭", "縣財政局", "會計"),
    ("黃德勝", "縣水務局", "工程師"),
]
JAPANESE = [
    ("山田花子", "市役所", "係長"),
    ("佐藤健一", "農業協同組合", "職員"),
    ("鈴木一郎", "町役場", "課長"),
    ("高橋さくら", "福祉センター", "スタッフ"),
]
LATIN = [
    ("José Müller", "Café Société", "Gérant"),
    ("Zoë Ærø", "Økonomi", "Rådgiver"),
    ("François Lefèvre", "Mairie", "Employé"),
]
HOUSEHOLDS = 8


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def package(tmp_path: Path, village: str, people: list[tuple[str, str, str]], encoding: str, bom: bytes = b"") -> Path:
    """Households in UTF-8 and their helpers in ``encoding``, as a clerk's Excel saves them."""
    folder = valid_package(tmp_path, village, n=HOUSEHOLDS)
    rows = [HEADER]
    for i in range(HOUSEHOLDS):
        name, unit, post = people[i % len(people)]
        rows.append(f"{village}{9000 + i:04d},{name},{unit},{post},1390000{i:04d}")
    (folder / "helpers.csv").write_bytes(bom + ("\r\n".join(rows) + "\r\n").encode(encoding))
    return folder


@pytest.mark.parametrize(
    ("people", "encoding", "named"),
    [(TRADITIONAL, "big5", "Big5"), (JAPANESE, "shift_jis", "Shift-JIS"), (LATIN, "latin-1", "Latin-1 (Windows-1252)")],
)
def test_a_file_in_another_encoding_is_refused_naming_the_file_and_the_encoding(
    tmp_path, yanshou_village, people, encoding, named
):
    folder = package(tmp_path, yanshou_village, people, encoding)
    before = snapshot()
    plan, result = import_package(folder)
    assert result is None
    assert [str(e) for e in plan.errors] == [
        f"helpers.csv: the file looks like {named} text, neither UTF-8 nor GB18030 (GBK): imported, it would be "
        "garbled; save it as UTF-8 or GB18030 (GBK) CSV"
    ]
    assert snapshot() == before
    # the command exits non-zero and imports nothing either
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(folder), stderr=err)
    assert "helpers.csv" in err.getvalue() and named in err.getvalue()
    assert snapshot() == before and not Household.objects.filter(code__startswith=f"{yanshou_village}9").exists()


def test_the_refusal_is_in_chinese_too(tmp_path, yanshou_village):
    data = (HEADER + "\n" + "\n".join(",".join(("1", *p, "1")) for p in TRADITIONAL)).encode("big5")
    with translation.override("zh-hans"):
        error = decode(data, "helpers.csv")
    assert not isinstance(error, str)
    assert error.file == "helpers.csv" and "Big5" in error.reason and "乱码" in error.reason


@pytest.mark.parametrize(
    ("people", "encoding", "bom"),
    [
        (SIMPLIFIED, "gbk", b""),
        (SIMPLIFIED, "gb18030", b""),
        (TRADITIONAL, "gb18030", b""),  # traditional characters are GB18030 too: Excel may write them
        (SIMPLIFIED, "utf-8", b""),
        (SIMPLIFIED, "utf-8", codecs.BOM_UTF8),
        (LATIN, "utf-8", b""),
    ],
)
def test_utf8_and_the_gb_family_keep_importing(tmp_path, yanshou_village, people, encoding, bom):
    folder = package(tmp_path, yanshou_village, people, encoding, bom)
    plan, result = import_package(folder)
    assert plan.errors == [] and result and result["changed"]
    names = set(Helper.objects.filter(household__code__startswith=yanshou_village).values_list("name", flat=True))
    assert names == {p[0] for p in people[:HOUSEHOLDS]}


def test_short_and_pure_ascii_files_are_read():
    assert decode(b"household,name\n1,Wang\n", "helpers.csv") == "household,name\n1,Wang\n"
    short = "household,name\n1,张伟\n".encode("gbk")  # too short for a detector to be sure
    assert decode(short, "helpers.csv") == "household,name\n1,张伟\n"
