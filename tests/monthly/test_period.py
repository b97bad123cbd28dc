"""Periods: a year or a month, year to date or the month alone."""

import pytest

from ledger.core.period import Period, PeriodError, parse_period


@pytest.mark.parametrize("text, expected", [
    ("2024", Period(2024)), ("2024-03", Period(2024, 3)), ("2024-12", Period(2024, 12))])
def test_parse(text, expected):
    assert parse_period(text) == expected


def test_dates_year_to_date_and_month_only():
    assert (parse_period("2024-02").first_date, parse_period("2024-02").last_date) == ("2024-01-01", "2024-02-29")
    only = parse_period("2023-02", month_only=True)
    assert (only.first_date, only.last_date, only.yyyymm) == ("2023-02-01", "2023-02-28", "202302")


@pytest.mark.parametrize("text, month_only, words", [
    ("2024-13", False, "month 13"), ("2024-3", False, "neither"), ("1999-01", False, "outside"),
    ("2024", True, "needs a month"), ("２０２４", False, "neither")])
def test_refused(text, month_only, words):
    with pytest.raises(PeriodError, match=words):
        parse_period(text, month_only)
