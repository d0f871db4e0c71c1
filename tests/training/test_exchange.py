"""Training's files of the exchange package: an export comes back with nothing new or
changed; a package of new rows writes bases, classes, enrolments, transfers and targets
that the services would have written; a user sees and imports only their areas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fupin.exchange import registry
from fupin.exchange.exporter import export_frames, write_package
from fupin.exchange.importer import import_package
from fupin.training import services
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer
from tests.conftest import YANSHOU

TRAINING = ["training_bases", "training_classes", "training_enrolments", "training_transfers", "training_targets"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def records(province_user, klass, household, trainee):
    services.enrolment_create(actor=province_user, klass=klass, person=trainee)
    services.enrolment_complete(actor=province_user, klass=klass, person=trainee, certificate_number="YL-1")
    other = household.members.order_by("id")[1]
    services.enrolment_create(actor=province_user, klass=klass, person=other)
    services.enrolment_drop(actor=province_user, klass=klass, person=other)
    for start, employer in ((dt.date(2009, 6, 20), "大庆油田"), (dt.date(2010, 3, 1), "=哈尔滨电机厂")):
        services.transfer_record(
            actor=province_user,
            klass=klass,
            person=trainee,
            employer=employer,
            place="大庆",
            destination="province",
            sector="manufacturing",
            start_date=start,
            monthly_wage="1800.5",
        )
    services.target_set(actor=province_user, area_code=YANSHOU, year=2009, trained=600, transferred=500)
    services.class_create(
        actor=province_user,
        code="C-LEAD",
        type="leaders",
        subject="村干部培训",
        start_date=dt.date(2009, 7, 1),
        end_date=dt.date(2009, 7, 5),
        hours=40,
        organiser="省扶贫办",
        area_code="230000000000",
    )


def test_the_entities_are_registered():
    names = [r.name for r in registry.registrations()]
    assert all(name in names for name in TRAINING)
    assert names.index("members") < names.index("training_enrolments")
    assert names.index("training_classes") < names.index("training_enrolments") < names.index("training_transfers")


def test_an_export_comes_back_with_nothing_new(tmp_path, province_user, records):
    frames = export_frames(user=province_user)
    assert frames["training_enrolments"].height == 2 and frames["training_transfers"].height == 2
    assert frames["training_classes"].height == 2 and frames["training_targets"].height == 1
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == []
    for name in TRAINING:
        assert plan.counts()[name] == {"created": 0, "updated": 0, "unchanged": frames[name].height}, name
    assert result == {"counts": plan.counts(), "changed": False}


def test_a_package_writes_what_the_services_would(tmp_path, province_user, records):
    frames = dict(export_frames(user=province_user).items())
    before = {
        "bases": list(TrainingBase.objects.values_list("code", "name", "county__code", "certification", "capacity")),
        "classes": list(
            TrainingClass.objects.values_list("code", "base__code", "area__code", "hours", "subsidy_per_trainee")
        ),
        "enrolments": list(
            Enrolment.objects.values_list(
                "klass__code", "person__id_number", "status", "completed_on", "hours_attended"
            )
        ),
        "transfers": list(
            Transfer.objects.values_list("enrolment__person__id_number", "employer", "start_date", "monthly_wage")
        ),
        "targets": list(Target.objects.values_list("area__code", "year", "trained", "transferred")),
    }
    Transfer.objects.all().delete()
    Enrolment.objects.all().delete()
    TrainingClass.objects.all().delete()
    TrainingBase.objects.all().delete()
    Target.objects.all().delete()
    write_package(frames, tmp_path / "package")
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and result["changed"]
    assert plan.counts()["training_enrolments"]["created"] == 2
    after = {
        "bases": list(TrainingBase.objects.values_list("code", "name", "county__code", "certification", "capacity")),
        "classes": list(
            TrainingClass.objects.values_list("code", "base__code", "area__code", "hours", "subsidy_per_trainee")
        ),
        "enrolments": list(
            Enrolment.objects.values_list(
                "klass__code", "person__id_number", "status", "completed_on", "hours_attended"
            )
        ),
        "transfers": list(
            Transfer.objects.values_list("enrolment__person__id_number", "employer", "start_date", "monthly_wage")
        ),
        "targets": list(Target.objects.values_list("area__code", "year", "trained", "transferred")),
    }
    assert {k: sorted(v, key=str) for k, v in after.items()} == {k: sorted(v, key=str) for k, v in before.items()}
    assert Transfer.objects.filter(recorded_by=province_user).count() == 2
    # and once more: nothing new
    plan, result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and result is not None and not result["changed"]


def test_a_change_comes_in_as_an_update(tmp_path, province_user, records, klass, trainee):
    frames = export_frames(user=province_user, entities=["training_targets", "training_enrolments"])
    frames["training_targets"] = frames["training_targets"].with_columns(
        trained=frames["training_targets"]["trained"].str.replace("600", "650")
    )
    write_package(frames, tmp_path / "package")
    plan, _result = import_package(tmp_path / "package", user=province_user)
    assert plan.errors == [] and plan.counts()["training_targets"]["updated"] == 1
    assert Target.objects.get(area__code=YANSHOU, year=2009).trained == 650


def test_a_county_exports_its_own(province_user, county_user, records, make_user):
    from fupin.core.choices import Role
    from tests.conftest import BAYAN

    assert export_frames(user=county_user)["training_classes"]["code"].to_list() == ["C-2009-1"]
    elsewhere = make_user(Role.COUNTY, (BAYAN,))
    frames = export_frames(user=elsewhere)
    assert all(frames[name].height == 0 for name in TRAINING)
