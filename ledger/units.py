"""Units of statement lines that are not kroner, and how a table value is presented.

Statement tables are int64.  Money lines hold øre; the few lines that are not
money (key figures, FTEs) follow the convention of ``statements.inputs.parse_comparatives``:
hundredths of the printed unit.  ``chart_of_accounts/line_units.csv`` names them
(``statement,line_id,unit,source``); every other line is ``kr``.

| unit | table value | presented (as published) |
|---|---|---|
| ``kr`` | øre | whole kroner, half away from zero |
| ``kr_1000`` | øre | whole thousands of kroner |
| ``pct`` | hundredths of a per cent | whole per cent |
| ``fte``, ``count`` | hundredths | whole numbers |
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ledger.chart import read_table, resolve_data_dir
from ledger.money import to_kroner

UNITS = ("kr", "kr_1000", "pct", "fte", "count")
# Divisor from the table value to the printed unit.
_DIVISOR = {"kr": 100, "kr_1000": 100_000, "pct": 100, "fte": 100, "count": 100}


def round_half_away(numerator: int, divisor: int) -> int:
    """``numerator / divisor`` to an integer, half away from zero, exactly."""
    quotient, remainder = divmod(abs(int(numerator)), divisor)
    whole = quotient + (1 if 2 * remainder >= divisor else 0)
    return -whole if numerator < 0 else whole


def present(value: int, unit: str = "kr") -> int:
    """A table value as the publication prints it (an integer in ``unit``)."""
    if unit == "kr":
        return to_kroner(value)
    return round_half_away(value, _DIVISOR[unit])


def exact(value: int, unit: str = "kr") -> float:
    """The unrounded value in ``unit`` (for display of non-money lines only)."""
    return int(value) / _DIVISOR[unit]


@lru_cache(maxsize=4)
def load_line_units(data_dir: str | Path | None = None) -> dict[tuple[str, str], str]:
    """(statement, line_id) → unit for the lines that are not ``kr``."""
    path = resolve_data_dir(data_dir) / "line_units.csv"
    if not path.exists():
        return {}
    units = {}
    for _, row in read_table(path):
        if row["unit"] not in UNITS:
            raise ValueError(f"{path.name}: unknown unit {row['unit']!r}")
        units[(row["statement"], row["line_id"])] = row["unit"]
    return units


def unit_of(statement: str, line_id: str) -> str:
    """The unit of a statement line (``kr`` unless ``line_units.csv`` says otherwise)."""
    return load_line_units().get((statement, line_id), "kr")
