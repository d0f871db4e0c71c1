"""Property tests (hypothesis): a contract's last day, one Polars expression for the service
and the importer, against a hand-written calendar; the term rule refuses exactly the
contracts ending after the limit; the demo's split of the area is exact; its contracts group
only households whose start windows overlap."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.land import demo, rules

STARTS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2027, 12, 31))
TERMS = st.integers(min_value=1, max_value=60)


def _by_hand(start: dt.date, years: int) -> dt.date:
    """The anniversary ``years`` on (29 February → 28 February in a common year), less a day."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = dt.date(start.year + years, 2, 28)
    return anniversary - dt.timedelta(days=1)


@settings(deadline=None)
@given(STARTS, TERMS)
def test_the_last_day_is_the_anniversary_less_a_day(start, years):
    assert rules.contract_end(start, years) == _by_hand(start, years)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(STARTS, TERMS), min_size=1, max_size=30), STARTS)
def test_the_term_rule_refuses_exactly_what_ends_after_the_limit(rows, limit):
    frame = pl.DataFrame(
        {
            "start_date": [s.isoformat() for s, _t in rows],
            "term_years": [str(t) for _s, t in rows],
            "limit": [limit.isoformat()] * len(rows),
        }
    )
    refused = frame.select(rules.TERM_WITHIN_CONTRACT.where()).to_series().to_list()
    assert refused == [_by_hand(s, t) > limit for s, t in rows]
    # one record, as the service checks it
    start, years = rows[0]
    values = {"start_date": start, "term_years": years, "limit": limit}
    assert rules.TERM_WITHIN_CONTRACT.broken_by(values) == (_by_hand(start, years) > limit)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=200_000), st.integers(min_value=0, max_value=2**32 - 1))
def test_the_demo_splits_the_area_exactly(n, seed):
    areas = demo._areas(np.random.default_rng(seed), n)
    assert len(areas) == n
    assert int(areas.sum()) == demo.AREA_MU * 100
    assert int(areas.min()) >= 100  # at least 1 mu each


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=3000)),
        min_size=1,
        max_size=60,
    )
)
def test_demo_contracts_group_households_whose_windows_overlap(spans):
    windows = {h: (first, first + length) for h, (first, length) in enumerate(spans)}
    groups = demo._groups(list(windows), windows)
    assert sorted(h for g in groups for h in g) == sorted(windows)
    for group in groups:
        assert 1 <= len(group) <= demo.GROUP
        assert max(windows[h][0] for h in group) < min(windows[h][1] for h in group)
