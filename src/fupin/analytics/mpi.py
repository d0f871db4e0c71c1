"""Multidimensional poverty: the Alkire-Foster (AF) measures on the household items of
两不愁三保障 ("two no worries, three guarantees") plus safe drinking water.

Written in Ibis only, so that the same expressions run in process on DuckDB and on Spark
at national scale: one projection and one aggregation over the household rows (plus a
window over the per-group rows when groups are asked for), never a Python loop over rows.

Definitions (Alkire & Foster 2011, J. Public Econ. 95: 476-487; Alkire, Foster, Seth,
Santos, Roche & Ballon 2015, *Multidimensional Poverty Measurement and Analysis*, OUP,
ch. 5), with ``g_ij`` = 1 if household i is deprived in indicator j, ``w_j`` the indicator
weights, ``π_i`` the person weight of the household (its members, times a sampling weight
if any) and ``Π = Σ π_i``:

- deprivation score ``c_i = Σ_j w_j g_ij``; household i is poor iff ``c_i ≥ k`` (weak
  inequality). ``k`` is in the units of the weights: with weights summing to 1 (the OPHI
  convention, and the default here) ``k`` is a share, ``k = min w_j`` is the union
  approach and ``k = 1`` the intersection approach; with unit weights (AF 2011's original
  convention, the R ``MPI`` package) ``k`` is a count.
- ``h`` (H, incidence) = ``Σ π_i [c_i ≥ k] / Π``;
  ``a`` (A, intensity) = ``Σ π_i c_i(k) / Σ π_i [c_i ≥ k]``, with scores normalised by
  ``Σ w_j`` so that A is a share of the weighted indicators;
  ``m0`` (adjusted headcount ratio) = ``H × A = Σ π_i c_i(k) / Π``.
- ``censored_<j>`` = ``Σ π_i g_ij [c_i ≥ k] / Π``; ``uncensored_<j>`` = ``Σ π_i g_ij / Π``;
  ``M0 = Σ_j (w_j/Σw) censored_j``.
- ``contribution_<j>`` = ``(w_j/Σw) censored_j / M0``: they add up to 1 when M0 > 0, and
  are NULL (undefined: nobody is poor) when M0 = 0. ``a`` is NULL when nobody is poor,
  and every ratio is NULL for a group with no (assessed) population.
- Groups (``by``): each group's own measures, plus ``population_share`` = ``Π_ℓ / Π`` and
  ``group_contribution`` = ``Π_ℓ M0_ℓ / (Π M0)`` (the AF subgroup decomposition; the
  population-weighted group M0 add up to the total M0). Decomposing by area (county,
  village) is what the decomposition means; by year it is not.

Exactness: the weights and ``k`` are turned into fractions and the scores are computed in
integer units of the weights' common denominator, so ``c_i ≥ k`` is an integer comparison
(1/6 + 1/6 ≥ 1/3 holds, as it does not always in floating point).

Not yet assessed: a household with an item not yet assessed has a NULL deprivation. It
is left out of every measure (counted neither in the population nor among the poor) and
reported in ``unassessed`` (households) and ``unassessed_population`` (persons): the AF
measures need every indicator of a household. A household without a weight is left out
and counted in ``unassessed`` the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from numbers import Real

import ibis
import ibis.expr.types as ir

__all__ = [
    "DEFAULT_K",
    "DEFAULT_WEIGHTS",
    "MPI_INDICATORS",
    "Indicator",
    "af_measures",
    "household_deprivations",
    "mpi",
]


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``name`` names its deprivation column (1 = deprived) and the
    suffix of its result columns; ``field`` is the household field that records whether
    the item is assured (True), not assured (False) or not yet assessed (NULL)."""

    name: str
    field: str
    zh: str
    en: str
    weight: Fraction


# Equal weights: the domain's proposal (../shared/reference/poverty-measures.md §5.3) uses
# six binary indicators with equal weights 1/6 (or nested weights); no official Chinese
# weighting exists. With them, k = 1/6 (any item not assured, the exit rule's logic) is the
# union approach, and the default k = 1/3 asks for two items, as the global MPI's 33%.
MPI_INDICATORS: tuple[Indicator, ...] = (
    Indicator("food", "assured_food", "不愁吃", "food", Fraction(1, 6)),
    Indicator("clothing", "assured_clothing", "不愁穿", "clothing", Fraction(1, 6)),
    Indicator("education", "assured_education", "义务教育有保障", "compulsory education", Fraction(1, 6)),
    Indicator("medical", "assured_medical", "基本医疗有保障", "basic medical care", Fraction(1, 6)),
    Indicator("housing", "assured_housing", "住房安全有保障", "safe housing", Fraction(1, 6)),
    Indicator("water", "assured_water", "饮水安全有保障", "safe drinking water", Fraction(1, 6)),
)
DEFAULT_WEIGHTS: dict[str, Fraction] = {i.name: i.weight for i in MPI_INDICATORS}
DEFAULT_K = Fraction(1, 3)
MAX_DENOMINATOR = 1_000_000


