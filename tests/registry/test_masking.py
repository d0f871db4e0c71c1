"""Masked ID numbers cannot be rebuilt: the attack of the security test, run as an auditor
without ``registry.view_identifiers`` over everything such a user sees (the API's persons,
households and audit log, the household pages, the export), and the search by ID number
as a right of the permission."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from collections import Counter, defaultdict
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from fupin.core.choices import Role
from fupin.core.models import AuditEvent
from fupin.registry import idnumbers, services
from fupin.registry.models import Person
from tests.conftest import PASSWORD, id_number
from tests.testing import api

LIMIT = 10_000  # a hidden number must stay one of at least this many candidates
EARLIEST = dt.date(1900, 1, 1)


# --- the attacker's arithmetic --------------------------------------------------------------------


def _merge(patterns: list[str]) -> str | None:
    """One 18-character pattern (digit or ``*``) from every masked form seen of a number;
    None when they contradict each other."""
    out = ["*"] * 18
    for pattern in patterns:
        if len(pattern) != 18:
            continue
        for i, c in enumerate(pattern):
            if c == "*":
                continue
            if out[i] not in ("*", c):
                return None
            out[i] = c
    return "".join(out)


def candidates(pattern: str, sex: str, first: dt.date, last: dt.date, limit: int = LIMIT) -> int:
    """How many valid ID numbers fit ``pattern`` (its area digits filled in), the sex and a
    birth date between ``first`` and ``last``; counting stops at ``limit``. Exact: the check
    character is a weighted sum mod 11, so the sequences are counted by their share of it."""
    weights, checks = idnumbers.WEIGHTS, idnumbers.CHECK_CHARS
    by_residue: Counter[int] = Counter()
    for seq in range(1000):
        digits = f"{seq:03d}"
        if ("M" if int(digits[2]) % 2 else "F") != sex:
            continue
        if any(p not in ("*", c) for p, c in zip(pattern[14:17], digits, strict=True)):
            continue
        by_residue[sum(int(d) * w for d, w in zip(digits, weights[14:17], strict=True)) % 11] += 1
    area = sum(int(d) * w for d, w in zip(pattern[:6], weights[:6], strict=True))
    total, day = 0, first
    while day <= last and total < limit:
        text = f"{day:%Y%m%d}"
        if all(p in ("*", c) for p, c in zip(pattern[6:14], text, strict=True)):
            base = area + sum(int(d) * w for d, w in zip(text, weights[6:14], strict=True))
            for residue, n in by_residue.items():
                if pattern[17] in ("*", checks[(base + residue) % 11]):
                    total += n
        day += dt.timedelta(days=1)
    return total


def _birth_range(shown: list[str], before: dt.date | None) -> tuple[dt.date, dt.date]:
    """The birth dates consistent with every birth date shown (a full date, a year, or
    nothing) and with the earliest dated record of the person."""
    first, last = EARLIEST, before or dt.datetime.now(tz=dt.UTC).date()
    for value in shown:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            first, last = max(first, day), min(last, day)
        elif re.fullmatch(r"\d{4}", value):
            first, last = max(first, dt.date(int(value), 1, 1)), min(last, dt.date(int(value), 12, 31))
    return first, min(last, before or last)


def rebuilt(people: dict[tuple[str, str], dict[str, Any]]) -> list[tuple[str, str]]:
    """The people whose hidden number is narrowed to fewer than ``LIMIT`` candidates."""
    out = []
    for key, seen in people.items():
        pattern = _merge(seen["ids"])
        assert pattern is not None, (key, seen["ids"])
        # the area code: shown, or the county of the village (the attacker's best guess)
        area = "".join(p if p != "*" else v for p, v in zip(pattern[:6], seen["village"][:6], strict=True))
        first, last = _birth_range(seen["births"], min(seen["dated"], default=None))
        if candidates(area + pattern[6:], seen["sex"], first, last) < LIMIT:
            out.append(key)
    return out


# --- the people -------------------------------------------------------------------------------------


def _member(name: str, number: str, relation: str = "CHILD") -> services.MemberData:
    return services.MemberData(name=name, id_number=number, relation=relation, education="PRIMARY", labour="ORDINARY")


@pytest.fixture
def registry(db, province_user, yanshou_village):
    """People born on edge days (1 January, 31 December, 29 February), men and women, one
    born in another province, one edited (dated before and after in the audit log), and a
    newborn whose record was created a week after their birth, early in the year."""
    births = [
        dt.date(1950, 1, 1),
        dt.date(1961, 12, 31),
        dt.date(1988, 2, 29),
        dt.date(1970, 5, 17),
        dt.date(1999, 7, 1),
        dt.date(2005, 3, 9),
        dt.date(2012, 11, 30),
        dt.date(1944, 6, 6),
    ]
    households = []
    for h in range(4):
        members = [
            _member(
                f"户{h}成员{i}",
                id_number(
                    "110105" if (h, i) == (1, 1) else yanshou_village[:6], born=births[(2 * h + i) % 8], male=i == 0
                ),
                relation="HEAD" if i == 0 else "CHILD",
            )
            for i in range(3)
        ]
        households.append(
            services.household_register(
                actor=province_user,
                data=services.HouseholdData(village_code=yanshou_village, members=members, type_ordinary=True),
            )
        )
    edited = households[0].members.get(relation="HEAD")
    services.member_update(actor=province_user, person=edited, changes={"education": "JUNIOR"})
    # The newborn is recorded in the year of its birth. The audit log is append-only, so
    # the event gets that time when it is written, not by an UPDATE afterwards.
    recorded = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=recorded):
        newborn = services.member_add(
            actor=province_user,
            household=households[2],
            data=_member("新生儿", id_number(yanshou_village[:6], born=dt.date(2025, 1, 3), male=False)),
        )
    Person.objects.filter(pk=newborn.pk).update(created_at=recorded)
    assert AuditEvent.objects.get(object_type="registry.person", object_id=str(newborn.pk)).at == recorded
    return households


def _all_pages(client: Any, url: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    rows, page = [], 1
    while True:
        body = client.get(url, {**(params or {}), "page": page}).json()
        rows += body["results"]
        if not body.get("next"):
            return rows
        page += 1


_MEMBER_ROW = re.compile(
    r"<tr>\s*<td>([^<]*)</td>\s*<td class=\"code\">([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", re.S
)


def everything_visible(client: Any, web: Any, user: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """What ``user`` sees of each person, gathered from every channel and keyed by
    (household code, name): the masked numbers, the birth dates, the sex, the village and
    the dates of the records about them."""
    people: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"ids": [], "births": [], "dated": [], "channels": set()}
    )
    by_pk: dict[str, tuple[str, str]] = {}
    for row in _all_pages(client, "/api/persons/"):
        key = (row["household"], row["name"])
        by_pk[str(row["id"])] = key
        people[key]["ids"].append(row["id_number"])
        people[key]["births"].append(str(row["birth_date"]))
        people[key]["sex"] = row["sex"]
        people[key]["channels"].add("api persons")
    villages = {}
    for row in _all_pages(client, "/api/households/"):
        villages[row["code"]] = row["village"]
        detail = client.get(f"/api/households/{row['code']}/").json()
        for member in detail["members"]:
            key = (row["code"], member["name"])
            people[key]["ids"].append(member["id_number"])
            people[key]["births"].append(str(member["birth_date"]))
            people[key]["channels"].add("api household")
        page = web.get(reverse("web:household_detail", args=[row["code"]])).content.decode()
        for name, number, _sex, born in _MEMBER_ROW.findall(page):
            key = (row["code"], html.unescape(name))
            people[key]["ids"].append(number.strip())
            people[key]["births"].append(born.strip())
            people[key]["channels"].add("page")
    for event in _all_pages(client, "/api/audit/"):
        at = dt.date.fromisoformat(event["at"][:10])
        if event["object_type"] == "registry.person" and event["object_id"] in by_pk:
            key = by_pk[event["object_id"]]
            people[key]["dated"].append(at)
            people[key]["channels"].add("audit")
            for data in (event["before"], event["after"]):
                if data:
                    people[key]["ids"].append(data.get("id_number", ""))
                    people[key]["births"].append(str(data.get("birth_date", "")))
        if event["action"] == "household.register":
            for member in event["after"]["members"]:
                key = (event["object_repr"], member["name"])
                people[key]["dated"].append(at)
                people[key]["channels"].add("audit")
                people[key]["ids"].append(member["id_number"])
                people[key]["births"].append(str(member.get("birth_date", "")))
    response = web.get(reverse("exchange:export"), {"format": "zip", "entities": ["households", "members"]})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        exported = list(csv.DictReader(io.StringIO(zf.read("members.csv").decode("utf-8-sig"))))
    for row in exported:
        key = (row["household"], row["name"])
        people[key]["ids"].append(row["id_number"])
        people[key]["births"].append(row["birth_date"])
        people[key]["channels"].add("export")
    for (household, _name), seen in people.items():
        seen["village"] = villages[household]
    return dict(people)


def _login(client: Any, user: Any) -> Any:
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- the attack -------------------------------------------------------------------------------------


def test_the_rebuilding_attack_as_the_auditor_rebuilds_nothing(client, make_user, registry):
    auditor = make_user(Role.AUDITOR, ("230000000000",), identifiers=False)
    people = everything_visible(api(auditor), _login(client, auditor), auditor)
    assert len(people) == Person.objects.count() == 13
    channels = {"api persons", "api household", "page", "audit", "export"}
    assert all(seen["channels"] == channels and seen["dated"] for seen in people.values())
    assert rebuilt(people) == []


def test_the_same_attack_with_the_permission_rebuilds_everyone(client, make_user, registry):
    """The attack itself works: given what a user with the permission sees, every number
    is found (so the test above would see a leak)."""
    full = make_user(Role.AUDITOR, ("230000000000",), identifiers=True)
    people = everything_visible(api(full), _login(client, full), full)
    assert len(rebuilt(people)) == len(people) == 13


def test_candidates_counts_exactly():
    number = idnumbers.make("230129", dt.date(1970, 5, 17), 37)
    assert candidates(number, "M", dt.date(1970, 5, 17), dt.date(1970, 5, 17)) == 1
    assert candidates(number[:14] + "***" + number[17], "M", dt.date(1970, 5, 17), dt.date(1970, 5, 17)) in (45, 46)
    # area, year and sex known: 365 days × 500 sequence numbers
    pattern = "230129" + "*" * 12
    assert candidates(pattern, "F", dt.date(1970, 1, 1), dt.date(1970, 12, 31), limit=10**9) == 365 * 500
    # a year ending a week after the birth, as a dated record would end it
    assert candidates(pattern, "F", dt.date(2025, 1, 1), dt.date(2025, 1, 10)) == 10 * 500 < LIMIT


# --- search by ID number ---------------------------------------------------------------------------


def test_search_by_id_number_is_a_right_of_the_permission(client, make_user, registry):
    person = registry[1].members.get(relation="HEAD")
    auditor = make_user(Role.AUDITOR, ("230000000000",), identifiers=False)
    full = make_user(Role.AUDITOR, ("230000000000",), identifiers=True)
    for url in ("/api/persons/", "/api/households/"):
        assert api(auditor).get(url, {"q": person.id_number}).json()["count"] == 0
        assert api(auditor).get(url, {"q": person.id_number.lower()}).json()["count"] == 0
        assert api(full).get(url, {"q": person.id_number}).json()["count"] == 1
        # a name still finds the person
        assert api(auditor).get(url, {"q": person.name}).json()["count"] == 1
    page = _login(client, auditor).get(reverse("web:household_list"), {"q": person.id_number})
    assert list(page.context["rows"]) == []
    assert "ID number" not in str(page.context["form"]["q"].label)
    page = _login(client, full).get(reverse("web:household_list"), {"q": person.id_number})
    assert [r["household"].code for r in page.context["rows"]] == [registry[1].code]


def test_importing_members_needs_the_permission(tmp_path, make_user, registry):
    """A package of guessed ID numbers would otherwise tell which exist, and where."""
    from fupin.exchange.importer import import_package

    person = registry[3].members.get(relation="HEAD")
    (tmp_path / "members.csv").write_text(
        "id_number,household,name,relation,education,labour\n"
        f"{person.id_number},{registry[0].code},{person.name},CHILD,PRIMARY,ORDINARY\n",
        encoding="utf-8",
    )
    clerk = make_user(Role.COUNTY, ("230129000000",), identifiers=False)
    plan, result = import_package(tmp_path, user=clerk, dry_run=True)
    assert result is None
    assert [(e.file, e.line, e.column) for e in plan.errors] == [("members.csv", 0, "id_number")]
    assert registry[3].code not in str(plan.errors) and "members" not in plan.changes
    allowed = make_user(Role.COUNTY, ("230129000000",), identifiers=True)
    plan, _ = import_package(tmp_path, user=allowed, dry_run=True)
    assert registry[3].code in str(plan.errors)  # it may know where the number is


# --- with the permission -----------------------------------------------------------------------------


def test_the_permission_shows_everything(client, make_user, registry):
    full = make_user(Role.AUDITOR, ("230000000000",), identifiers=True)
    person = registry[0].members.get(relation="HEAD")
    row = api(full).get(f"/api/persons/{person.pk}/").json()
    assert (row["id_number"], row["birth_date"]) == (person.id_number, person.birth_date.isoformat())
    page = _login(client, full).get(reverse("web:household_detail", args=[registry[0].code])).content.decode()
    assert person.id_number in page and person.birth_date.isoformat() in page
    update = api(full).get("/api/audit/", {"action": "member.update"}).json()["results"][0]
    assert update["before"]["birth_date"] == person.birth_date.isoformat()
    response = client.get(reverse("exchange:export"), {"format": "zip", "entities": ["members"]})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        text = zf.read("members.csv").decode("utf-8-sig")
    assert f"{person.id_number},{registry[0].code},{person.name},M,{person.birth_date.isoformat()}" in text


def test_without_the_permission_each_channel_shows_the_area_code_and_the_year(client, make_user, registry):
    auditor = make_user(Role.AUDITOR, ("230000000000",), identifiers=False)
    person = registry[1].members.get(name="户1成员1")  # born in Beijing
    row = api(auditor).get(f"/api/persons/{person.pk}/").json()
    assert row["id_number"] == "110105" + "*" * 12
    assert row["birth_date"] == str(person.birth_date.year)
    newborn = Person.objects.get(name="新生儿")
    assert api(auditor).get(f"/api/persons/{newborn.pk}/").json()["birth_date"] == "****"
    page = _login(client, auditor).get(reverse("web:household_detail", args=[registry[1].code])).content.decode()
    for member in registry[1].members.all():
        assert member.id_number not in page and member.id_number[-4:] + "<" not in page
        assert member.birth_date.isoformat() not in page
    for event in api(auditor).get("/api/audit/").json()["results"]:
        for data in (event["before"] or {}, event["after"] or {}):
            assert data.get("birth_date") in (None, "****")
