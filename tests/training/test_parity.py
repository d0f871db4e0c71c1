"""Each rule once: every refusal of training's services, fed through the importer, is
refused on the same field with the same reason (issue 10, item 4). Each case calls the
service, then imports the package that asks for the same thing (``plan_import``), and
compares (field, reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from fupin.core.errors import ApplicationError
from fupin.exchange.importer import plan_import
from fupin.exchange.reader import read_package
from fupin.training import rules, services
from tests.conftest import BAYAN, YANSHOU, id_number

CLASS = "class,id_number,enrolled_on,status,hours_attended,completed_on,certificate_number,leader_role"
TRANSFER = "class,id_number,employer,place,destination,sector,start_date,monthly_wage"
CLASSES = "code,base,organiser,area,type,subject,start_date,end_date,hours,subsidy_per_trainee,project"
BASES = "code,name,county,certification,certified_year,capacity,contact,phone"
TARGETS = "area,year,trained,transferred"

# the rules that the cases below exercise (every rule of training.rules)
SEEN: set[str] = set()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _service(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ApplicationError) as exc:
        call()
    return str(exc.value.field), str(exc.value.message)


def _import(folder: Path, files: dict[str, list[str]], column: str, user: Any) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(read_package(folder), user=user)
    mine = [e for e in plan.errors if e.column == column]
    assert mine, plan.errors
    return mine[0].column, mine[0].reason


def _check(tmp_path: Path, user: Any, service: Callable[[], Any], files: dict[str, list[str]], field: str) -> None:
    by_service = _service(service)
    assert by_service[0] == field
    assert _import(tmp_path / "package", files, field, user) == by_service
    SEEN.update(rule.code for rule in rules.RULES if rule.reason() == by_service[1])


def _enrolment(klass, number: str, **kw: str) -> dict[str, list[str]]:
    row = {"enrolled_on": "2009-03-20", "status": "enrolled", "hours_attended": "", "completed_on": ""}
    row |= {"certificate_number": "", "leader_role": ""} | kw
    return {"training_enrolments": [CLASS, ",".join([klass.code, number, *row.values()])]}


def _transfer(klass, number: str, start: str = "2009-06-20", wage: str = "1800") -> dict[str, list[str]]:
    return {"training_transfers": [TRANSFER, f"{klass.code},{number},大庆油田,大庆,province,services,{start},{wage}"]}


def _class(**kw: str) -> dict[str, list[str]]:
    row = {"code": "C-NEW", "base": "", "organiser": "县扶贫办", "area": YANSHOU, "type": "labour_transfer"}
    row |= {"subject": "电焊工", "start_date": "2009-04-01", "end_date": "2009-05-31", "hours": "120"}
    row |= {"subsidy_per_trainee": "", "project": ""} | kw
    return {"training_classes": [CLASSES, ",".join(row.values())]}


def _new_class(actor: Any, **kw: Any) -> Callable[[], Any]:
    values: dict[str, Any] = {
        "code": "C-NEW",
        "organiser": "县扶贫办",
        "area_code": YANSHOU,
        "type": "labour_transfer",
        "subject": "电焊工",
        "start_date": dt.date(2009, 4, 1),
        "end_date": dt.date(2009, 5, 31),
        "hours": 120,
    } | kw
    return lambda: services.class_create(actor=actor, **values)


# --- the records a row refers to ------------------------------------------------------------------


def test_a_trainee_not_in_the_registry(tmp_path, province_user, klass):
    number = id_number("230129")
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_create(actor=province_user, klass=klass, id_number=number),
        _enrolment(klass, number),
        "id_number",
    )


def test_a_transfer_of_a_person_not_in_the_registry(tmp_path, province_user, klass):
    number = id_number("230129")
    _check(
        tmp_path,
        province_user,
        lambda: services.transfer_record(
            actor=province_user,
            klass=klass,
            id_number=number,
            employer="大庆油田",
            place="大庆",
            destination="province",
            sector="services",
            start_date=dt.date(2009, 6, 20),
            monthly_wage="1800",
        ),
        _transfer(klass, number),
        "id_number",
    )


def test_a_completion_for_a_trainee_who_dropped_out(tmp_path, province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 3, 20))
    services.enrolment_drop(actor=province_user, klass=klass, person=trainee)
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_complete(actor=province_user, klass=klass, id_number=trainee.id_number),
        _enrolment(klass, trainee.id_number, status="completed", hours_attended="120", completed_on="2009-05-31"),
        "id_number",
    )


def test_a_completion_for_a_person_not_enrolled_names_the_same_field_and_reason(province_user, klass, trainee):
    """The service's other case of the rule: no enrolment at all. In a package the row is
    the enrolment itself, so the importer meets the rule only for a dropped-out trainee
    (above); the service says the same of both."""
    field, reason = _service(
        lambda: services.enrolment_complete(actor=province_user, klass=klass, id_number=trainee.id_number)
    )
    assert (field, reason) == (rules.COMPLETION_NEEDS_ENROLMENT.field, rules.COMPLETION_NEEDS_ENROLMENT.reason())


def test_a_transfer_for_a_person_not_enrolled(tmp_path, province_user, klass, trainee):
    _check(
        tmp_path,
        province_user,
        lambda: services.transfer_record(
            actor=province_user,
            klass=klass,
            id_number=trainee.id_number,
            employer="大庆油田",
            place="大庆",
            destination="province",
            sector="services",
            start_date=dt.date(2009, 6, 20),
            monthly_wage="1800",
        ),
        _transfer(klass, trainee.id_number),
        "id_number",
    )


def test_a_class_outside_the_users_areas(tmp_path, county_user):
    _check(tmp_path, county_user, _new_class(county_user, area_code=BAYAN), _class(area=BAYAN), "area")


# --- one record's values ---------------------------------------------------------------------------


def test_a_class_ending_before_it_begins(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        _new_class(province_user, end_date=dt.date(2009, 3, 31)),
        _class(end_date="2009-03-31"),
        "end_date",
    )


def test_a_class_without_base_or_organiser(tmp_path, province_user):
    _check(tmp_path, province_user, _new_class(province_user, organiser=""), _class(organiser=""), "organiser")


def test_a_class_without_an_area(tmp_path, province_user):
    _check(tmp_path, province_user, _new_class(province_user, area_code=""), _class(area=""), "area")


def test_a_base_class_outside_the_bases_county(tmp_path, province_user, base):
    _check(
        tmp_path,
        province_user,
        _new_class(province_user, base=base, organiser="", area_code=BAYAN),
        _class(base=base.code, organiser="", area=BAYAN),
        "area",
    )


def test_an_enrolment_after_the_class(tmp_path, province_user, klass, trainee):
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_create(
            actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 6, 1)
        ),
        _enrolment(klass, trainee.id_number, enrolled_on="2009-06-01"),
        "enrolled_on",
    )


def test_a_completion_before_the_class(tmp_path, province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 3, 20))
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_complete(actor=province_user, klass=klass, person=trainee, on=dt.date(2009, 3, 31)),
        _enrolment(klass, trainee.id_number, status="completed", completed_on="2009-03-31"),
        "completed_on",
    )


def test_more_hours_than_the_class_has(tmp_path, province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 3, 20))
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_attendance(actor=province_user, klass=klass, person=trainee, hours=121),
        _enrolment(klass, trainee.id_number, hours_attended="121"),
        "hours_attended",
    )


def test_a_leader_role_outside_a_leaders_class(tmp_path, province_user, klass, trainee):
    _check(
        tmp_path,
        province_user,
        lambda: services.enrolment_create(
            actor=province_user,
            klass=klass,
            person=trainee,
            enrolled_on=dt.date(2009, 3, 20),
            leader_role="business_leader",
        ),
        _enrolment(klass, trainee.id_number, leader_role="business_leader"),
        "leader_role",
    )


def test_a_transfer_before_the_class_ended(tmp_path, province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 3, 20))
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee)
    _check(
        tmp_path,
        province_user,
        lambda: services.transfer_record(
            actor=province_user,
            klass=klass,
            person=trainee,
            employer="大庆油田",
            place="大庆",
            destination="province",
            sector="services",
            start_date=dt.date(2009, 5, 1),
            monthly_wage="1800",
        ),
        _transfer(klass, trainee.id_number, start="2009-05-01"),
        "start_date",
    )


def test_a_negative_wage(tmp_path, province_user, klass, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee, enrolled_on=dt.date(2009, 3, 20))
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee)
    _check(
        tmp_path,
        province_user,
        lambda: services.transfer_record(
            actor=province_user,
            klass=klass,
            person=trainee,
            employer="大庆油田",
            place="大庆",
            destination="province",
            sector="services",
            start_date=dt.date(2009, 6, 20),
            monthly_wage="-3",
        ),
        _transfer(klass, trainee.id_number, wage="-3"),
        "monthly_wage",
    )


def test_a_target_for_a_village(tmp_path, province_user, yanshou_village):
    _check(
        tmp_path,
        province_user,
        lambda: services.target_set(
            actor=province_user, area_code=yanshou_village, year=2009, trained=5, transferred=4
        ),
        {"training_targets": [TARGETS, f"{yanshou_village},2009,5,4"]},
        "area",
    )


def test_a_target_for_an_unknown_area(tmp_path, province_user):
    _check(
        tmp_path,
        province_user,
        lambda: services.target_set(actor=province_user, area_code="230129999000", year=2009, trained=5, transferred=4),
        {"training_targets": [TARGETS, "230129999000,2009,5,4"]},
        "area",
    )


def test_a_base_in_a_village(tmp_path, province_user, yanshou_village):
    _check(
        tmp_path,
        province_user,
        lambda: services.base_create(
            actor=province_user, code="B-X", name="基地", county_code=yanshou_village, certification="county"
        ),
        {"training_bases": [BASES, f"B-X,基地,{yanshou_village},county,,,,"]},
        "county",
    )


def test_a_base_outside_the_users_areas(tmp_path, county_user):
    _check(
        tmp_path,
        county_user,
        lambda: services.base_create(
            actor=county_user, code="B-X", name="基地", county_code=BAYAN, certification="county"
        ),
        {"training_bases": [BASES, f"B-X,基地,{BAYAN},county,,,,"]},
        "county",
    )


def test_every_rule_has_a_case():
    """Run last (pytest keeps the file's order): every rule of training.rules was fed
    through both the service and the importer above."""
    assert {rule.code for rule in rules.RULES} <= SEEN
