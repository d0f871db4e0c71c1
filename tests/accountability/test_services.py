"""The services of the responsibility and assessment system: refusals change nothing, the
scoring of a small built dataset, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from fupin.accountability import services
from fupin.accountability.models import Assessment, Result, Target, Weight
from fupin.analytics.snapshot import take_snapshot
from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, NotPermitted, OutOfScope
from fupin.core.models import AuditEvent
from fupin.industry import services as industry
from tests.accountability.conftest import HARBIN, PROVINCE, QIQIHAR
from tests.conftest import BAYAN, QIQIHAR_TAILAI, YANSHOU
from tests.industry.conftest import code


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refused(call, field: str) -> ApplicationError:
    events = AuditEvent.objects.count()
    counts = (Target.objects.count(), Assessment.objects.count(), Weight.objects.count())
    with pytest.raises(ApplicationError) as exc:
        call()
    assert exc.value.field == field
    assert exc.value.record
    assert (Target.objects.count(), Assessment.objects.count(), Weight.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    return exc.value


def test_a_target_on_an_unknown_indicator_is_refused(province_user):
    error = _refused(
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.no_such_thing", value="10", area_code=YANSHOU
        ),
        "indicator",
    )
    assert "poor.no_such_thing" in error.message
    assert YANSHOU in error.record


def test_a_target_of_zero_or_below_is_refused(province_user):
    for value in ("0", "-5"):
        _refused(
            lambda v=value: services.target_set(
                actor=province_user, year=2009, indicator="poor.people", value=v, area_code=YANSHOU
            ),
            "value",
        )


def test_a_target_is_for_a_county_or_a_citys_department(province_user):
    _refused(
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.people", value="5", area_code=HARBIN
        ),
        "area",
    )
    _refused(
        lambda: services.target_set(
            actor=province_user, year=2009, indicator="poor.people", value="5", area_code=YANSHOU, actual="3"
        ),
        "actual",
    )
    target = services.target_set(
        actor=province_user,
        year=2009,
        indicator="evap.funds.integrated_total",
        value="100",
        area_code=HARBIN,
        department="市财政局",
        actual="80",
    )
    assert target.department.city.code == HARBIN and target.actual == Decimal("80")
    # setting it again changes it (one target per unit, year and indicator)
    services.target_set(
        actor=province_user,
        year=2009,
        indicator="evap.funds.integrated_total",
        value="120",
        area_code=HARBIN,
        department="市财政局",
    )
    assert Target.objects.get().value == Decimal("120")


@pytest.mark.parametrize(
    ("weights", "needle"),
    [
        ({"poor.people": "-1", "poor.households": "2"}, "poor.people"),
        ({"poor.people": "0", "poor.households": "0"}, "zero"),
        ({}, "zero"),
        ({"poor.nothing": "5"}, "poor.nothing"),
    ],
)
def test_negative_or_all_zero_weights_are_refused(province_user, weights, needle):
    error = _refused(
        lambda: services.assessment_create(
            actor=province_user, area_code=PROVINCE, year=2009, title="省考核", weights=weights
        ),
        "weights",
    )
    assert needle in error.message


def test_changing_weights_to_all_zero_is_refused_and_keeps_them(province_user):
    assessment = services.assessment_create(
        actor=province_user, area_code=PROVINCE, year=2009, title="省考核", weights={"poor.people": "1"}
    )
    _refused(
        lambda: services.assessment_set_weights(actor=province_user, assessment=assessment, weights={"poor.people": 0}),
        "weights",
    )
    assert list(assessment.weights.values_list("indicator", "weight")) == [("poor.people", Decimal("1.00"))]


def test_who_may_open_an_assessment(make_user, harbin_user, qiqihar_user):
    county = make_user(Role.COUNTY, (YANSHOU,))
    weights = {"poor.people": "1"}
    with pytest.raises(NotPermitted):
        services.assessment_create(actor=county, area_code=HARBIN, year=2009, title="t", weights=weights)
    # a city office may not open the province's assessment, nor another city's
    with pytest.raises(OutOfScope):
        services.assessment_create(actor=harbin_user, area_code=PROVINCE, year=2009, title="t", weights=weights)
    with pytest.raises(OutOfScope):
        services.assessment_create(actor=qiqihar_user, area_code=HARBIN, year=2009, title="t", weights=weights)
    # a county is no assessing area
    with pytest.raises(ApplicationError) as exc:
        services.assessment_create(actor=harbin_user, area_code=YANSHOU, year=2009, title="t", weights=weights)
    assert exc.value.field == "area"
    own = services.assessment_create(actor=harbin_user, area_code=HARBIN, year=2009, title="t", weights=weights)
    assert own.area.code == HARBIN
    # nor may Harbin set a target for a county of Qiqihar
    with pytest.raises(OutOfScope):
        services.target_set(actor=harbin_user, year=2009, indicator="poor.people", value="5", area_code=QIQIHAR_TAILAI)
    # the assessment is not among what Qiqihar sees
    assert not Assessment.objects.visible_to(qiqihar_user).exists()


def _enterprise(actor, county: str, n: int) -> None:
    industry.enterprise_create(
        actor=actor,
        code=code(f"91{county[:6]}MA00000{n:02d}"),
        name=f"企业{county}{n}",
        county_code=county,
        level="provincial",
        sector="processing",
        identified_year=2009,
    )


@pytest.fixture
def built(province_user, tmp_path):
    """延寿县 with 2 new enterprises in 2009 and a typical model county; 巴彦县 with 1;
    Harbin's finance bureau with an entered figure; and their targets."""
    _enterprise(province_user, YANSHOU, 1)
    _enterprise(province_user, YANSHOU, 2)
    _enterprise(province_user, BAYAN, 1)
    services.model_save(
        actor=province_user,
        code="TM-YS",
        kind="county",
        year=2009,
        title="延寿县",
        case_zh="案例",
        case_en="The case",
        area_code=YANSHOU,
    )
    for county, enterprises in ((YANSHOU, "1"), (BAYAN, "2")):
        services.target_set(
            actor=province_user, year=2009, indicator="industry.enterprises_new", value=enterprises, area_code=county
        )
        services.target_set(
            actor=province_user, year=2009, indicator="accountability.model_counties", value="1", area_code=county
        )
    services.target_set(
        actor=province_user,
        year=2009,
        indicator="evap.funds.integrated_total",
        value="100",
        area_code=HARBIN,
        department="市财政局",
        actual="80",
    )
    return take_snapshot(as_of=dt.date(2009, 12, 31), root=tmp_path)


