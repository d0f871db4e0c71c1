"""Poverty and inequality measures (fupin.analytics.measures).

Published worked examples (each test names its source; values are copied, never computed
with the code under test):

* [HK4] Haughton & Khandker, *Handbook on Poverty and Inequality*, World Bank 2009, ch. 4
  (countries A, B and C, line 125), as replicated by the test suite of the Julia package
  PovertyAndInequalityMeasures.jl (github.com/grahamstark/PovertyAndInequalityMeasures.jl,
  test/runtests.jl @ 3474000, testset "WB Chapter 4 - Poverty"). Its SST expectation 0.0625
  multiplies by P0 twice (../shared/reference/poverty-measures.md §2.6); the value asserted
  here, 0.125 = P1 x (1 + Gini of the gaps), uses the same file's published P1 = 0.08 and
  "poverty_gap_gini" = 0.5625.
* [HK6] Haughton & Khandker ch. 6, Table 6.3 data (ten incomes), as replicated by the same
  file, testset "WB Chapter 6 - Inequality" (Gini, MLD, Theil T, Atkinson ε = 0.25..2.25).
* [INEQ] R package ineq (A. Zeileis), tests/Examples/ineq-Ex.Rout.save @ e17b77a
  (github.com/cran/ineq): the examples of ``ineq``, ``pov`` and ``Lasym`` with their
  printed output. Lasym's data are Damgaard & Weiner (2000), Ecology 81(4), Fig. 2.
* [PIP] World Bank PIP, R package wbpip (github.com/PIP-Technical-Team/wbpip),
  tests/testthat/test-md_compute_poverty_stats.R @ 0338132 and
  tests/testthat/test-md_compute_gini.R @ 00215ec.
* [POVDECO] S. P. Jenkins, Stata ``povdeco`` help (fmwww.bc.edu/repec/bocode/p/povdeco.sthlp):
  ``{y_i = x_i/m_i, z}`` and ``{x_i, z_i = z·m_i}`` give identical FGT values.

Everything else is checked against ``reference()`` below, an O(n²) implementation written
from the definitions in docs/measures.md (pairwise mean absolute differences, no sorting,
no cumulative sums), and by properties: frequency weights, scale invariance, the line
switch, and exact decomposition. The last test runs the same expressions on Spark.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.analytics.measures import (
    DECOMPOSITION_COLUMNS,
    MEASURES,
    atkinson_column,
    describe,
    fgt_decomposition,
    poverty_measures,
)

Row = dict[str, Any]
MEASURE_COLUMNS = ["fgt0", "fgt1", "fgt2", "watts", "sen", "sst", "gini", "theil_t", "theil_l"]
DEFAULT_ATKINSON = ["atkinson_0_5", "atkinson_1", "atkinson_2"]


# --- running expressions ---------------------------------------------------------------------


def rows(backend: Any, expr: ibis.Table, keys: Sequence[str] = ()) -> list[Row]:
    """Execute through Arrow, so that SQL NULL stays None and a NaN or inf would be seen,
    and check that no value is NaN or infinite."""
    result = backend.to_pyarrow(expr).to_pylist()
    for row in result:
        for column, value in row.items():
            if isinstance(value, float):
                assert math.isfinite(value), f"{column} = {value} in {row}"
    return sorted(result, key=lambda r: tuple(str(r[k]) for k in keys))


def mem(data: Mapping[str, Sequence[Any]]) -> ibis.Table:
    return ibis.memtable(pa.table({k: list(v) for k, v in data.items()}))


def table(incomes: Sequence[float], weights: Sequence[float] | None = None, **columns: Sequence[Any]) -> ibis.Table:
    data: dict[str, Sequence[Any]] = {
        "income": [float(y) for y in incomes],
        "weight": [float(w) for w in (weights if weights is not None else [1.0] * len(incomes))],
    }
    data.update(columns)
    return mem(data)


def measures(backend: Any, t: ibis.Table, **kwargs: Any) -> Row:
    (row,) = rows(backend, poverty_measures(t, **kwargs))
    return row


def close(a: float | None, b: float | None, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def assert_rows_close(a: Row, b: Row, columns: Sequence[str], rel: float = 1e-9, abs_: float = 1e-12) -> None:
    for c in columns:
        assert close(a[c], b[c], rel, abs_), f"{c}: {a[c]!r} != {b[c]!r}"


# --- [HK4] Haughton & Khandker ch. 4 ------------------------------------------------------------

HK_LINE = 125.0
COUNTRY_A = [100, 100, 150, 150]
COUNTRY_B = [124, 124, 150, 150]
COUNTRY_C = [100, 110, 150, 160]


def test_haughton_khandker_country_c(duckdb_backend):
    """[HK4] country C: P0 0.5, P1 0.08, P2 0.0136, Watts 0.0877442307, Sen 0.09, SST 0.125."""
    r = measures(duckdb_backend, table(COUNTRY_C), line=HK_LINE)
    assert (r["households"], r["population"], r["poor"]) == (4, 4.0, 2.0)
    assert r["fgt0"] == pytest.approx(0.5, abs=5e-8)
    assert r["fgt1"] == pytest.approx(0.08, abs=5e-8)
    assert r["fgt2"] == pytest.approx(0.0136, abs=5e-8)
    assert r["watts"] == pytest.approx(0.0877442307, abs=5e-11)
    assert r["sen"] == pytest.approx(0.09, abs=5e-8)
    assert r["sst"] == pytest.approx(0.08 * (1 + 0.5625), abs=5e-8)  # P1 x (1 + poverty_gap_gini) = 0.125
    assert r["watts"] / 0.05 == pytest.approx(1.7548846, abs=5e-7)  # time to exit at 5% growth


def test_haughton_khandker_countries_a_and_b(duckdb_backend):
    """[HK4] country A headcount 0.5; country B headcount 0.5 and gap 1/250: B's poor are
    nearer the line, which the headcount does not see and the gap does."""
    a = measures(duckdb_backend, table(COUNTRY_A), line=HK_LINE)
    b = measures(duckdb_backend, table(COUNTRY_B), line=HK_LINE)
    assert a["fgt0"] == pytest.approx(0.5) and b["fgt0"] == pytest.approx(0.5)
    assert b["fgt1"] == pytest.approx(1 / 250)
    assert a["fgt1"] == pytest.approx(0.1)  # 2 x (25/125) / 4, from the definition


def test_haughton_khandker_weighted_copies(duckdb_backend):
    """[HK4] Julia's weighting checks: A as two rows of weight 2 equals A; E (incomes 100
    and 110 in 10,000 unit rows each, 150 and 160 with weight 10,000) equals C."""
    a = measures(duckdb_backend, table(COUNTRY_A), line=HK_LINE)
    a2 = measures(duckdb_backend, table([100, 150], [2, 2]), line=HK_LINE)
    assert_rows_close(a, a2, ["population", "poor", *MEASURE_COLUMNS, *DEFAULT_ATKINSON])
    c = measures(duckdb_backend, table(COUNTRY_C), line=HK_LINE)
    e_incomes = [100] * 10_000 + [110] * 10_000 + [150, 160]
    e_weights = [1] * 20_000 + [10_000, 10_000]
    e = measures(duckdb_backend, table(e_incomes, e_weights), line=HK_LINE)
    assert_rows_close(c, e, [*MEASURE_COLUMNS, *DEFAULT_ATKINSON], rel=1e-9)
    assert e["sst"] == pytest.approx(0.125, abs=5e-8)


# --- [HK6] Haughton & Khandker Table 6.3 ----------------------------------------------------------

HK6 = [10, 15, 20, 25, 40, 20, 30, 35, 45, 90]
HK6_ATKINSON = {
    0.25: 0.0446396,
    0.5: 0.0869155,
    0.75: 0.1267328,
    1.0: 0.1640783,
    1.25: 0.1989991,
    1.5: 0.2315817,
    1.75: 0.2619332,
    2.0: 0.2901688,
    2.25: 0.3164032,
}


@pytest.mark.parametrize(
    "weights",
    [None, [10_000] * 10, [2] * 10],
    ids=["unweighted", "weight-10000", "weight-2"],
)
def test_haughton_khandker_table_6_3(duckdb_backend, weights):
    """[HK6] Gini 0.3272727, Theil L (MLD, Julia's theil[1]) 0.1792203, Theil T 0.1830644,
    Atkinson for nine ε; the same with every weight 10,000 or 2 (Julia's c3, c4)."""
    r = measures(duckdb_backend, table(HK6, weights), line=20.0, epsilons=list(HK6_ATKINSON))
    assert r["gini"] == pytest.approx(0.3272727, abs=5e-8)
    assert r["theil_l"] == pytest.approx(0.1792203, abs=5e-8)
    assert r["theil_t"] == pytest.approx(0.1830644, abs=5e-8)
    for eps, expected in HK6_ATKINSON.items():
        assert r[atkinson_column(eps)] == pytest.approx(expected, abs=5e-8), eps


# --- [INEQ] R ineq examples ----------------------------------------------------------------------

INEQ_X = [541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261]
INEQ_Y = [841, 2063, 2445, 3438, 4437, 5401, 6392, 8304, 11304, 21961]


def test_ineq_examples(duckdb_backend):
    """[INEQ] ineq(x) = 0.4620911, ineq(x, parameter=0.5, type="Atkinson") = 0.1796591;
    pov(x, 2000) (Watts) = 0.1620141, pov(y, 2000) = 0.08663108; pov(., 2000, parameter=1,
    type="Foster") (the headcount, ineq's off-by-one) = 0.2 and 0.1."""
    x = measures(duckdb_backend, table(INEQ_X), line=2000.0)
    y = measures(duckdb_backend, table(INEQ_Y), line=2000.0)
    assert x["gini"] == pytest.approx(0.4620911, abs=5e-8)
    assert x["atkinson_0_5"] == pytest.approx(0.1796591, abs=5e-8)
    assert x["watts"] == pytest.approx(0.1620141, abs=5e-8)
    assert y["watts"] == pytest.approx(0.08663108, abs=5e-9)
    assert x["fgt0"] == pytest.approx(0.2) and y["fgt0"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("incomes", "weights"),
    [
        ([50 / 9] * 9 + [50], None),
        ([50 / 9, 50], [9, 1]),
        ([2] * 5 + [18] * 5, None),
        ([18, 2], [5, 5]),
    ],
    ids=["x-rows", "x-weighted", "y-rows", "y-weighted"],
)
def test_ineq_lasym_example_ties_and_weights(duckdb_backend, incomes, weights):
    """[INEQ] Lasym example (Damgaard & Weiner 2000): Gini(x, corr = TRUE) = Gini(y, corr =
    TRUE) = 0.4444444 for n = 10; corr multiplies by n/(n-1), so the plain Gini is
    0.4444444 x 9/10. Nine tied incomes as rows or as one weighted row give the same value."""
    r = measures(duckdb_backend, table(incomes, weights), line=1.0)
    assert r["gini"] == pytest.approx(0.4444444 * 9 / 10, abs=5e-8)


# --- [PIP] World Bank wbpip tests ---------------------------------------------------------------


def test_pip_poverty_edge_cases(duckdb_backend):
    """[PIP] headcount 0 when all welfare is above the line (10:100, line 9, weights
    10:100); headcount 1 when all is below (1:100, line 101); poverty gap 1 when all welfare
    is 0 (line 12); poverty gap 0 when all welfare is at least the line (21:30, line 15)."""
    above = measures(duckdb_backend, table(range(10, 101), range(10, 101)), line=9.0)
    below = measures(duckdb_backend, table(range(1, 101)), line=101.0)
    zeros = measures(duckdb_backend, table([0] * 10), line=12.0)
    none_poor = measures(duckdb_backend, table(range(21, 31)), line=15.0)
    assert above["fgt0"] == 0 and below["fgt0"] == 1
    assert zeros["fgt1"] == 1 and none_poor["fgt1"] == 0
    # and what follows from our documented conventions for those cases
    assert above["sen"] == 0 and above["sst"] == 0 and above["watts"] == 0
    assert zeros["fgt0"] == 1 and zeros["fgt2"] == 1 and zeros["sen"] == 1 and zeros["sst"] == 1
    assert zeros["watts"] == 0  # PIP: welfare <= 0 leaves the numerator, stays in the denominator
    assert (zeros["excluded_nonpositive"], zeros["excluded_nonpositive_population"]) == (10, 10.0)
    assert zeros["gini"] is None and zeros["theil_t"] is None and zeros["theil_l"] is None
    assert all(zeros[c] is None for c in DEFAULT_ATKINSON)


def test_pip_gini_does_not_depend_on_row_order(duckdb_backend):
    """[PIP] md_compute_gini(5:1, weight = 10:14) == md_compute_gini(1:5, weight = 14:10)."""
    a = measures(duckdb_backend, table([5, 4, 3, 2, 1], [10, 11, 12, 13, 14]), line=3.0)
    b = measures(duckdb_backend, table([1, 2, 3, 4, 5], [14, 13, 12, 11, 10]), line=3.0)
    assert_rows_close(a, b, [*MEASURE_COLUMNS, *DEFAULT_ATKINSON], rel=1e-12)
    assert a["gini"] == pytest.approx(reference([5, 4, 3, 2, 1], [10, 11, 12, 13, 14], 3.0)["gini"])


# --- [POVDECO] lines that differ by household ---------------------------------------------------


def test_povdeco_per_household_line_equals_common_line_on_normalised_income(duckdb_backend):
    """[POVDECO] {y = x/m, z} and {x, z·m} give identical FGT values; our Watts, Sen and SST,
    defined on y/z, share the property."""
    x = [900, 1500, 2600, 4000, 7000, 2400, 3300, 6400]
    m = [1, 2, 3, 2, 4, 3, 1, 2]
    z = 1000.0
    normalised = measures(duckdb_backend, table([xi / mi for xi, mi in zip(x, m, strict=True)]), line=z)
    per_household = measures(duckdb_backend, table(x, line=[z * mi for mi in m]), line="line")
    assert_rows_close(normalised, per_household, ["poor", "fgt0", "fgt1", "fgt2", "watts", "sen", "sst"])
    assert normalised["fgt0"] == pytest.approx(0.5)  # 900, 750, 866.67, 800 are below 1000


# --- zero and negative incomes -------------------------------------------------------------------


def test_zero_and_negative_incomes(duckdb_backend):
    """FGT keeps y <= 0 (a negative income's gap exceeds 1); Watts leaves them out of its
    sum only; Theil and Atkinson are those of the positive incomes alone; the Gini keeps
    everyone; the exclusions are counted. Expected values by hand from the definitions."""
    incomes, weights, z = [-50, 0, 50, 150, 200], [1, 2, 1, 1, 1], 100.0
    r = measures(duckdb_backend, table(incomes, weights), line=z)
    assert (r["households"], r["population"], r["poor"]) == (5, 6.0, 4.0)
    assert r["fgt0"] == pytest.approx(4 / 6)
    assert r["fgt1"] == pytest.approx((1.5 + 2 * 1.0 + 0.5) / 6)
    assert r["fgt2"] == pytest.approx((1.5**2 + 2 * 1.0 + 0.5**2) / 6)
    assert r["watts"] == pytest.approx(math.log(2) / 6)
    assert (r["excluded_nonpositive"], r["excluded_nonpositive_population"]) == (2, 3.0)
    positive = measures(duckdb_backend, table([50, 150, 200]), line=z)
    assert_rows_close(r, positive, ["theil_t", "theil_l", *DEFAULT_ATKINSON])
    mu = 400 / 3
    assert r["theil_l"] == pytest.approx(sum(math.log(mu / y) for y in (50, 150, 200)) / 3)
    assert r["theil_t"] == pytest.approx(sum(y / mu * math.log(y / mu) for y in (50, 150, 200)) / 3)
    # Gini over all six persons: sum |yi - yj| over ordered pairs / (2 n² mean)
    persons = [-50, 0, 0, 50, 150, 200]
    mad = sum(abs(a - b) for a in persons for b in persons)
    assert r["gini"] == pytest.approx(mad / (2 * 36 * (350 / 6)))


def test_empty_weights_and_groups_give_null_not_nan(duckdb_backend):
    r = measures(duckdb_backend, table([10, 20], [0, 0]), line=15.0)
    assert r["population"] == 0
    assert all(r[c] is None for c in [*MEASURE_COLUMNS, *DEFAULT_ATKINSON])


def test_missing_values_and_non_positive_lines_leave_the_row_out(duckdb_backend):
    t = mem(
        {
            "income": [50.0, None, 150.0, 80.0, 90.0],
            "weight": [1.0, 1.0, None, 1.0, 1.0],
            "line": [100.0, 100.0, 100.0, 0.0, None],
        }
    )
    r = measures(duckdb_backend, t)
    assert (r["households"], r["population"], r["fgt0"]) == (1, 1.0, 1.0)


# --- the line switch ---------------------------------------------------------------------------


def test_household_exactly_on_the_line(duckdb_backend):
    """Strict y < z by default: a household on the line is not poor; inclusive counts it.
    Its gap is 0, so only P0 and the headcount inside Sen and SST change."""
    t = table([80, 100, 120], [1, 2, 1])
    strict = measures(duckdb_backend, t, line=100.0)
    weak = measures(duckdb_backend, t, line=100.0, inclusive=True)
    assert (strict["poor"], strict["fgt0"]) == (1.0, 0.25)
    assert (weak["poor"], weak["fgt0"]) == (3.0, 0.75)
    assert_rows_close(strict, weak, ["fgt1", "fgt2", "watts", "gini", "theil_t", "theil_l"])
    # Sen = P0·[I + (1 - I)·Gp]: strict P0 = 1/4, I = 0.2, Gp = 0; weak P0 = 3/4,
    # I = 0.2/3 (gaps 0.2, 0, 0 with weights 1, 2), Gp of y/z = (0.8, 1, 1) weights (1, 2)
    assert strict["sen"] == pytest.approx(0.25 * 0.2)
    gp = (2 * 1 * 2 * 0.2) / (2 * 3**2 * ((0.8 + 2) / 3))
    assert weak["sen"] == pytest.approx(0.75 * (0.2 / 3 + (1 - 0.2 / 3) * gp))
    assert strict["sst"] == pytest.approx(weak["sst"])  # SST = P1·(1 + Gini of all gaps)


# --- the independent reference ------------------------------------------------------------------


def _mean_abs_difference(v: np.ndarray, w: np.ndarray) -> float:
    """sum_i sum_j w_i w_j |v_i - v_j| / W²."""
    return float((np.abs(v[:, None] - v[None, :]) * w[:, None] * w[None, :]).sum() / w.sum() ** 2)


def reference(
    incomes: Sequence[float],
    weights: Sequence[float],
    lines: float | Sequence[float],
    *,
    inclusive: bool = False,
    epsilons: Sequence[float] = (0.5, 1.0, 2.0),
) -> dict[str, float | None]:
    """The measures straight from their definitions, O(n²), no sorting."""
    y = np.asarray(incomes, dtype=float)
    w = np.asarray(weights, dtype=float)
    z = np.broadcast_to(np.asarray(lines, dtype=float), y.shape)
    poor = y <= z if inclusive else y < z
    pop = w.sum()
    gap = np.where(poor, (z - y) / z, 0.0)
    p0, p1 = float(w[poor].sum() / pop), float((w * gap).sum() / pop)
    out: dict[str, float | None] = {"population": pop, "poor": w[poor].sum(), "fgt0": p0, "fgt1": p1}
    out["fgt2"] = (w * gap**2).sum() / pop
    keep = poor & (y > 0)
    out["watts"] = float((w[keep] * np.log(z[keep] / y[keep])).sum() / pop)
    if poor.any():
        # Sen = P0·I + P0·(1 - I)·Gp, and (1 - I)·Gp = (mean of y/z among the poor)·Gp is
        # half the mean absolute difference of y/z among the poor.
        out["sen"] = p1 + p0 * _mean_abs_difference((y / z)[poor], w[poor]) / 2
        # SST = P1·(1 + Ĝ), P1·Ĝ = half the mean absolute difference of the gaps, everyone.
        out["sst"] = p1 + _mean_abs_difference(gap, w) / 2
    else:
        out["sen"] = out["sst"] = 0.0
    total = (w * y).sum()
    out["gini"] = _mean_abs_difference(y, w) / (2 * total / pop) if total > 0 else None
    pos = y > 0
    yp, wp = y[pos], w[pos]
    if wp.sum() > 0:
        mu = (wp * yp).sum() / wp.sum()
        out["theil_t"] = float((wp * (yp / mu) * np.log(yp / mu)).sum() / wp.sum())
        out["theil_l"] = float((wp * np.log(mu / yp)).sum() / wp.sum())
        for e in epsilons:
            if e == 1:
                ede = math.exp((wp * np.log(yp)).sum() / wp.sum())
            else:
                ede = ((wp * yp ** (1 - e)).sum() / wp.sum()) ** (1 / (1 - e))
            out[atkinson_column(e)] = 1 - ede / mu
    else:
        out["theil_t"] = out["theil_l"] = None
        out.update({atkinson_column(e): None for e in epsilons})
    out["excluded_nonpositive"] = int((~pos).sum())
    out["excluded_nonpositive_population"] = float(w[~pos].sum())
    return out


def test_reference_reproduces_the_published_values():
    """The reference itself against [HK4], [HK6] and [INEQ], so that the properties below
    compare with something known to be right."""
    c = reference(COUNTRY_C, [1] * 4, HK_LINE)
    assert (c["fgt1"], c["fgt2"], c["sen"], c["sst"]) == pytest.approx((0.08, 0.0136, 0.09, 0.125))
    t63 = reference(HK6, [1] * 10, 20.0, epsilons=[0.25, 2.0])
    assert (t63["gini"], t63["theil_l"], t63["theil_t"]) == pytest.approx((0.3272727, 0.1792203, 0.1830644), abs=5e-8)
    assert (t63["atkinson_0_25"], t63["atkinson_2"]) == pytest.approx((0.0446396, 0.2901688), abs=5e-8)
    assert reference(INEQ_X, [1] * 10, 2000.0)["watts"] == pytest.approx(0.1620141, abs=5e-8)


# --- properties --------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE = 100.0
COUNTIES = ["230129", "230126", "230224"]

# Integer incomes around a line of 100 give ties, households exactly on the line, zeros
# and negatives, the cases where implementations differ.
incomes_st = st.one_of(
    st.integers(1, 300),
    st.sampled_from([0, -15, 100, 100, 80, 125]),
)
household_st = st.tuples(incomes_st, st.integers(1, 4), st.sampled_from(COUNTIES), st.sampled_from([80, 100, 125]))
households_st = st.lists(household_st, min_size=1, max_size=24)


def columns_of(households: Sequence[tuple[float, float, str, float]]) -> dict[str, list[Any]]:
    return {
        "income": [float(h[0]) for h in households],
        "weight": [float(h[1]) for h in households],
        "county": [h[2] for h in households],
        "line": [float(h[3]) for h in households],
    }


@PROPERTIES
@given(households=households_st, line_kind=st.sampled_from(["number", "column"]), inclusive=st.booleans())
def test_matches_the_reference_by_county(duckdb_backend, households, line_kind, inclusive):
    data = columns_of(households)
    line: str | float = "line" if line_kind == "column" else LINE
    epsilons = (0.5, 1.0, 1.5, 2.0)
    got = rows(
        duckdb_backend,
        poverty_measures(mem(data), by=["county"], line=line, inclusive=inclusive, epsilons=epsilons),
        ["county"],
    )
    assert [r["county"] for r in got] == sorted(set(data["county"]))
    for r in got:
        mine = [i for i, c in enumerate(data["county"]) if c == r["county"]]
        lines = [data["line"][i] for i in mine] if line_kind == "column" else LINE
        expected = reference(
            [data["income"][i] for i in mine],
            [data["weight"][i] for i in mine],
            lines,
            inclusive=inclusive,
            epsilons=epsilons,
        )
        assert r["households"] == len(mine)
        for column, value in expected.items():
            assert close(r[column], value, rel=1e-9, abs_=1e-10), (column, r[column], value)


@PROPERTIES
@given(households=households_st, splits=st.lists(st.integers(1, 3), min_size=24, max_size=24))
def test_weights_equal_replicated_rows(duckdb_backend, households, splits):
    """Frequency-weight consistency: a household of weight w equals w rows of weight 1, and
    equals the same household split into rows (ties in any order) whose weights add to w."""
    weighted = columns_of(households)
    replicated = columns_of([(y, 1, c, z) for y, w, c, z in households for _ in range(w)])
    split = [
        (y, w / parts, c, z) for (y, w, c, z), parts in zip(households, splits, strict=False) for _ in range(parts)
    ]
    split_columns = columns_of(split)
    data = {k: weighted[k] + replicated[k] + split_columns[k] for k in weighted}
    data["case"] = ["weighted"] * len(households) + ["replicated"] * len(replicated["income"]) + ["split"] * len(split)
    by_case = {r["case"]: r for r in rows(duckdb_backend, poverty_measures(mem(data), by=["case"]))}
    columns = ["population", "poor", *MEASURE_COLUMNS, *DEFAULT_ATKINSON, "excluded_nonpositive_population"]
    assert_rows_close(by_case["weighted"], by_case["replicated"], columns)
    assert_rows_close(by_case["weighted"], by_case["split"], columns)


@PROPERTIES
@given(households=households_st, k=st.sampled_from([0.01, 0.37, 3.0, 1000.0, 123456.7]))
def test_scale_invariance(duckdb_backend, households, k):
    """Scaling incomes and lines together changes nothing; scaling incomes alone leaves the
    relative inequality measures unchanged."""
    base = columns_of(households)
    both = dict(base, income=[y * k for y in base["income"]], line=[z * k for z in base["line"]])
    incomes_only = dict(base, income=[y * k for y in base["income"]])
    n = len(households)
    data = {c: base[c] + both[c] + incomes_only[c] for c in base}
    data["case"] = ["base"] * n + ["both"] * n + ["incomes"] * n
    by_case = {r["case"]: r for r in rows(duckdb_backend, poverty_measures(mem(data), by=["case"]))}
    inequality = ["gini", "theil_t", "theil_l", *DEFAULT_ATKINSON]
    assert_rows_close(by_case["base"], by_case["both"], ["poor", *MEASURE_COLUMNS, *DEFAULT_ATKINSON], abs_=1e-10)
    assert_rows_close(by_case["base"], by_case["incomes"], inequality, abs_=1e-10)


@PROPERTIES
@given(households=households_st)
def test_strict_and_inclusive_differ_only_on_the_line(duckdb_backend, households):
    data = columns_of(households)
    t = mem(data)
    strict = measures(duckdb_backend, t, line="line")
    weak = measures(duckdb_backend, t, line="line", inclusive=True)
    on_line = sum(w for y, w, z in zip(data["income"], data["weight"], data["line"], strict=True) if y == z)
    assert weak["poor"] - strict["poor"] == on_line
    assert weak["fgt0"] == pytest.approx(strict["fgt0"] + on_line / strict["population"])
    assert_rows_close(strict, weak, ["fgt1", "fgt2", "watts", "sst", "gini", "theil_t", "theil_l"])
    if on_line == 0:
        assert close(strict["sen"], weak["sen"])


@PROPERTIES
@given(households=households_st, line_kind=st.sampled_from(["number", "column"]), inclusive=st.booleans())
def test_decomposition_adds_up_to_the_total(duckdb_backend, households, line_kind, inclusive):
    """Σ shares = 1, Σ contributions = 1, Σ share·P_k = P for α = 0, 1, 2, and risk =
    P_k/P, with the total P of poverty_measures; within a `by` group as well."""
    data = columns_of(households)
    data["city"] = ["2301" if c.startswith("2301") else "2302" for c in data["county"]]
    t = mem(data)
    line: str | float = "line" if line_kind == "column" else LINE
    parts = rows(duckdb_backend, fgt_decomposition(t, group="county", line=line, inclusive=inclusive))
    total = measures(duckdb_backend, t, line=line, inclusive=inclusive)
    assert list(parts[0]) == ["county", *DECOMPOSITION_COLUMNS]
    assert math.fsum(p["share"] for p in parts) == pytest.approx(1, abs=1e-12)
    for a in (0, 1, 2):
        p = total[f"fgt{a}"]
        assert math.fsum(q["share"] * q[f"fgt{a}"] for q in parts) == pytest.approx(p, rel=1e-12, abs=1e-15)
        if p > 0:
            assert math.fsum(q[f"contribution_fgt{a}"] for q in parts) == pytest.approx(1, abs=1e-12)
            for q in parts:
                assert q[f"contribution_fgt{a}"] == pytest.approx(q["share"] * q[f"fgt{a}"] / p)
                assert q[f"risk_fgt{a}"] == pytest.approx(q[f"fgt{a}"] / p)
        else:
            assert all(q[f"contribution_fgt{a}"] is None for q in parts)
    nested = rows(duckdb_backend, fgt_decomposition(t, group="county", by=["city"], line=line, inclusive=inclusive))
    for city in set(data["city"]):
        assert math.fsum(q["share"] for q in nested if q["city"] == city) == pytest.approx(1, abs=1e-12)


def test_groups_equal_their_subsets_and_a_constant_line_column_equals_the_number(duckdb_backend):
    """`by` county gives each county's values on its own rows; a line column holding the
    same number everywhere gives what the number gives (the two code paths of Sen/SST)."""
    rng = np.random.default_rng(7)
    n = 200
    data = {
        "income": np.round(rng.lognormal(4.5, 0.7, n)).tolist(),
        "weight": rng.integers(1, 6, n).astype(float).tolist(),
        "county": rng.choice(COUNTIES, n).tolist(),
        "line": [LINE] * n,
    }
    t = mem(data)
    grouped = rows(duckdb_backend, poverty_measures(t, by=["county"], line=LINE), ["county"])
    grouped_column = rows(duckdb_backend, poverty_measures(t, by=["county"], line="line"), ["county"])
    columns = ["households", "population", "poor", *MEASURE_COLUMNS, *DEFAULT_ATKINSON]
    for g, gc in zip(grouped, grouped_column, strict=True):
        assert_rows_close(g, gc, columns)
        alone = measures(duckdb_backend, t.filter(t.county == g["county"]), line=LINE)
        assert_rows_close(g, alone, columns)
    assert 0 < grouped[0]["fgt0"] < 1  # the sample has poor and non-poor


# --- labels and arguments ----------------------------------------------------------------------


def test_every_output_column_has_chinese_and_english_labels(duckdb_backend):
    t = table([50, 150], line=[100.0, 100.0], county=["a", "b"])
    columns = [
        *poverty_measures(t, by=["county"], epsilons=(0.25, 0.5, 1, 2)).columns[1:],
        *fgt_decomposition(t, group="county").columns[1:],
    ]
    for column in columns:
        m = describe(column)
        assert m.id == column
        assert any("\u4e00" <= ch <= "\u9fff" for ch in m.zh), m
        assert m.en and not any("\u4e00" <= ch <= "\u9fff" for ch in m.en), m
        assert m.definition_zh and m.definition_en
    assert describe("atkinson_0_25").en == "Atkinson index (ε = 0.25)"
    assert list(MEASURES)[:4] == ["households", "population", "poor", "fgt0"]
    with pytest.raises(KeyError):
        describe("atkinson_x")


def test_bad_arguments_are_refused():
    t = table([1.0])
    with pytest.raises(ValueError, match="Atkinson"):
        poverty_measures(t, epsilons=(-1,))
    with pytest.raises(ValueError, match="duplicate"):
        poverty_measures(t, epsilons=(1, 1.0))
    with pytest.raises(ValueError, match="line"):
        poverty_measures(t, line=0.0)
    with pytest.raises(ValueError, match="group"):
        fgt_decomposition(t.mutate(county=ibis.literal("a")), group="county", by=["county"])
    assert [atkinson_column(e) for e in (0.5, 1, 2.0, 1.25, 0.00001)] == [
        "atkinson_0_5",
        "atkinson_1",
        "atkinson_2",
        "atkinson_1_25",
        "atkinson_0_00001",
    ]


# --- DuckDB and Spark ------------------------------------------------------------------------------


def snapshot() -> dict[str, list[Any]]:
    """A fixture snapshot: three counties in two cities with different lines, ties,
    households on the line, zero and negative incomes, and household-size weights."""
    rng = np.random.default_rng(2024)
    n = 400
    county = rng.choice(COUNTIES, n)
    line = np.where(np.char.startswith(county.astype(str), "2301"), 4000.0, 3600.0)
    income = np.round(rng.lognormal(8.3, 0.7, n), -1)
    income[:12] = [0, 0, -200, -35.5, 4000, 4000, 3600, 3600, 4000, 2500, 2500, 2500]
    return {
        "county": county.tolist(),
        "city": [c[:4] for c in county.tolist()],
        "income": income.tolist(),
        "weight": (rng.integers(1, 7, n) * rng.choice([1.0, 1.5], n)).tolist(),
        "line": line.tolist(),
    }


def test_duckdb_and_spark_agree(duckdb_backend, spark_backend):
    """Every measure and the decomposition, computed by the same expressions on both."""
    t = mem(snapshot())
    cases = [
        (poverty_measures(t, by=["county"], line="line"), ["county"]),
        (poverty_measures(t, line=4000.0, inclusive=True, epsilons=(0.25, 0.5, 1, 1.5, 2)), []),
        (poverty_measures(t, line="line"), []),
        (fgt_decomposition(t, group="county", by=["city"], line="line"), ["city", "county"]),
        (fgt_decomposition(t, group="city", line=4000.0, inclusive=True), ["city"]),
    ]
    for expr, keys in cases:
        duck = rows(duckdb_backend, expr, keys)
        spark = rows(spark_backend, expr, keys)
        assert len(duck) == len(spark) > 0
        for d, s in zip(duck, spark, strict=True):
            assert list(d) == list(s)
            for column in d:
                if column in keys:
                    assert d[column] == s[column]
                else:
                    assert d[column] is not None, column
                    assert close(d[column], s[column], rel=1e-9, abs_=1e-12), (column, d[column], s[column])
    counties = rows(duckdb_backend, cases[0][0], ["county"])
    assert sum(r["excluded_nonpositive"] for r in counties) == 4
    assert all(0 < r["fgt0"] < 1 and 0 < r["sen"] < r["fgt0"] for r in counties)
