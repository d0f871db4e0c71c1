"""Administrative area codes (GB/T 2260 and the NBS statistical division codes).

Every area has a 12-digit code whose prefix identifies its ancestors:
``23`` province, ``2301`` city, ``230102`` county, ``230102001`` township,
``230102001001`` village. Codes of higher levels are right-padded with zeros.
"""

from __future__ import annotations

import re

CODE_LENGTH = 12
LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
_CODE_RE = re.compile(r"^[0-9]{12}$")


def is_valid_code(code: str) -> bool:
    return bool(_CODE_RE.match(code))


def significant_digits(code: str) -> int:
    """How many leading digits identify this area (the rest are zero padding)."""
    for digits in (2, 4, 6, 9):
        if code[digits:] == "0" * (CODE_LENGTH - digits):
            return digits
    return CODE_LENGTH


def level_of(code: str) -> str:
    digits = significant_digits(code)
    return next(level for level, d in LEVEL_DIGITS.items() if d == digits)


def descendant_range(code: str) -> tuple[str, str]:
    """The inclusive code range of this area and everything below it."""
    code = normalize(code)
    digits = significant_digits(code)
    prefix = code[:digits]
    return prefix + "0" * (CODE_LENGTH - digits), prefix + "9" * (CODE_LENGTH - digits)


def normalize(code: str) -> str:
    """Accept a short prefix (``2301``) or a full code; return the 12-digit code."""
    code = code.strip()
    if not (code.isascii() and code.isdigit()) or len(code) > CODE_LENGTH or len(code) < 2:
        raise ValueError(f"not an area code: {code!r}")
    return code.ljust(CODE_LENGTH, "0")


def ancestor_codes(code: str) -> list[str]:
    """Codes of the ancestors of an area, from the province down (excluding itself)."""
    digits = significant_digits(code)
    return [code[:d].ljust(CODE_LENGTH, "0") for d in (2, 4, 6, 9) if d < digits]
