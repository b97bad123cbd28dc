"""Money parsing and rounding, as a table of cases."""

from decimal import Decimal

import pandas as pd
import pytest

from ledger.core.money import (MoneyError, format_decimal, format_kroner, format_millions, parse_amount, parse_amounts,
                          to_kroner)

GOOD = [
    ("1234.50", 123450),
    ("-1234.5", -123450),
    ("1 234,50", 123450),
    ("1\u00a0234,50", 123450),
    ("1\u2009234\u2009567,5", 123456750),
    ("1\u202f234", 123400),
    ("-0,01", -1),
    ("0", 0),
    ("  42 ", 4200),
    ("26 900 000", 2690000000),
]
BAD = ["1.005", "abc", "", "   ", "NaN", "nan", "inf", "-Infinity", "1e5", "1,2,3", "12 34",
       "1 2345", "--1", "+", "1.", ".5", "1 234.567"]


@pytest.mark.parametrize("text, ore", GOOD)
def test_parses_accepted_formats(text, ore):
    assert parse_amount(text) == ore


@pytest.mark.parametrize("text", BAD)
def test_refuses_bad_text(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), float("inf"), True])
def test_refuses_floats_and_bools_in_code(value):
    with pytest.raises(MoneyError):
        parse_amount(value)


@pytest.mark.parametrize("value, ore", [(Decimal("12.34"), 1234), (7, 700), (Decimal("-0.5"), -50)])
def test_accepts_decimal_and_int_kroner(value, ore):
    assert parse_amount(value) == ore


@pytest.mark.parametrize("value", [Decimal("1.005"), Decimal("NaN"), Decimal("Infinity")])
def test_refuses_inexact_decimal(value):
    with pytest.raises(MoneyError):
        parse_amount(value)


def test_vectorised_parser_agrees_with_scalar_parser():
    texts = [t for t, _ in GOOD] + BAD
    ore, bad = parse_amounts(pd.Series(texts))
    assert ore.dtype == "int64"
    for text, value, is_bad in zip(texts, ore, bad):
        try:
            expected = parse_amount(text)
        except MoneyError:
            assert is_bad, text
        else:
            assert not is_bad and value == expected, text


def test_vectorised_parser_refuses_overflow():
    _, bad = parse_amounts(pd.Series(["99999999999999999999"]))
    assert bad.all()


@pytest.mark.parametrize("ore, kroner", [
    (49, 0), (50, 1), (-50, -1), (-49, 0), (150, 2), (-150, -2), (123456789, 1234568), (0, 0),
])
def test_rounds_half_away_from_zero(ore, kroner):
    assert to_kroner(ore) == kroner


def test_formats():
    assert format_kroner(-123456789) == "-1 234 568"
    assert format_kroner(2690000000) == "26 900 000"
    assert format_decimal(-123456789) == "-1234567.89"
    assert format_decimal(5) == "0.05"


@pytest.mark.parametrize("ore, text", [
    (490200000, "4,90"), (1080342540, "10,80"), (-123456789, "-1,23"), (0, "0,00"),
    (499999, "0,00"), (500000, "0,01"), (-500000, "-0,01"), (12345678901234, "123 456,79"),
])
def test_millions_as_texts_print_them(ore, text):
    # 4 902 000.00 kr = 4,902 mill. → 4,90; half a hundredth (5 000 kr) rounds away from zero
    assert format_millions(ore) == text
