"""Alkire-Foster measures (fupin.analytics.mpi): a published worked example, properties
against an exact reference written from the definitions, and DuckDB/Spark parity.

Published example (the 4 persons x 4 dimensions toy society):

* Achievement matrix and deprivation cutoffs of Alkire & Foster (2011), "Counting and
  multidimensional poverty measurement", J. Public Econ. 95(7-8): 476-487, section 3:
  y = [[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]],
  z = (13, 12, 3, 1). The paper's page was not retrievable here; the matrix and cutoffs
  were read from the R package easyuse (github.com/perlatex/easyuse, README.md and the
  examples of R/cutoffs_modify_at.R), which reproduces them, as
  ../shared/reference/poverty-measures.md §8 records.
* Its deprivation scores with equal weights 1/4, c = (0, 0.5, 1, 0.25), the second and
  third persons identified as poor, and the second society X' with c' = (0, 0.5, 0.5, 0.5)
  whose second, third and fourth persons are poor: Alkire, Foster, Seth, Santos, Roche &
  Ballon (2015), *Multidimensional Poverty Measurement and Analysis*, OUP, ch. 5,
  section 5.5.1, Box 5.5 "Same M0 but different composition of incidence and intensity"
  (read at study.sci.house/general-economic-issues/the-set-partial-and-consistent-sub-
  indices-the-120611.html): the two societies have the same M0 with different H and A.
* The values H = 0.5, A = 0.75, M0 = 0.375 for that deprivation profile at k = 1/2 are
  also asserted by the R package mpindex (github.com/yng-me/mpindex,
  tests/testthat/test-compute-mpi.R with the data of helper-deprivation-profile-simple.R).
  For X', H = 0.75 and A = 0.5 follow from c' and give the same M0 = 0.375, the point of
  Box 5.5.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.analytics.mpi import (
    DEFAULT_WEIGHTS,
    MPI_INDICATORS,
    af_measures,
    household_deprivations,
    mpi,
)

# --- the published example -------------------------------------------------------------------

AF_Y = [(13.1, 14, 4, 1), (15.2, 7, 5, 0), (12.5, 10, 1, 0), (20, 11, 3, 1)]
AF_Z = (13, 12, 3, 1)
DIMS = ["d1", "d2", "d3", "d4"]
QUARTER = dict.fromkeys(DIMS, Fraction(1, 4))


def af_deprivations() -> pd.DataFrame:
    """g0 of the AF (2011) example: deprived iff y_ij < z_j (strict)."""
    rows = [[int(y < z) for y, z in zip(person, AF_Z, strict=True)] for person in AF_Y]
    frame = pd.DataFrame(rows, columns=DIMS)
    frame["weight"] = 1
    return frame


def run(backend, expr) -> pd.DataFrame:
    return backend.execute(expr)


@pytest.fixture(scope="module")
def duck(duckdb_backend):
    """The session's DuckDB backend (tests/analytics/conftest.py)."""
    return duckdb_backend


def test_deprivation_matrix_and_scores_of_the_published_example():
    g0 = af_deprivations()[DIMS].to_numpy()
    assert g0.tolist() == [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [0, 1, 0, 0]]
    scores = [sum(Fraction(int(x), 4) for x in row) for row in g0]
    assert scores == [0, Fraction(1, 2), 1, Fraction(1, 4)]  # c of Box 5.5 (Alkire et al. 2015)


@pytest.mark.parametrize("k", [Fraction(1, 2), 0.5, Fraction(3, 8)])
def test_published_example_h_a_m0(duck, k):
    """Persons 2 and 3 are poor: H = 1/2, A = 3/4, M0 = 3/8 (any k in (1/4, 1/2])."""
    row = run(duck, af_measures(ibis.memtable(af_deprivations()), deprivations=QUARTER, k=k)).iloc[0]
    assert (row.households, row.population, row.poor_households, row.poor_population) == (4, 4, 2, 2)
    assert row.h == pytest.approx(0.5) and row.a == pytest.approx(0.75) and row.m0 == pytest.approx(0.375)
    # the censored headcounts follow from the definitions: person 3 in all four, person 2 in d2 and d4
    assert [row[f"censored_{d}"] for d in DIMS] == pytest.approx([0.25, 0.5, 0.25, 0.5])
    assert [row[f"uncensored_{d}"] for d in DIMS] == pytest.approx([0.25, 0.75, 0.25, 0.5])
    assert [row[f"contribution_{d}"] for d in DIMS] == pytest.approx([1 / 6, 1 / 3, 1 / 6, 1 / 3])


