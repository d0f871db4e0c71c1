"""Properties (hypothesis): the GB 32100 check character as the service computes it and as
the importer's Polars expression checks it agree on any code; exactly one 18th character
completes 17 characters; the exact-subset search of the demo hits any reachable target."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin.industry import rules
from fupin.industry.demo import exact_subset

first17 = st.text(alphabet=rules.USCC_CHARSET, min_size=17, max_size=17)


def _refused(code: str) -> bool:
    frame = pl.DataFrame({"code": [code]})
    return bool(frame.select(rules.USCC_FORMAT.where() | rules.USCC_CHECK.where()).item())


@settings(deadline=None)
@given(first17)
def test_exactly_one_check_character_completes_a_code(prefix):
    right = rules.uscc_check_character(prefix)
    assert not _refused(prefix + right)
    assert all(_refused(prefix + c) for c in rules.USCC_CHARSET if c != right)


@settings(deadline=None)
@given(st.text(min_size=0, max_size=20))
def test_anything_else_is_refused_with_one_rule(code):
    upper = code.upper()
    valid = (
        len(upper) == 18
        and all(c in rules.USCC_CHARSET for c in upper)
        and rules.uscc_check_character(upper[:17]) == upper[17]
    )
    frame = pl.DataFrame({"code": [code]})
    form, check = frame.select(rules.USCC_FORMAT.where().alias("form"), rules.USCC_CHECK.where().alias("check")).row(0)
    assert (not form and not check) == valid
    assert not (form and check)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(-20_000_000, 20_000_000))
def test_exact_subset(seed, target):
    rng = np.random.default_rng(seed)
    values = rng.integers(-1_500_000, 2_500_000, 400)
    chosen = exact_subset(rng, values, target)
    assert len(set(chosen.tolist())) == len(chosen)
    assert int(values[chosen].sum()) == target
