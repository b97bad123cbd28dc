"""The SRS statements that are account mappings: resultat, balanse and notes 1, 2, 5 (with
its specifications except husleie), 6, 7B, 8, 10-13.

Columns are taken by position from the layout (the layout names them by date, e.g.
``ub|ib``): the first column is the year (or 31.12), the second 01.01
(the opening batch alone).  The resultat and balanse refuse a non-zero balance on an
account that has no line (``aggregate(strict=True)``), so nothing is silently dropped.
"""

from __future__ import annotations

import pandas as pd

from ledger.core.units import to_hundredths
from ledger.statements import base
from ledger.statements.year_data import YearData


def _one_column(data: YearData, name: str, lines: pd.DataFrame, strict: bool = False,
                extra: dict | None = None) -> pd.DataFrame:
    column = base.layout(data, name).columns[0]
    amounts = base.mapped(data, name, {column: lines}, strict=strict)
    amounts.update({(line, column): v for line, v in (extra or {}).items()})
    return base.evaluate_with(data, name, amounts)


def _two_dates(data: YearData, name: str, strict: bool = False, mapping: str | None = None) -> pd.DataFrame:
    end, start = base.layout(data, name).columns[:2]
    frames = {end: base.in_class(data, base.closed_lines(data), "balance"),
              start: base.in_class(data, base.opening(data), "balance")}
    return base.evaluate_with(data, name, base.mapped(data, name, frames, strict=strict, mapping=mapping))


def resultat(data: YearData) -> pd.DataFrame:
    """Resultatregnskap: the year's movements plus the close, classes 3-8 (result 0)."""
    return _one_column(data, "resultat", base.in_class(data, base.year_lines(data), "statement"), strict=True)


def balanse(data: YearData) -> pd.DataFrame:
    """Balanse at 31.12 (after the close) and 01.01 (the opening batch), classes 1-2."""
    return _two_dates(data, "balanse", strict=True)


def note_1(data: YearData) -> pd.DataFrame:
    """Note 1 Driftsinntekter (inntekt fra bevilgninger after the close)."""
    return _one_column(data, "note_1", base.year_lines(data))


def note_2(data: YearData) -> pd.DataFrame:
    """Note 2 Lønnskostnader, with the performed FTEs from the agency facts (hundredths)."""
    fte = data.agency.get(data.reference.parameter("note_2", "fte_agency_key"))
    extra = {"antall_arsverk": to_hundredths(fte)} if fte is not None else {}
    return _one_column(data, "note_2", base.year_lines(data), extra=extra)


def year_note(name: str):
    """The statement ``name`` computed from the year's lines (with the close) on its mapping's accounts."""
    def statement(data: YearData) -> pd.DataFrame:
        return _one_column(data, name, base.year_lines(data))
    statement.__name__ = name
    statement.__doc__ = f"{name}: the year's lines on the accounts of its mapping."
    return statement


note_5 = year_note("note_5")
note_6 = year_note("note_6")


def note_8(data: YearData) -> pd.DataFrame:
    """Note 8: collection of the year (82-84) and the collection receivables at 31.12."""
    return _one_column(data, "note_8", base.closed_lines(data))


def note_10(data: YearData) -> pd.DataFrame:
    """Note 10 Kundefordringer, 31.12 and 01.01."""
    return _two_dates(data, "note_10")


def note_11(data: YearData) -> pd.DataFrame:
    """Note 11 Andre kortsiktige fordringer, 31.12 and 01.01."""
    return _two_dates(data, "note_11")


def note_12(data: YearData) -> pd.DataFrame:
    """Note 12 Bankinnskudd, kontanter og lignende, 31.12 and 01.01."""
    return _two_dates(data, "note_12")


def note_13(data: YearData) -> pd.DataFrame:
    """Note 13 Annen kortsiktig gjeld, 31.12 and 01.01."""
    return _two_dates(data, "note_13")


def note_7b(data: YearData) -> pd.DataFrame:
    """Note 7B: the balance sheet outside avregnet vs the reported mellomværende, 31.12.

    Columns ``avregnet`` and ``mellomvaerende`` come from ``note_map.csv``; ``forskjell`` =
    avregnet − mellomværende on every line (``derived_columns.csv``; the evaluator sums lines,
    not columns).
    """
    lay = base.layout(data, "note_7b")
    avregnet, mellom = lay.columns[:2]
    lines = base.in_class(data, base.closed_lines(data), "balance")
    amounts = base.mapped(data, "note_7b", {avregnet: lines, mellom: lines})
    return base.evaluate_with(data, "note_7b", base.derive_columns(data, "note_7b", amounts))