def test_published_example_in_counts_as_in_af_2011(duck):
    """AF (2011) count weights (1 per dimension), k = 2 dimensions: the same H, A, M0."""
    counts = dict.fromkeys(DIMS, 1)
    row = run(duck, af_measures(ibis.memtable(af_deprivations()), deprivations=counts, k=2)).iloc[0]
    assert (row.h, row.a, row.m0) == pytest.approx((0.5, 0.75, 0.375))


def test_box_5_5_same_m0_different_incidence_and_intensity(duck):
    """X' of Box 5.5: c' = (0, 0.5, 0.5, 0.5), persons 2-4 poor, same M0 as X."""
    other = pd.DataFrame([[0, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0]], columns=DIMS).assign(weight=1)
    row = run(duck, af_measures(ibis.memtable(other), deprivations=QUARTER, k=Fraction(1, 2))).iloc[0]
    assert (row.h, row.a, row.m0) == pytest.approx((0.75, 0.5, 0.375))


def test_union_and_intersection_on_the_published_example(duck):
    table = ibis.memtable(af_deprivations())
    union = run(duck, af_measures(table, deprivations=QUARTER, k=Fraction(1, 4))).iloc[0]
    assert union.h == pytest.approx(0.75)  # everyone deprived in something: persons 2, 3, 4
    intersection = run(duck, af_measures(table, deprivations=QUARTER, k=1)).iloc[0]
    assert (intersection.h, intersection.a) == pytest.approx((0.25, 1.0))  # person 3 only


# --- an exact reference, from the definitions ------------------------------------------------


def reference(g: list[list[int]], pi: list[int], w: list[Fraction], k: Fraction) -> dict[str, Fraction | None]:
    total_w = sum(w, Fraction(0))
    scores = [sum((wj * gij for wj, gij in zip(w, row, strict=True)), Fraction(0)) for row in g]
    poor = [c >= k for c in scores]
    population = sum(pi)
    poor_population = sum(p for p, is_poor in zip(pi, poor, strict=True) if is_poor)
    units = sum((p * c for p, c, is_poor in zip(pi, scores, poor, strict=True) if is_poor), Fraction(0))
    out: dict[str, Fraction | None] = {
        "h": Fraction(poor_population, population),
        "a": units / (poor_population * total_w) if poor_population else None,
        "m0": units / (population * total_w),
    }
    for j in range(len(w)):
        censored = sum(p for p, row, is_poor in zip(pi, g, poor, strict=True) if is_poor and row[j])
        out[f"censored_d{j}"] = Fraction(censored, population)
        out[f"uncensored_d{j}"] = Fraction(sum(p for p, row in zip(pi, g, strict=True) if row[j]), population)
        out[f"contribution_d{j}"] = w[j] / total_w * censored / population / out["m0"] if units else None
    return out


WEIGHT_CHOICES = [Fraction(1, 6), Fraction(1, 18), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 7), 1]


@st.composite
def af_inputs(draw):
    d = draw(st.integers(1, 6))
    n = draw(st.integers(1, 25))
    g = draw(st.lists(st.lists(st.integers(0, 1), min_size=d, max_size=d), min_size=n, max_size=n))
    pi = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    w = [Fraction(x) for x in draw(st.lists(st.sampled_from(WEIGHT_CHOICES), min_size=d, max_size=d))]
    total = sum(w, Fraction(0))
    sums = sorted({sum(c, Fraction(0)) for r in range(1, d + 1) for c in itertools.combinations(w, r)})
    k = draw(st.one_of(st.sampled_from(sums), st.fractions(min_value=Fraction(1, 100), max_value=total)))
    areas = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    return g, pi, w, k, areas


def frame(g, pi, areas=None) -> pd.DataFrame:
    columns = [f"d{j}" for j in range(len(g[0]))]
    out = pd.DataFrame(g, columns=columns).astype("int8")
    out["weight"] = pd.Series(pi, dtype="int64")
    if areas is not None:
        out["area"] = areas
    return out