def household_deprivations(
    households: ir.Table, *, indicators: Sequence[Indicator] = MPI_INDICATORS, keep: Sequence[str] | None = None
) -> ir.Table:
    """Household rows (with the ``assured_*`` fields) to deprivation rows: one int8
    column per indicator, named by the indicator, 1 where the item is not assured, 0
    where it is and NULL where it is not yet assessed. ``keep`` names the columns to carry
    along (the weight, area codes...); by default every column of ``households``."""
    columns = list(households.columns if keep is None else keep)
    deprived = {
        i.name: ibis.cases(
            (households[i.field].isnull(), ibis.null("int8")),
            (households[i.field], ibis.literal(0, "int8")),
            else_=ibis.literal(1, "int8"),
        )
        for i in indicators
    }
    kept = [c for c in columns if c not in deprived]
    return households.select(*kept, **deprived)


def af_measures(
    t: ir.Table,
    *,
    deprivations: Mapping[str, float | Fraction] | None = None,
    weight: str = "weight",
    k: float | Fraction = DEFAULT_K,
    by: Sequence[str] = (),
) -> ir.Table:
    """The Alkire-Foster measures of ``t`` (one row per household: a 0/1 or boolean
    deprivation column per indicator, any non-zero value counting as deprived, NULL as not
    assessed; and a person weight), per group of ``by``.

    ``deprivations`` maps each deprivation column to its weight (default: the six
    indicators of ``MPI_INDICATORS``, 1/6 each). Returns one row per group with ``by``,
    ``households``, ``population``, ``poor_households``, ``poor_population``, ``h``, ``a``,
    ``m0``, and for each indicator ``censored_<j>``, ``uncensored_<j>`` and
    ``contribution_<j>``; ``unassessed`` and ``unassessed_population``; and with ``by``,
    ``population_share`` and ``group_contribution``. See the module's docstring."""
    weights = {name: _exact(w, what=f"the weight of {name}") for name, w in (deprivations or DEFAULT_WEIGHTS).items()}
    units, cutoff, total_units = _integer_units(weights, _exact(k, what="k"))
    missing = [c for c in [*weights, weight, *by] if c not in t.columns]
    if missing:
        raise ValueError(f"af_measures: no column {', '.join(missing)} in the table")

    names = list(weights)
    # a projection: completeness, 0/1 deprivations of the assessed, integer score
    rows = t.select(
        *by,
        _ok=reduce(lambda x, y: x & y, [t[name].notnull() for name in [*names, weight]]),
        _raw_w=t[weight],
        **{f"_d_{i}": (t[name].cast("int64") != 0).cast("int64") for i, name in enumerate(names)},
    )
    rows = rows.select(
        *by,
        "_ok",
        "_raw_w",
        _w=ibis.ifelse(rows._ok, rows._raw_w, 0),
        **{f"_g_{i}": ibis.ifelse(rows._ok, rows[f"_d_{i}"], 0) for i in range(len(names))},
    )
    rows = rows.mutate(_s=reduce(lambda x, y: x + y, [rows[f"_g_{i}"] * units[n] for i, n in enumerate(names)]))
    rows = rows.mutate(_poor=rows._ok & (rows._s >= cutoff))
    rows = rows.mutate(_pw=ibis.ifelse(rows._poor, rows._w, 0))
    sums = {
        "households": rows._ok.cast("int64").sum(),
        "population": rows._w.sum(),
        "poor_households": rows._poor.cast("int64").sum(),
        "poor_population": rows._pw.sum(),
        "_units": (rows._pw * rows._s).sum(),
        "unassessed": (~rows._ok).cast("int64").sum(),
        "unassessed_population": ibis.ifelse(rows._ok, 0, rows._raw_w).sum(),
    }
    for i in range(len(names)):
        sums[f"_cen_{i}"] = (rows._pw * rows[f"_g_{i}"]).sum()
        sums[f"_unc_{i}"] = (rows._w * rows[f"_g_{i}"]).sum()
    sums = {name: ibis.coalesce(total, 0) for name, total in sums.items()}  # an empty table sums to 0
    # one aggregation pass over the households
    agg = rows.group_by(list(by)).aggregate(**sums) if by else rows.aggregate(**sums)

    population = agg.population.cast("float64")
    poor = agg.poor_population.cast("float64")
    deprived_units = agg._units.cast("float64")
    has_people = agg.population > 0

    def share(numerator: ir.NumericValue) -> ir.FloatingValue:
        return ibis.ifelse(has_people, numerator.cast("float64") / population, ibis.null("float64"))

    measures: dict[str, ir.Value] = {
        "h": share(agg.poor_population),
        "a": ibis.ifelse(agg.poor_population > 0, deprived_units / (poor * total_units), ibis.null("float64")),
        "m0": ibis.ifelse(has_people, deprived_units / (population * total_units), ibis.null("float64")),
    }
    for i, name in enumerate(names):
        measures[f"censored_{name}"] = share(agg[f"_cen_{i}"])
    for i, name in enumerate(names):
        measures[f"uncensored_{name}"] = share(agg[f"_unc_{i}"])
    for i, name in enumerate(names):
        measures[f"contribution_{name}"] = ibis.ifelse(
            agg._units > 0, agg[f"_cen_{i}"].cast("float64") * units[name] / deprived_units, ibis.null("float64")
        )
    if by:
        whole = ibis.window()
        total_population = agg.population.sum().over(whole).cast("float64")
        total_deprived = agg._units.sum().over(whole).cast("float64")
        measures["population_share"] = ibis.ifelse(
            total_population > 0, population / total_population, ibis.null("float64")
        )
        measures["group_contribution"] = ibis.ifelse(
            total_deprived > 0, deprived_units / total_deprived, ibis.null("float64")
        )
    counts = ["households", "population", "poor_households", "poor_population"]
    ordered = {name: measures.pop(name) for name in ["h", "a", "m0"]}
    ordered.update((name, value) for name, value in measures.items() if not name.startswith(("population_", "group_")))
    ordered.update({"unassessed": agg.unassessed, "unassessed_population": agg.unassessed_population})
    ordered.update((name, value) for name, value in measures.items() if name.startswith(("population_", "group_")))
    return agg.select(*by, *counts, **ordered)


