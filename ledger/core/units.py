"""Units of statement lines that are not kroner, and how a table value is presented.

Statement tables are int64.  Money lines hold øre; the few lines that are not
money (key figures, FTEs) hold hundredths of the printed unit.  Which line has
which unit is reference data (``chart_of_accounts/line_units.csv``, carried on each
:class:`ledger.reference.layout.LayoutLine` as ``unit``); every other line is ``kr``.

| unit | table value | presented (as published) |
|---|---|---|
| ``kr`` | øre | whole kroner, half away from zero |
| ``kr_1000`` | øre | whole thousands of kroner |
| ``pct`` | hundredths of a per cent | whole per cent |
| ``fte``, ``count`` | hundredths | whole numbers |
"""

from __future__ import annotations

from ledger.core.money import round_half_away

UNITS = ("kr", "kr_1000", "pct", "fte", "count")
# Divisor from the table value to the printed unit.
_DIVISOR = {"kr": 100, "kr_1000": 100_000, "pct": 100, "fte": 100, "count": 100}


def present(value: int, unit: str = "kr") -> int:
    """A table value as the publication prints it (an integer in ``unit``)."""
    return round_half_away(value, _DIVISOR[unit])


def to_hundredths(value: object) -> int:
    """A count or FTE figure (``242``, ``242.5``, ``"242,5"``) as hundredths, exactly.

    Agency facts are TOML numbers or text; a float from TOML is turned into its
    shortest decimal text first, so ``242.1`` becomes 24 210 and never 24 209.
    """
    from decimal import Decimal, InvalidOperation

    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    hundredths = number * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError(f"more than two decimals: {value!r}")
    return int(hundredths)