def weights_of(w):
    return {f"d{j}": wj for j, wj in enumerate(w)}


def close(value, expected) -> bool:
    if expected is None:
        return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)
    return math.isclose(float(value), float(expected), rel_tol=1e-12, abs_tol=1e-12)


PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(af_inputs())
def test_matches_the_exact_reference_its_identities_and_decomposes_by_area(duck, data):
    g, pi, w, k, areas = data
    table = ibis.memtable(frame(g, pi, areas))
    row = run(duck, af_measures(table, deprivations=weights_of(w), k=k)).iloc[0]
    expected = reference(g, pi, w, k)
    for name, value in expected.items():
        assert close(row[name], value), (name, row[name], value)
    # M0 = H x A, and M0 is the weighted sum of the censored headcount ratios
    if row.poor_population:
        assert math.isclose(row.m0, row.h * row.a, rel_tol=1e-12)
        contributions = sum(row[f"contribution_d{j}"] for j in range(len(w)))
        assert math.isclose(contributions, 1.0, rel_tol=1e-12)
    else:
        assert row.m0 == 0 and pd.isna(row.a)
    total_weight = float(sum(w))
    assert math.isclose(
        row.m0, sum(float(w[j]) / total_weight * row[f"censored_d{j}"] for j in range(len(w))), abs_tol=1e-12
    )
    # subgroup decomposition: population-weighted area M0 (and censored headcounts) add up
    groups = run(duck, af_measures(table, deprivations=weights_of(w), k=k, by=["area"]))
    assert groups.population.sum() == row.population
    assert math.isclose(groups.population_share.sum(), 1.0, rel_tol=1e-12)
    assert math.isclose((groups.population_share * groups.m0).sum(), row.m0, rel_tol=1e-12, abs_tol=1e-15)
    for j in range(len(w)):
        weighted = (groups.population_share * groups[f"censored_d{j}"]).sum()
        assert math.isclose(weighted, row[f"censored_d{j}"], rel_tol=1e-12, abs_tol=1e-15)
    if row.m0 > 0:
        assert math.isclose(groups.group_contribution.sum(), 1.0, rel_tol=1e-12)
    else:
        assert groups.group_contribution.isna().all()


@PROPERTY_SETTINGS
@given(af_inputs())
def test_union_and_intersection_approaches(duck, data):
    g, pi, w, _k, _areas = data
    table = ibis.memtable(frame(g, pi))
    union = run(duck, af_measures(table, deprivations=weights_of(w), k=min(w))).iloc[0]
    any_deprived = sum(p for p, row in zip(pi, g, strict=True) if any(row))
    assert close(union.h, Fraction(any_deprived, sum(pi)))
    for j in range(len(w)):  # with the union approach censoring changes nothing
        assert close(union[f"censored_d{j}"], union[f"uncensored_d{j}"])
    intersection = run(duck, af_measures(table, deprivations=weights_of(w), k=sum(w))).iloc[0]
    all_deprived = sum(p for p, row in zip(pi, g, strict=True) if all(row))
    assert close(intersection.h, Fraction(all_deprived, sum(pi)))
    if all_deprived:
        assert close(intersection.a, 1)


@PROPERTY_SETTINGS
@given(af_inputs())
def test_replicated_rows_equal_integer_weights(duck, data):
    g, pi, w, k, _areas = data
    weighted = run(duck, af_measures(ibis.memtable(frame(g, pi)), deprivations=weights_of(w), k=k))
    rows = [row for row, p in zip(g, pi, strict=True) for _ in range(p)]
    replicated = run(duck, af_measures(ibis.memtable(frame(rows, [1] * len(rows))), deprivations=weights_of(w), k=k))
    measures = [c for c in weighted.columns if c not in ("households", "poor_households")]
    pd.testing.assert_frame_equal(weighted[measures], replicated[measures], check_exact=False, rtol=1e-12)
    assert replicated.households.iloc[0] == sum(pi)


# --- exactness of the cutoff ---------------------------------------------------------------------


