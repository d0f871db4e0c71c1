"""Parity of the funds services and the import of ``fund_entries.csv``: every refusal of
``funds.services`` fed through the importer (``plan_import`` of a ledger file written
here) gives the same field and the same reason, since both apply ``funds.rules`` (and the
table of ``funds.authority``).

The services' refusals, and where each is checked here:

- every posting (``_amount``, ``_post``): an amount not greater than zero, an entry dated
  before its fund year allows, a disbursement dated before the project's first
  allocation, a posting that overdraws an account (an allocation beyond what the area has,
  a disbursement beyond what the project has, reversals of money that has moved on) (here);
  a number with too many decimals or too large, a source not of the list, a year outside
  Fupin's range, a document or note too long (the column checks of the exchange framework:
  the same field, the framework's wording).
- ``appropriate``: who may appropriate which source where (here; every source, role and
  place is walked by ``tests/funds/test_authority.py``); an area and a project both or
  neither (an import row always has its area: its kind and columns decide, refused by the
  file's own rules).
- ``allocate``: neither or both of an area and a project, an area that is not below, a
  project not in the area (here).
- ``reverse``: a reversal reversed, an entry reversed twice (here); no reason (an import's
  reversal is a row of its own, with its note).
- roles and scope: the file's role (``fund_entries.csv`` needs a county office but for
  disbursements) and the user's areas, by the area the money comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fupin.core.errors import ApplicationError
from fupin.exchange.importer import import_package
from fupin.funds import services as funds
from fupin.funds.models import Entry
from fupin.geo.models import AdminArea
from tests.conftest import BAYAN, YANSHOU
from tests.exchange.test_programs import english, world  # noqa: F401  (fixtures)

PROVINCE = "230000000000"
HEADER = "number,kind,source,year,date,amount,area,to_area,project,reverses\n"


def refusal(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value.field or "", str(exc.value.message)


def import_errors(folder: Path, rows: list[str], user=None) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fund_entries.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    plan, result = import_package(folder, user=user)
    assert result is None
    return [(e.column, e.reason) for e in plan.errors]


def assert_parity(service: tuple[str, str], errors: list[tuple[str, str]]) -> None:
    assert service in errors, (service, errors)


@pytest.fixture
def case(world, province_user, tmp_path):  # noqa: F811
    area = {code: AdminArea.objects.get(code=code) for code in (PROVINCE, YANSHOU, BAYAN)}
    return {**world, "actor": province_user, "area": area, "tmp": tmp_path}


def test_postings(case):
    actor, area, road = case["actor"], case["area"], case["road"]
    village = road.area.code
    on = dt.date(2009, 8, 1)
    cases = [
        (  # zero
            lambda: funds.appropriate(actor=actor, area=area[PROVINCE], source="central", year=2009, amount="0", on=on),
            [f"N1,appropriation,central,2009,2009-08-01,0,{PROVINCE},,,"],
        ),
        (  # negative, not a reversal
            lambda: funds.appropriate(
                actor=actor, area=area[PROVINCE], source="central", year=2009, amount="-5", on=on
            ),
            [f"N1,appropriation,central,2009,2009-08-01,-5,{PROVINCE},,,"],
        ),
        (  # dated two years before its fund year
            lambda: funds.appropriate(actor=actor, area=area[PROVINCE], source="central", year=2011, amount="5", on=on),
            [f"N1,appropriation,central,2011,2009-08-01,5,{PROVINCE},,,"],
        ),
        (  # a disbursement before the first allocation (2009-03-01)
            lambda: funds.disburse(
                actor=actor, project=road, source="central", year=2009, amount="5", on=dt.date(2009, 2, 1)
            ),
            [f"N1,disbursement,central,2009,2009-02-01,5,{village},,YS-2009-001,"],
        ),
        (  # 50,000 are left on the road project
            lambda: funds.disburse(actor=actor, project=road, source="central", year=2009, amount="60000", on=on),
            [f"N1,disbursement,central,2009,2009-08-01,60000,{village},,YS-2009-001,"],
        ),
        (  # the province has 400,000 left
            lambda: funds.allocate(
                actor=actor,
                from_area=area[PROVINCE],
                to_area=area[YANSHOU],
                source="central",
                year=2009,
                amount="400000.01",
                on=on,
            ),
            [f"N1,allocation,central,2009,2009-08-01,400000.01,{PROVINCE},{YANSHOU},,"],
        ),
        (  # an area that is not below
            lambda: funds.allocate(
                actor=actor, from_area=area[YANSHOU], to_area=area[PROVINCE], source="central", year=2009, amount="5"
            ),
            [f"N1,allocation,central,2009,2009-08-01,5,{YANSHOU},{PROVINCE},,"],
        ),
        (  # a project not in the area
            lambda: funds.allocate(
                actor=actor, from_area=area[BAYAN], project=road, source="central", year=2009, amount="5"
            ),
            [f"N1,allocation,central,2009,2009-08-01,5,{BAYAN},,YS-2009-001,"],
        ),
        (  # neither an area nor a project
            lambda: funds.allocate(actor=actor, from_area=area[YANSHOU], source="central", year=2009, amount="5"),
            [f"N1,allocation,central,2009,2009-08-01,5,{YANSHOU},,,"],
        ),
    ]
    for i, (call, rows) in enumerate(cases):
        assert_parity(refusal(call), import_errors(case["tmp"] / str(i), rows))


def test_reversals(case):
    actor = case["actor"]
    to_road = Entry.objects.get(kind="allocation", project=case["road"])
    appropriation = Entry.objects.get(kind="appropriation", area__code=PROVINCE)
    reversal = Entry.objects.get(amount__lt=0)
    wrong = reversal.reverses
    on = "2009-08-01"
    cases = [
        (  # the road project has disbursed 250,000 of the 300,000
            to_road,
            f"N1,allocation,central,2009,{on},-300000.00,{YANSHOU},,YS-2009-001,{to_road.number}",
        ),
        (  # the province has allocated 600,000 of the 1,000,000
            appropriation,
            f"N1,appropriation,central,2009,{on},-1000000.00,{PROVINCE},,,{appropriation.number}",
        ),
        (reversal, f"N1,allocation,central,2009,{on},50000.00,{YANSHOU},,LP-2010-001,{reversal.number}"),
        (wrong, f"N1,allocation,central,2009,{on},-50000.00,{YANSHOU},,LP-2010-001,{wrong.number}"),
    ]
    for i, (entry, row) in enumerate(cases):
        service = refusal(
            lambda entry=entry: funds.reverse(actor=actor, entry=entry, reason="x", on=dt.date(2009, 8, 1))
        )
        assert_parity(service, import_errors(case["tmp"] / str(i), [row]))


@pytest.mark.parametrize(("source", "level"), [("central", YANSHOU), ("county", PROVINCE)])
def test_authority(case, county_user, source, level):
    actor = county_user if source == "central" else case["actor"]
    service = refusal(
        lambda: funds.appropriate(
            actor=actor, area=case["area"][level], source=source, year=2009, amount="5", on=dt.date(2009, 8, 1)
        )
    )
    errors = import_errors(case["tmp"], [f"N1,appropriation,{source},2009,2009-08-01,5,{level},,,"], user=actor)
    assert_parity(service, errors)


def test_framework_checks_blame_the_same_field(case):
    actor, area = case["actor"], case["area"]
    field, _reason = refusal(
        lambda: funds.appropriate(actor=actor, area=area[PROVINCE], source="central", year=2009, amount="1.234")
    )
    errors = import_errors(case["tmp"], [f"N1,appropriation,central,2009,2009-08-01,1.234,{PROVINCE},,,"])
    assert any(column == field for column, _r in errors), (field, errors)