def mpi(
    households: ir.Table,
    *,
    weight: str = "weight",
    k: float | Fraction = DEFAULT_K,
    by: Sequence[str] = (),
    weights: Mapping[str, float | Fraction] | None = None,
) -> ir.Table:
    """The AF measures of household rows that hold the ``assured_*`` fields of the
    registry and a person weight: ``household_deprivations`` then ``af_measures``."""
    rows = household_deprivations(households, keep=[weight, *by])
    return af_measures(rows, deprivations=weights or DEFAULT_WEIGHTS, weight=weight, k=k, by=by)


# --- exact weights -----------------------------------------------------------------------


def _exact(value: float | Fraction | Real, *, what: str) -> Fraction:
    """A weight or cutoff as a fraction: ints and Fractions as they are, floats as the
    simplest fraction within 1e-9 (1/6 as a float is 1/6)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, int | Fraction):
        return Fraction(value)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, not {value!r}")
    fraction = Fraction(number).limit_denominator(MAX_DENOMINATOR)
    if abs(float(fraction) - number) > 1e-9 * max(1.0, abs(number)):
        raise ValueError(f"{what} ({value!r}) is not a simple fraction: give it as a Fraction")
    return fraction


def _integer_units(weights: Mapping[str, Fraction], k: Fraction) -> tuple[dict[str, int], int, int]:
    """Weights in integer units of their common denominator D, the poverty cutoff as the
    least integer score that is ≥ k·D, and the total of the units."""
    if not weights:
        raise ValueError("af_measures needs at least one deprivation column")
    if any(w < 0 for w in weights.values()):
        raise ValueError("indicator weights cannot be negative")
    total = sum(weights.values(), Fraction(0))
    if total <= 0:
        raise ValueError("at least one indicator weight must be more than zero")
    if not 0 < k <= total:
        raise ValueError(f"k must be more than 0 and at most the sum of the weights ({total}), not {k}")
    denominator = math.lcm(*(w.denominator for w in weights.values()))
    units = {name: int(w * denominator) for name, w in weights.items()}
    return units, math.ceil(k * denominator), sum(units.values())