def test_cutoff_is_exact_where_floating_point_sums_fall_short(duck):
    """Six float weights 1/6 add up to 0.9999999999999999 in floating point: a household
    deprived in all six must still be poor at k = 1 (the intersection approach)."""
    assert sum([1 / 6] * 6) < 1
    rows = pd.DataFrame([[1] * 6, [1] * 5 + [0]], columns=[i.name for i in MPI_INDICATORS]).assign(weight=[3, 2])
    floats = {i.name: 1 / 6 for i in MPI_INDICATORS}
    row = run(duck, af_measures(ibis.memtable(rows), deprivations=floats, k=1.0)).iloc[0]
    assert (row.poor_households, row.h, row.a) == (1, pytest.approx(0.6), pytest.approx(1.0))


def test_global_mpi_weights_living_standards_alone_reach_one_third(duck):
    """Global MPI weights (1/6 for four health and education indicators, 1/18 for six
    living standards): deprived in all six living standards is exactly 1/3, poor at k = 1/3."""
    names = [f"x{j}" for j in range(10)]
    weights = {n: (1 / 6 if j < 4 else 1 / 18) for j, n in enumerate(names)}
    rows = pd.DataFrame([[0] * 4 + [1] * 6, [0] * 4 + [1] * 5 + [0]], columns=names).assign(weight=1)
    row = run(duck, af_measures(ibis.memtable(rows), deprivations=weights, k=1 / 3)).iloc[0]
    assert row.poor_households == 1
    assert row.a == pytest.approx(1 / 3)


def test_an_empty_table_has_no_population_and_undefined_ratios(duck):
    table = ibis.memtable(af_deprivations()).filter(ibis._.weight > 99)
    row = run(duck, af_measures(table, deprivations=QUARTER, k=0.5)).iloc[0]
    assert (row.households, row.population, row.poor_population, row.unassessed) == (0, 0, 0, 0)
    assert pd.isna(row.h) and pd.isna(row.a) and pd.isna(row.m0) and pd.isna(row.contribution_d1)


def test_bad_parameters_are_refused():
    table = ibis.memtable(af_deprivations())
    for k in (0, -0.5, 1.5, float("nan")):
        with pytest.raises(ValueError, match="k"):
            af_measures(table, deprivations=QUARTER, k=k)
    with pytest.raises(ValueError, match="negative"):
        af_measures(table, deprivations={**QUARTER, "d1": -1}, k=0.5)
    with pytest.raises(ValueError, match="no column food"):
        af_measures(table)  # the default indicators are not in this table
    with pytest.raises(ValueError, match="no column area"):
        af_measures(table, deprivations=QUARTER, by=["area"])


# --- household rows, assessment, defaults ----------------------------------------------------------


def registry_rows() -> pd.DataFrame:
    """Rows as a snapshot of the registry gives them: assured flags and a person weight."""
    yes, no, unknown = True, False, None
    return pd.DataFrame(
        {
            "code": ["h1", "h2", "h3", "h4", "h5"],
            "county": ["230129", "230129", "230126", "230126", "230126"],
            "weight": [3, 4, 2, 5, 1],
            "assured_food": [yes, no, yes, no, yes],
            "assured_clothing": [yes, no, yes, yes, yes],
            "assured_education": [yes, yes, yes, no, unknown],
            "assured_medical": [yes, no, no, no, yes],
            "assured_housing": [yes, no, yes, yes, yes],
            "assured_water": [yes, yes, no, no, yes],
        }
    ).astype(dict.fromkeys((i.field for i in MPI_INDICATORS), "boolean"))


def test_household_deprivations_maps_assured_to_deprived(duck):
    rows = run(duck, household_deprivations(ibis.memtable(registry_rows()), keep=["code"]).order_by("code"))
    assert list(rows.columns) == ["code", *(i.name for i in MPI_INDICATORS)]
    assert rows.food.tolist() == [0, 1, 0, 1, 0]
    assert rows.medical.tolist() == [0, 1, 1, 1, 0]
    assert pd.isna(rows.education.iloc[4])


