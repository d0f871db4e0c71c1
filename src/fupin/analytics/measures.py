"""Poverty and inequality measures as backend-agnostic Ibis expressions.

The same expression runs on DuckDB (in process) and on Spark (Ibis' pyspark backend): the
functions here only build expressions, never execute them, and use nothing but Ibis column
arithmetic, ordered ``ROWS`` cumulative windows and aggregations. ``poverty_measures`` costs
one cumulative window (sorted by income within each group) and one aggregation; when the
line is a column rather than a number, a second window sorts the poor alone by y/z and its
sums are joined back by group. Nothing is collected into Python.

Conventions (``docs/measures.md`` states them with the formulas and the sources):

* Unit of analysis is the person. Each input row is a household with per-capita income
  ``y``, person weight ``w`` (household size x sampling weight, computed by the caller) and
  poverty line ``z`` (a column, or one number for every row). Lines must be positive.
* Poor iff ``y < z`` (World Bank PIP, Haughton & Khandker, povdeco); ``inclusive=True``
  switches to ``y <= z``. Only the headcount and the headcount and Gini of the poor inside
  Sen change: the gap of a household on the line is zero.
* Zero and negative incomes are kept in FGT (a negative income has a normalised gap above
  1), in Sen, SST and the Gini. Watts follows PIP: they are left out of the numerator and
  kept in the population. Theil T, Theil L and every Atkinson index are computed on the
  ``y > 0`` subset with that subset's own mean (Stata ineqdeco; R ineq drops zeros the same
  way); ``excluded_nonpositive`` counts the households left out. An undefined value
  (empty group, zero total income) is NULL, never inf or NaN.
* Gini is the weighted mean absolute difference, exact for frequency weights and
  insensitive to the order of tied incomes. Sen is the large-q form with the Gini of the
  poor; SST is P1 x (1 + Gini of the normalised gaps over the whole population). With
  lines that differ between rows, Sen's Gini of the poor and the order of the gaps use the
  normalised income ``y/z``.
* Rows with a missing income or weight, or a missing or non-positive line, are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import ibis
import ibis.expr.types as ir

__all__ = [
    "DECOMPOSITION_COLUMNS",
    "DEFAULT_EPSILONS",
    "MEASURES",
    "Measure",
    "atkinson_column",
    "describe",
    "fgt_decomposition",
    "poverty_measures",
]

DEFAULT_EPSILONS: tuple[float, ...] = (0.5, 1.0, 2.0)

# Internal column names; the prefix keeps them clear of the caller's columns.
_Y, _W, _Z = "_m_y", "_m_w", "_m_z"


@dataclass(frozen=True, slots=True)
class Measure:
    """Labels for one output column, for the CLI, the API and the web page."""

    id: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str


def _check_epsilon(epsilon: float) -> None:
    if not math.isfinite(epsilon) or epsilon < 0:
        raise ValueError(f"Atkinson inequality aversion must be a finite number >= 0, not {epsilon!r}")


def atkinson_column(epsilon: float) -> str:
    """Output column of the Atkinson index for ``epsilon``: 0.5 -> ``atkinson_0_5``."""
    _check_epsilon(epsilon)
    text = format(Decimal(repr(float(epsilon))).normalize(), "f")
    return "atkinson_" + text.replace(".", "_")


def _atkinson_measure(epsilon: float) -> Measure:
    eps = format(Decimal(repr(float(epsilon))).normalize(), "f")
    return Measure(
        id=atkinson_column(epsilon),
        zh=f"阿特金森指数（ε={eps}）",
        en=f"Atkinson index (ε = {eps})",
        definition_zh=f"1 减去不平等厌恶参数为 {eps} 的等价均等分配收入与平均收入之比；仅计收入为正者。",
        definition_en=(
            f"1 minus the ratio of the equally distributed equivalent income (inequality aversion {eps}) "
            "to mean income; positive incomes only."
        ),
    )


_BASE_MEASURES: tuple[Measure, ...] = (
    Measure(
        "households",
        "户数",
        "Households",
        "参与计算的户数（收入、权重、贫困线均不缺失）。",
        "Households counted (income, weight and line present).",
    ),
    Measure(
        "population",
        "人口",
        "Population",
        "加权人口：各户人数 × 抽样权重之和。",
        "Weighted persons: sum of household size x sampling weight.",
    ),
    Measure(
        "poor",
        "贫困人口",
        "Poor population",
        "人均收入低于贫困线的加权人口。",
        "Weighted persons whose per-capita income is below the line.",
    ),
    Measure(
        "fgt0",
        "贫困发生率",
        "Headcount ratio (FGT0)",
        "贫困人口占总人口的比例。",
        "Share of persons below the poverty line.",
    ),
    Measure(
        "fgt1",
        "贫困距指数",
        "Poverty gap index (FGT1)",
        "贫困缺口 (z−y)/z 的人口平均，非贫困者计 0。",
        "Population mean of the normalised gap (z−y)/z, zero for the non-poor.",
    ),
    Measure(
        "fgt2",
        "平方贫困距指数",
        "Squared poverty gap (FGT2)",
        "贫困缺口平方的人口平均，反映贫困强度。",
        "Population mean of the squared normalised gap (severity).",
    ),
    Measure(
        "watts",
        "瓦茨指数",
        "Watts index",
        "贫困者 ln(z/y) 之和除以总人口；收入非正者不计入分子。",
        "Sum of ln(z/y) over the poor divided by the population; non-positive incomes are left out of the sum.",
    ),
    Measure(
        "sen",
        "森指数",
        "Sen index",
        "P0·[I + (1−I)·Gp]：I 为贫困者平均缺口率，Gp 为贫困者内部基尼系数。",
        "P0·[I + (1−I)·Gp], I the income-gap ratio of the poor, Gp the Gini among the poor.",
    ),
    Measure(
        "sst",
        "森-肖罗克斯-托恩指数",
        "Sen-Shorrocks-Thon index",
        "P1 ×（1 + 全体人口贫困缺口的基尼系数）。",
        "P1 x (1 + Gini of the normalised gaps over the whole population).",
    ),
    Measure(
        "gini",
        "基尼系数",
        "Gini coefficient",
        "加权平均绝对差除以两倍平均收入；计入全部收入。",
        "Weighted mean absolute difference over twice the mean; all incomes.",
    ),
    Measure(
        "theil_t",
        "泰尔T指数",
        "Theil T index",
        "广义熵 GE(1)：(y/μ)·ln(y/μ) 的人口平均；仅计收入为正者。",
        "Generalised entropy GE(1): mean of (y/μ)·ln(y/μ); positive incomes only.",
    ),
    Measure(
        "theil_l",
        "泰尔L指数（平均对数偏差）",
        "Theil L index (mean log deviation)",
        "广义熵 GE(0)：ln(μ/y) 的人口平均；仅计收入为正者。",
        "Generalised entropy GE(0): mean of ln(μ/y); positive incomes only.",
    ),
    *(_atkinson_measure(eps) for eps in DEFAULT_EPSILONS),
    Measure(
        "excluded_nonpositive",
        "收入非正户数",
        "Households with zero or negative income",
        "人均收入 ≤ 0 的户数；不计入瓦茨指数分子及泰尔、阿特金森指数。",
        "Households with per-capita income ≤ 0; left out of the Watts sum and of Theil and Atkinson.",
    ),
    Measure(
        "excluded_nonpositive_population",
        "收入非正人口",
        "Persons with zero or negative income",
        "人均收入 ≤ 0 的加权人口。",
        "Weighted persons with per-capita income ≤ 0.",
    ),
    Measure(
        "share",
        "人口比重",
        "Population share",
        "分组加权人口占总人口的比例。",
        "Group's weighted persons over the total.",
    ),
    *(
        Measure(
            f"contribution_fgt{a}",
            f"FGT{a} 贡献率",
            f"Contribution to FGT{a}",
            f"人口比重 × 分组 FGT{a} ÷ 总体 FGT{a}；各组之和为 1。",
            f"Population share x group FGT{a} / total FGT{a}; sums to 1 over the groups.",
        )
        for a in (0, 1, 2)
    ),
    *(
        Measure(
            f"risk_fgt{a}",
            f"FGT{a} 相对风险",
            f"Relative risk (FGT{a})",
            f"分组 FGT{a} ÷ 总体 FGT{a}。",
            f"Group FGT{a} / total FGT{a}.",
        )
        for a in (0, 1, 2)
    ),
)

MEASURES: dict[str, Measure] = {m.id: m for m in _BASE_MEASURES}
"""Labels for every column of :func:`poverty_measures` (default epsilons) and
:func:`fgt_decomposition`, in output order. Use :func:`describe` for other epsilons."""

DECOMPOSITION_COLUMNS: tuple[str, ...] = (
    "population",
    "share",
    "poor",
    "fgt0",
    "fgt1",
    "fgt2",
    "contribution_fgt0",
    "contribution_fgt1",
    "contribution_fgt2",
    "risk_fgt0",
    "risk_fgt1",
    "risk_fgt2",
)


def describe(column: str) -> Measure:
    """Labels of an output column, including ``atkinson_<eps>`` for any epsilon."""
    if column in MEASURES:
        return MEASURES[column]
    if column.startswith("atkinson_"):
        text = column.removeprefix("atkinson_").replace("_", ".", 1)
        try:
            epsilon = float(text)
        except ValueError:
            pass
        else:
            if atkinson_column(epsilon) == column:
                return _atkinson_measure(epsilon)
    raise KeyError(column)


# --------------------------------------------------------------------------- helpers


def _div(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """``numerator / denominator``, NULL when the denominator is 0 (never inf or NaN; Spark
    in ANSI mode would raise)."""
    return numerator / denominator.nullif(0)


def _zero_if_null(value: ir.NumericValue) -> ir.NumericValue:
    return value.fill_null(0.0)


def _prepare(t: ir.Table, *, income: str, weight: str, line: str | float, keep: Iterable[str]) -> tuple[ir.Table, bool]:
    """Project the caller's columns to float income, weight and line, dropping rows with a
    missing value or a non-positive line. Returns the table and whether the line is one
    number."""
    if isinstance(line, str):
        z: ir.Value = t[line].cast("float64")
        scalar_line = False
    else:
        if isinstance(line, bool) or not math.isfinite(float(line)) or float(line) <= 0:
            raise ValueError(f"the poverty line must be a positive number, not {line!r}")
        z = ibis.literal(float(line), type="float64")
        scalar_line = True
    keep = list(dict.fromkeys(keep))
    projected = t.select(
        *[t[c] for c in keep],
        **{_Y: t[income].cast("float64"), _W: t[weight].cast("float64"), _Z: z},
    )
    # A missing value, or a line that is not positive, leaves the row out: the normalised
    # gap (z - y)/z and ln z are undefined for it.
    valid = projected[_Y].notnull() & projected[_W].notnull() & (projected[_Z] > 0)
    return projected.filter(valid), scalar_line


def _poor(t: ir.Table, inclusive: bool) -> ir.BooleanValue:
    return t[_Y] <= t[_Z] if inclusive else t[_Y] < t[_Z]


def _sen_sst_sums(
    *,
    poor: ir.BooleanValue,
    w: ir.FloatingValue,
    rel: ir.FloatingValue,
    gap: ir.FloatingValue,
    cum: ir.FloatingValue,
) -> dict[str, ir.Value]:
    """Sums for Sen and SST. ``cum`` is the cumulative weight (ROWS frame) in ascending
    order of y/z, in which the poor come first."""
    return {
        # Sen: A_p = sum over the poor of w·r·(2C - w), the Gini of r = y/z among the poor
        # being A_p/(W_p·R_p) - 1.
        "_s_rel_poor": ibis.ifelse(poor, w * rel, 0.0).sum(),
        "_s_gini_poor": ibis.ifelse(poor, w * rel * (2.0 * cum - w), 0.0).sum(),
        # SST: in ascending order of the gaps the cumulative weight of a poor row is
        # W - C + w, so sum w·g·(2(W - C + w) - w) = 2W·S1 - 2·sum w·g·C + sum w²·g.
        "_s_gap_cum": ibis.ifelse(poor, w * gap * cum, 0.0).sum(),
        "_s_gap_w2": ibis.ifelse(poor, w * w * gap, 0.0).sum(),
    }


# --------------------------------------------------------------------------- measures


def poverty_measures(
    t: ir.Table,
    *,
    income: str = "income",
    weight: str = "weight",
    line: str | float = "line",
    by: Sequence[str] = (),
    inclusive: bool = False,
    epsilons: Sequence[float] = DEFAULT_EPSILONS,
) -> ir.Table:
    """Poverty and inequality measures per group of ``by`` (one row when ``by`` is empty).

    ``t`` has one row per household: per-capita ``income``, person ``weight`` (household
    size x sampling weight) and the poverty ``line`` (a column name, or a number for every
    row). Poor iff income < line, or <= with ``inclusive=True``.

    Columns: the ``by`` columns, ``households``, ``population``, ``poor``, ``fgt0``,
    ``fgt1``, ``fgt2``, ``watts``, ``sen``, ``sst``, ``gini``, ``theil_t``, ``theil_l``,
    ``atkinson_<eps>`` per epsilon, ``excluded_nonpositive`` (households with income <= 0,
    left out of the Watts sum and of Theil and Atkinson) and
    ``excluded_nonpositive_population`` (their weighted persons). See ``docs/measures.md``.

    Pass the line as a number when it is the same for every row: Sen and SST then reuse the
    income window instead of sorting the poor a second time by y/z.
    """
    by = list(by)
    eps_values = [float(e) for e in epsilons]
    for e in eps_values:
        _check_epsilon(e)
    eps_columns = [atkinson_column(e) for e in eps_values]
    if len(set(eps_columns)) != len(eps_columns):
        raise ValueError(f"duplicate Atkinson epsilons: {list(epsilons)!r}")

    base, scalar_line = _prepare(t, income=income, weight=weight, line=line, keep=by)
    group_by = by or None
    # The window runs over the narrow projection; everything else is computed in the aggregation.
    rows = base.mutate(_m_cum_y=base[_W].sum().over(ibis.cumulative_window(group_by=group_by, order_by=[base[_Y]])))
    y, w, z, cum_y = rows[_Y], rows[_W], rows[_Z], rows["_m_cum_y"]
    poor = _poor(rows, inclusive)
    positive = y > 0
    pos_y = ibis.ifelse(positive, y, ibis.null("float64"))
    ln_y = pos_y.ln()  # NULL for y <= 0: no backend ever sees ln(0) or ln(-1)
    gap = ibis.ifelse(poor, (z - y) / z, 0.0)

    sums: dict[str, ir.Value] = {
        "households": rows.count(),
        "population": w.sum(),
        "poor": ibis.ifelse(poor, w, 0.0).sum(),
        "_s_gap": (w * gap).sum(),
        "_s_gap2": (w * gap * gap).sum(),
        # Watts (PIP): ln(z/y) over the poor with y > 0, divided by everyone's weight.
        "_s_watts": ibis.ifelse(poor, w * (z.ln() - ln_y), 0.0).sum(),
        # Gini of income: sum w·y·(2C - w), C the cumulative weight in income order.
        "_s_wy": (w * y).sum(),
        "_s_gini": (w * y * (2.0 * cum_y - w)).sum(),
        # Log-based inequality on y > 0.
        "_s_wpos": ibis.ifelse(positive, w, 0.0).sum(),
        "_s_wypos": ibis.ifelse(positive, w * y, 0.0).sum(),
        "_s_wlny": (w * ln_y).sum(),
        "_s_wylny": (w * pos_y * ln_y).sum(),
        "excluded_nonpositive": ibis.ifelse(positive, 0, 1).sum(),
        "excluded_nonpositive_population": ibis.ifelse(positive, 0.0, w).sum(),
    }
    for e, col in zip(eps_values, eps_columns, strict=True):
        if e != 1.0:
            sums["_s_" + col] = (w * pos_y ** (1.0 - e)).sum()

    if scalar_line:
        # One line: the order of y/z is the income order, and the poor are its prefix.
        sums.update(_sen_sst_sums(poor=poor, w=w, rel=y / z, gap=gap, cum=cum_y))
        agg = rows.aggregate(by=by, **sums) if by else rows.aggregate(**sums)
    else:
        # Lines differ between rows: a second window orders the poor alone by y/z.
        poor_rows = base.filter(_poor(base, inclusive))
        poor_rows = poor_rows.mutate(
            _m_cum_rel=poor_rows[_W]
            .sum()
            .over(ibis.cumulative_window(group_by=group_by, order_by=[poor_rows[_Y] / poor_rows[_Z]]))
        )
        py, pw, pz = poor_rows[_Y], poor_rows[_W], poor_rows[_Z]
        poor_sums = _sen_sst_sums(
            poor=ibis.literal(True), w=pw, rel=py / pz, gap=(pz - py) / pz, cum=poor_rows["_m_cum_rel"]
        )
        main = rows.aggregate(by=by, **sums) if by else rows.aggregate(**sums)
        by_poor = poor_rows.aggregate(by=by, **poor_sums) if by else poor_rows.aggregate(**poor_sums)
        if by:
            keys = [main[c].identical_to(by_poor[c]) for c in by]
            joined = main.left_join(by_poor, keys)
        else:
            joined = main.cross_join(by_poor)
        agg = joined.select(*[joined[c] for c in main.columns], *[joined[c] for c in poor_sums])

    pop = agg["population"]
    gap_sum = _zero_if_null(agg["_s_gap"])
    poor_pop = agg["poor"]
    fgt1 = _div(gap_sum, pop)
    # Sen = P1 + (R_p/W)·Gp with Gp = A_p/(W_p·R_p) - 1, i.e. P1 + (A_p/W_p - R_p)/W; no
    # division by R_p, which is 0 when every poor income is 0.
    sen_poor = _div(agg["_s_gini_poor"], poor_pop) - agg["_s_rel_poor"]
    sen = ibis.ifelse(poor_pop > 0, fgt1 + _div(sen_poor, pop), ibis.ifelse(pop > 0, 0.0, ibis.null("float64")))
    # SST = P1·(1 + Ĝ) with Ĝ = B/(W·S1) - 1, so SST = B/W²: 0, not undefined, without poor.
    sst_b = 2.0 * pop * gap_sum - 2.0 * _zero_if_null(agg["_s_gap_cum"]) + _zero_if_null(agg["_s_gap_w2"])
    sst = _div(sst_b, pop * pop)
    wy = agg["_s_wy"]
    gini = ibis.ifelse(wy > 0, _div(agg["_s_gini"], pop * wy) - 1.0, ibis.null("float64"))

    w_pos, wy_pos = agg["_s_wpos"], agg["_s_wypos"]
    has_pos = w_pos > 0
    mean_pos = _div(wy_pos, w_pos)
    ln_mean_pos = ibis.ifelse(has_pos, mean_pos, ibis.null("float64")).ln()
    theil_l = ln_mean_pos - _div(agg["_s_wlny"], w_pos)
    theil_t = _div(agg["_s_wylny"], wy_pos) - ln_mean_pos

    out: dict[str, ir.Value] = {
        "households": agg["households"],
        "population": pop,
        "poor": poor_pop,
        "fgt0": _div(poor_pop, pop),
        "fgt1": fgt1,
        "fgt2": _div(_zero_if_null(agg["_s_gap2"]), pop),
        "watts": _div(_zero_if_null(agg["_s_watts"]), pop),
        "sen": sen,
        "sst": sst,
        "gini": gini,
        "theil_t": theil_t,
        "theil_l": theil_l,
    }
    for e, col in zip(eps_values, eps_columns, strict=True):
        if e == 1.0:
            out[col] = 1.0 - (-theil_l).exp()
        else:
            mean_power = _div(agg["_s_" + col], w_pos)
            ede = ibis.ifelse(mean_power > 0, mean_power, ibis.null("float64")) ** (1.0 / (1.0 - e))
            out[col] = 1.0 - _div(ede, mean_pos)
    out["excluded_nonpositive"] = agg["excluded_nonpositive"]
    out["excluded_nonpositive_population"] = agg["excluded_nonpositive_population"]
    return agg.select(*[agg[c] for c in by], **{k: v.name(k) for k, v in out.items()})


def fgt_decomposition(
    t: ir.Table,
    *,
    group: str,
    income: str = "income",
    weight: str = "weight",
    line: str | float = "line",
    inclusive: bool = False,
    by: Sequence[str] = (),
) -> ir.Table:
    """Exact subgroup decomposition of FGT(0, 1, 2) (povdeco's ``bygroup``).

    One row per ``by`` + ``group`` value with ``population``, ``share`` (v_k = W_k/W of its
    ``by`` group), ``poor``, ``fgt0..2`` of the group, ``contribution_fgt<a>`` (v_k·P_k/P,
    summing to 1 over the groups; NULL when P = 0) and ``risk_fgt<a>`` (P_k/P). The
    share-weighted group values sum to the total P of :func:`poverty_measures`.
    """
    by = list(by)
    if group in by:
        raise ValueError(f"the decomposition group {group!r} is also a `by` column")
    base, _ = _prepare(t, income=income, weight=weight, line=line, keep=[*by, group])
    y, w, z = base[_Y], base[_W], base[_Z]
    poor = _poor(base, inclusive)
    gap = ibis.ifelse(poor, (z - y) / z, 0.0)
    agg = base.aggregate(
        by=[*by, group],
        population=w.sum(),
        poor=ibis.ifelse(poor, w, 0.0).sum(),
        _s_gap=(w * gap).sum(),
        _s_gap2=(w * gap * gap).sum(),
    )
    total = ibis.window(group_by=by or None)
    pop_k = agg["population"]
    sums = {0: agg["poor"], 1: agg["_s_gap"], 2: agg["_s_gap2"]}
    pop = pop_k.sum().over(total)
    columns: dict[str, ir.Value] = {
        "population": pop_k,
        "share": _div(pop_k, pop),
        "poor": agg["poor"],
    }
    for a, s in sums.items():
        columns[f"fgt{a}"] = _div(s, pop_k)
    for a, s in sums.items():
        # v_k·P_k/P = (W_k/W)(S_k/W_k)/(S/W) = S_k/S.
        columns[f"contribution_fgt{a}"] = _div(s, s.sum().over(total))
    for a, s in sums.items():
        columns[f"risk_fgt{a}"] = _div(_div(s, pop_k), _div(s.sum().over(total), pop))
    return agg.select(*[agg[c] for c in [*by, group]], **{k: v.name(k) for k, v in columns.items()})
