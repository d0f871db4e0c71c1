import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fupin.core.validation import PROVINCE_CODES
from fupin.registry import idnumbers

# The worked example printed in GB 11643-1999 itself (a woman of Beijing's Chaoyang
# district born on 31 December 1949); its check character is X.
STANDARD_EXAMPLE = "11010519491231002X"

# an area code's first two digits are a province of GB/T 2260 (a number elsewhere is implausible)
areas = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1))
sequences = st.integers(min_value=0, max_value=999)


def test_standard_example_is_valid():
    assert idnumbers.validate(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert idnumbers.sex(STANDARD_EXAMPLE) == "F"
    assert idnumbers.birth_date(STANDARD_EXAMPLE) == dt.date(1949, 12, 31)


def test_lower_case_x_is_accepted():
    assert idnumbers.validate(STANDARD_EXAMPLE.lower()) == STANDARD_EXAMPLE


@given(areas, dates, sequences)
def test_built_numbers_validate(area, born, seq):
    number = idnumbers.make(area, born, seq)
    assert idnumbers.validate(number) == number
    assert idnumbers.birth_date(number) == born
    assert idnumbers.sex(number) == ("M" if seq % 2 else "F")


@given(areas, dates, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_caught(area, born, seq, position, delta):
    number = idnumbers.make(area, born, seq)
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(idnumbers.IdNumberError):
        idnumbers.validate(wrong)


@given(areas, dates, sequences, st.integers(min_value=0, max_value=15))
def test_adjacent_transpositions_are_caught(area, born, seq, position):
    number = idnumbers.make(area, born, seq)
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(idnumbers.IdNumberError):
        idnumbers.validate(swapped)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231002", "17 digits"),
        ("1101051949123100X2", "17 digits"),
        ("110105194902300021", "impossible birth date"),
        ("110105194912310021", "check digit is 1, expected X"),
    ],
)
def test_invalid_numbers_say_why(value, reason):
    with translation.override("en"), pytest.raises(idnumbers.IdNumberError, match=reason):
        idnumbers.validate(value)


def test_masking_keeps_only_the_area_code():
    assert idnumbers.mask(STANDARD_EXAMPLE) == "110105************"
    assert idnumbers.mask_phone("13912345678") == "139****5678"


def test_non_ascii_digits_are_refused():
    # "\d" would match the Myanmar digit five; an ID number is ASCII only.
    with pytest.raises(idnumbers.IdNumberError):
        idnumbers.validate("5\u10450000" + STANDARD_EXAMPLE[6:])