def test_mpi_of_household_rows_leaves_out_and_reports_the_unassessed(duck):
    result = run(duck, mpi(ibis.memtable(registry_rows()), by=["county"]).order_by("county"))
    bayan, yanshou = result.iloc[0], result.iloc[1]
    assert (bayan.households, bayan.population, bayan.unassessed, bayan.unassessed_population) == (2, 7, 1, 1)
    assert (yanshou.households, yanshou.unassessed) == (2, 0)
    # 延寿 (230129): h1 assured in all, h2 deprived in food, clothing, medical, housing (4/6)
    assert (yanshou.h, yanshou.a, yanshou.m0) == pytest.approx((4 / 7, 4 / 6, 4 / 7 * 4 / 6))
    # 巴彦 (230126): h3 medical and water (2/6), h4 food, education, medical, water (4/6)
    assert (bayan.h, bayan.a) == pytest.approx((1.0, (2 * 2 / 6 + 5 * 4 / 6) / 7))
    assert result.group_contribution.sum() == pytest.approx(1.0)
    everyone = run(duck, mpi(ibis.memtable(registry_rows()), k=Fraction(1, 6))).iloc[0]
    assert everyone.h == pytest.approx(11 / 14)  # union approach: all but h1 lack something


def test_defaults_are_six_equal_weights_and_match_the_household_fields():
    from fupin.registry.models import Household

    assert [i.field for i in MPI_INDICATORS] == Household.ASSURANCE_FIELDS
    assert all(Household._meta.get_field(i.field).null for i in MPI_INDICATORS)
    assert sum(DEFAULT_WEIGHTS.values()) == 1 and set(DEFAULT_WEIGHTS.values()) == {Fraction(1, 6)}
    assert all(i.zh and i.en for i in MPI_INDICATORS)


# --- DuckDB and Spark give the same results --------------------------------------------------------


def random_households(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {
        "county": rng.choice(["230129", "230126", "230127", "230224"], n),
        "weight": rng.integers(1, 8, n),
    }
    for j, indicator in enumerate(MPI_INDICATORS):
        assured = pd.array(rng.random(n) > 0.1 + 0.05 * j, dtype="boolean")
        assured[rng.random(n) < 0.01] = pd.NA
        data[indicator.field] = assured
    return pd.DataFrame(data)


def test_duckdb_and_spark_agree(duckdb_backend, spark_backend):
    households = random_households(3000, seed=11)
    cases = [
        (mpi(ibis.memtable(households), by=["county"]), ["county"]),
        (mpi(ibis.memtable(households), k=Fraction(1, 6)), []),
        (af_measures(ibis.memtable(af_deprivations()), deprivations=QUARTER, k=0.5), []),
    ]
    for expr, keys in cases:
        duck = run(duckdb_backend, expr)
        spark = run(spark_backend, expr)
        if keys:
            duck, spark = duck.sort_values(keys).reset_index(drop=True), spark.sort_values(keys).reset_index(drop=True)
        assert list(duck.columns) == list(spark.columns)
        pd.testing.assert_frame_equal(duck, spark, check_dtype=False, check_exact=False, rtol=1e-12)
    published = run(spark_backend, cases[2][0]).iloc[0]
    assert (published.h, published.a, published.m0) == pytest.approx((0.5, 0.75, 0.375))


# --- the demo province ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_households_are_assessed_and_the_poor_more_deprived(duck):
    from django.core.management import call_command
    from django.db.models import Count

    from fupin.registry.models import Household

    call_command("demo", scale=0.002, seed=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Household.objects.filter(assured_food__isnull=True).exists()
    fields = [i.field for i in MPI_INDICATORS]
    rows = pd.DataFrame.from_records(
        Household.objects.annotate(weight=Count("members")).values("status", "village__code", "weight", *fields)
    ).astype(dict.fromkeys(fields, "boolean"))
    rows["county"] = rows["village__code"].str[:6]
    by_status = run(duck, mpi(ibis.memtable(rows.drop(columns="village__code")), by=["status"])).set_index("status")
    assert by_status.loc["poor", "m0"] > 5 * by_status.loc["exited", "m0"]
    assert by_status.loc["poor", "uncensored_medical"] > by_status.loc["non_poor", "uncensored_medical"]
    assert by_status.unassessed.sum() == 0
    counties = run(duck, mpi(ibis.memtable(rows.drop(columns=["village__code", "status"])), by=["county"]))
    assert counties.group_contribution.sum() == pytest.approx(1.0)
