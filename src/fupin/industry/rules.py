"""The rules of leading enterprises, each written once (``fupin.core.rules.Rule``): the
services check the one record they write, the importer a whole file, with the same
expression and message."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext_lazy as _

from fupin.core.rules import Rule, text

NAME_MAX_LENGTH = 200

# GB 32100-2015, the unified social credit code (统一社会信用代码): 18 characters of the
# set below (the digits and the capitals less I, O, Z, S and V); the 18th is the check
# character of the first 17: C18 = 31 - (Σ Ci·Wi mod 31), with Wi = 3^(i-1) mod 31 and
# 31 written as 0.
USCC_LENGTH = 18
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(USCC_LENGTH - 1))
_VALUE = {char: index for index, char in enumerate(USCC_CHARSET)}


def uscc_check_character(first17: str) -> str:
    """The check character of the first 17 characters of a unified social credit code."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _uscc_valid(column: str) -> pl.Expr:
    code = text(column).str.to_uppercase()
    values = [
        code.str.slice(i, 1).replace_strict(_VALUE, default=None, return_dtype=pl.Int64) for i in range(USCC_LENGTH)
    ]
    total = pl.sum_horizontal([value * weight for value, weight in zip(values, USCC_WEIGHTS, strict=False)])
    check = (31 - total % 31) % 31
    well_formed = code.str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$")
    return well_formed & (values[USCC_LENGTH - 1] == check).fill_null(False)


USCC_FORMAT = Rule(
    "uscc_format",
    "code",
    _("A unified social credit code is 18 digits and capital letters (GB 32100; not I, O, Z, S or V)."),
    lambda: ~text("code").str.to_uppercase().str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$"),
)
USCC_CHECK = Rule(
    "uscc_check_character",
    "code",
    _("The check character (the 18th) of unified social credit code %(code)s is wrong (GB 32100)."),
    lambda: text("code").str.to_uppercase().str.contains(f"^[{USCC_CHARSET}]{{{USCC_LENGTH}}}$") & ~_uscc_valid("code"),
)
