"""Helpers for the SRS and close tests: a small hand-computed ledger and YearData from lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ledger.books.setup import create_books
from ledger.books.store import Books
from ledger.core.records import Line, Voucher
from ledger.journal.batch import batch_from_vouchers
from ledger.reference.bundle import load_reference
from ledger.statements.inputs import parse_appropriations, parse_comparatives
from ledger.statements.year_data import YearData
from tests.support.inputs import add_inputs, catalogue

REFERENCE = load_reference()
CHART = REFERENCE.chart
LAYOUTS = REFERENCE.layouts
MAPPINGS = REFERENCE.mappings
BUDGET = catalogue(2024)


def v(vid: str, day: str, *lines, dims=None) -> Voucher:
    """A voucher dated ``day`` (``MM-DD`` of 2024 or a full ISO date) from (account, kroner[, statskonto[,
    artskonto]])."""
    date = dt.date.fromisoformat(day if len(day) == 10 else f"2024-{day}")
    return Voucher(vid, date, [Line(a[0], round(a[1] * 100), a[2] if len(a) > 2 else None,
                                    a[3] if len(a) > 3 else None, dimensions=(dims or {})) for a in lines])


# Opening 01.01.2024 (kroner): software 1 000 (dep. 200), a project under construction
# 300, supplier debt 100, withheld tax 50; avregnet (1990) the rest.
OPENING = [
    Voucher("IB", dt.date(2024, 1, 1), [
        Line("1040", 100_000), Line("1049", -20_000),
        Line("1070", 30_000, dimensions={"project": "prosjekt_bedre_bosetting"}),
        Line("2400", -10_000), Line("2600", -5_000), Line("1990", -95_000)]),
]
# The year (kroner): salary 1 000 (tax 300), employer's tax 141, consultancy 100 + VAT 25
# accrued and paid, the supplier debt paid, a grant 1 000 with 50 repayment set off,
# a repayment 20 through KK, depreciation 100, the project activated, tax paid.
JOURNAL = [
    v("L1", "01-25", ("5000", 1000, "0670.01"), ("1940", -700), ("2600", -300)),
    v("A1", "01-25", ("5400", 141, "0670.01"), ("1986", -141, "5700.72")),
    v("F1", "02-01", ("6730", 100), ("1987", 25), ("2400", -125)),
    v("B1", "02-20", ("2400", 100, "0670.01", "673"), ("2400", 25, "1633.01"), ("1940", -125)),
    v("B2", "02-21", ("2400", 100, "0670.01", "673"), ("1940", -100)),
    v("T1", "03-10", ("8700", 1000, "0671.60"), ("8480", -50, "5309.29"), ("1940", -950)),
    v("R1", "03-12", ("1930", 20), ("8480", -20, "5309.29")),
    v("D1", "12-31", ("6000", 100), ("1049", -100)),
    v("X1", "04-30", ("1040", 300), ("1070", -300), dims={"project": "prosjekt_bedre_bosetting"}),
    v("S1", "03-15", ("2600", 300), ("1940", -300)),
]
# Hand-computed (kroner): costs 1000 + 141 + 100 + 100 = 1 341 = inntekt fra bevilgninger;
# collection 70 (50 set off, 20 through KK); grants 1 000.
EXPECTED_INCOME = 1_341
EXPECTED_KK = {"1930": 20, "1940": -(700 + 125 + 100 + 950 + 300)}


def create(path) -> Books:
    """Books with the packaged chart, the opening balance and the journal above posted."""
    books = create_books(path, REFERENCE)
    add_inputs(books, 2024)
    books.post(batch_from_vouchers(OPENING, source="opening", kind="opening"))
    books.post(batch_from_vouchers(JOURNAL, source="journal"))
    return books


def year_data(lines: pd.DataFrame, year: int = 2024, agency=None, comparatives: bytes | None = None) -> YearData:
    """YearData for ``lines`` (the columns of :meth:`Books.lines`) with the packaged tables."""
    return YearData(year=year, lines=lines, reference=REFERENCE, budget=catalogue(year),
                    appropriations=parse_appropriations(None), agency=agency or {},
                    comparatives=parse_comparatives(comparatives))


def lines_of(batches: list[tuple[list[Voucher], str]]) -> pd.DataFrame:
    """The line table :meth:`Books.lines` would give for (vouchers, kind) batches."""
    frames = []
    for vouchers, kind in batches:
        frame = batch_from_vouchers(vouchers, source=kind, kind=kind).lines
        frames.append(frame.assign(kind=kind))
    return pd.concat(frames, ignore_index=True)