def test_running_scores_and_ranks(built, harbin_user):
    assessment = services.assessment_create(
        actor=harbin_user,
        area_code=HARBIN,
        year=2009,
        title="哈尔滨市考核",
        weights={
            "industry.enterprises_new": "60",
            "accountability.model_counties": "40",
            "evap.funds.integrated_total": 20,
        },
    )
    services.assessment_run(actor=harbin_user, assessment=assessment, snapshot=built)
    assessment.refresh_from_db()
    assert assessment.status == "run" and assessment.snapshot_as_of == dt.date(2009, 12, 31)
    results = {r.unit_name: r for r in Result.objects.filter(assessment=assessment)}
    assert set(results) == {"延寿县", "巴彦县", "市财政局"}
    # 延寿县: 2 new enterprises on a target of 1 (capped at 1), the model county: 100 points
    yanshou = results["延寿县"]
    assert yanshou.score == Decimal("100.00") and yanshou.rank == 1
    scores = {s.indicator: s for s in yanshou.scores.all()}
    assert scores["industry.enterprises_new"].actual == Decimal("2")
    assert scores["industry.enterprises_new"].achievement == Decimal("1")
    # 巴彦县: 1 of 2 enterprises (0.5 × 60) and no model (0 × 40), over 100: 30 points
    bayan = results["巴彦县"]
    assert bayan.score == Decimal("30.00") and bayan.rank == 2
    assert {s.indicator: s.points for s in bayan.scores.all()} == {
        "industry.enterprises_new": Decimal("30.00"),
        "accountability.model_counties": Decimal("0.00"),
    }
    # the department: its entered 80 of 100, its only weighted indicator: 80 points, first of the departments
    finance = results["市财政局"]
    assert finance.score == Decimal("80.00") and finance.rank == 1
    # run again: the same results, not doubled
    services.assessment_run(actor=harbin_user, assessment=assessment, snapshot=built)
    assert Result.objects.filter(assessment=assessment).count() == 3


def test_the_province_ranks_the_counties_only(built, province_user):
    assessment = services.assessment_create(
        actor=province_user,
        area_code=PROVINCE,
        year=2009,
        title="省考核",
        weights={"industry.enterprises_new": "1", "evap.funds.integrated_total": "1"},
    )
    services.assessment_run(actor=province_user, assessment=assessment, snapshot=built)
    rows = [(r.unit_name, r.score, r.rank) for r in Result.objects.filter(assessment=assessment).order_by("rank")]
    assert rows == [("延寿县", Decimal("100.00"), 1), ("巴彦县", Decimal("50.00"), 2)]


def test_tied_scores_share_a_rank():
    assert services.ranks([Decimal(80), Decimal(90), Decimal(80), Decimal(70)]) == [2, 1, 2, 4]


def test_an_assessment_of_another_city_is_not_run_by_harbin(built, harbin_user, qiqihar_user):
    assessment = services.assessment_create(
        actor=qiqihar_user, area_code=QIQIHAR, year=2009, title="齐齐哈尔市考核", weights={"poor.people": "1"}
    )
    with pytest.raises(OutOfScope):
        services.assessment_run(actor=harbin_user, assessment=assessment, snapshot=built)
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"


def test_a_meeting_needs_a_participant(province_user):
    with pytest.raises(ApplicationError) as exc:
        services.meeting_record(
            actor=province_user, date="2009-09-15", area_code=YANSHOU, title="现场会", participants=0
        )
    assert exc.value.field == "participants"


def test_a_typical_model_is_what_its_kind_says(province_user, yanshou_village):
    with pytest.raises(ApplicationError) as exc:
        services.model_save(
            actor=province_user,
            code="M1",
            kind="county",
            year=2009,
            title="t",
            case_zh="z",
            case_en="e",
            area_code=yanshou_village,
        )
    assert exc.value.field == "area"
    with pytest.raises(ApplicationError) as exc:
        services.model_save(
            actor=province_user,
            code="M1",
            kind="household",
            year=2009,
            title="t",
            case_zh="z",
            case_en="e",
        )
    assert exc.value.field == "area"
    model = services.model_save(
        actor=province_user,
        code="M1",
        kind="village",
        year=2009,
        title="t",
        case_zh="z",
        case_en="e",
        area_code=yanshou_village,
        figures="roads_km=12.5;households=300",
    )
    assert {f.key: f.value for f in model.figures.all()} == {"roads_km": Decimal("12.5"), "households": Decimal("300")}
    with pytest.raises(ApplicationError) as exc:
        services.model_save(
            actor=province_user,
            code="M1",
            kind="village",
            year=2009,
            title="t",
            case_zh="z",
            case_en="e",
            area_code=yanshou_village,
            figures="roads_km=twelve",
        )
    assert exc.value.field == "figures"
    assert {f.key for f in model.figures.all()} == {"roads_km", "households"}
