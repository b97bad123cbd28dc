"""Loading a year from the books: its lines, its inputs, and last year as it was closed.

:func:`load_year` reads the year's lines and input documents into a
:class:`~ledger.statements.year_data.YearData`.  When the year before is closed in the
same books, its statements are computed and stand in for the comparatives: every
prior-year column of this year is last year's closed figure, exactly as last year's
own accounts show it.  Only when last year is not in the books is the comparatives
document (``comparatives.csv``: last year's published figures) used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pandas as pd

from ledger.books.documents import AGENCY, APPROPRIATIONS, BUDGET, COMPARATIVES, FOOTNOTES
from ledger.books.store import Books
from ledger.core.period import Period
from ledger.core.problems import Problems
from ledger.core.records import BatchKind
from ledger.reference.budget import BudgetCatalogue, parse_budget
from ledger.reference.bundle import ReferenceData
from ledger.reference.layout import Layout, year_column, years_back
from ledger.reference.printing import apply_year_footnotes
from ledger.reference.tables import ChartError
from ledger.statements.inputs import (COMPARATIVE_COLUMNS, InputError, parse_agency, parse_appropriations,
                                      parse_comparatives)
from ledger.statements.registry import statements_for
from ledger.statements.year_data import YearData

PRIOR_YEARS = 4
"""How many closed years back the comparatives are computed (the key figures show five years)."""


def load_year(books: Books, year: int, reference: ReferenceData, every_line: bool = False,
              whole_vouchers: Iterable[tuple[str, str]] | None = None) -> YearData:
    """The posted lines and inputs of ``year``, with ``reference`` (give it the books' chart:
    :func:`ledger.books.setup.reference_of`).

    The lines are compacted (:meth:`ledger.books.store.Books.compact_lines`): every line of
    the vouchers the statements read whole (``whole_vouchers.csv``), the rest summed, so a
    year of millions of lines loads as thousands of rows with the same statements.
    ``every_line`` reads each line instead, for listing vouchers; ``whole_vouchers`` other
    account ranges to read whole (``()``: none, when no statement asked for needs them; one
    that does raises :class:`~ledger.statements.base.VouchersNotWhole`).  Raises
    :class:`~ledger.statements.inputs.InputError` for an input document that cannot be read.
    """
    return _load(books, year, reference, every_line, PRIOR_YEARS, whole_vouchers)


def load_period(books: Books, period: Period, reference: ReferenceData, every_line: bool = False,
                whole_vouchers: Iterable[tuple[str, str]] | None = None) -> YearData:
    """:func:`load_year` for a period: a year as it is; a month with every line of the year read
    (compacted rows have no date) and only those of the period kept (year to date: 1 January
    to the month's end, opening balance included; ``month_only``: the month's lines outside
    opening batches).  The inputs (allotments, last year's figures) are the year's.
    """
    if not period.is_month:
        return load_year(books, period.year, reference, every_line, whole_vouchers)
    data = _load(books, period.year, reference, True, PRIOR_YEARS)
    return attrs.evolve(data, lines=period_lines(data.lines, period))


def period_lines(lines: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The lines of ``lines`` (with ``date`` and ``kind``) that fall in ``period``."""
    if not period.is_month:
        return lines
    dates = lines["date"].astype(str)
    keep = (dates >= period.first_date) & (dates <= period.last_date)
    if period.month_only:
        keep &= lines["kind"] != BatchKind.OPENING
    return lines[keep].reset_index(drop=True)


def _load(books: Books, year: int, reference: ReferenceData, every_line: bool, depth: int,
          whole_vouchers: Iterable[tuple[str, str]] | None = None) -> YearData:
    ranges = tuple(reference.whole_vouchers if whole_vouchers is None else whole_vouchers)
    lines = books.lines(year) if every_line else books.compact_lines(year, ranges)
    prior = _prior_tables(books, year, reference, depth)
    comparatives = (comparatives_from(prior.tables, prior.layouts) if prior is not None
                    else parse_comparatives(books.document(year, COMPARATIVES)))
    previous = books.document(year - 1, APPROPRIATIONS)
    reference = with_year_texts(reference, books.document(year, FOOTNOTES))
    return YearData(
        year=year, lines=lines, reference=reference, budget=budget_of(books, year, reference),
        appropriations=parse_appropriations(books.document(year, APPROPRIATIONS)),
        agency={**reference.agency, **parse_agency(books.document(year, AGENCY))}, comparatives=comparatives,
        prior=prior.tables if prior is not None else None,
        prior_appropriations=parse_appropriations(previous) if previous is not None else None,
        whole_ranges=None if every_line else ranges,
    )


def with_year_texts(reference: ReferenceData, content: bytes | None) -> ReferenceData:
    """``reference`` printing the year's own texts (its ``footnotes.csv``) over the agency's."""
    if content is None:
        return reference
    problems = Problems()
    printing = apply_year_footnotes(reference.printing, content, problems)
    problems.raise_if_any(InputError)
    return attrs.evolve(reference, printing=printing)


def budget_of(books: Books, year: int, reference: ReferenceData) -> BudgetCatalogue | None:
    """The budget catalogue of ``year`` from its input documents, or None when it has none."""
    content = books.document(year, BUDGET)
    if content is None:
        return None
    try:
        return parse_budget(content, BUDGET, year, reference.post_groups, reference.note_b_rules)
    except ChartError as exc:
        raise InputError(exc.problems) from None


class _Prior:
    """Last year's statement tables and layouts."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], layouts: Mapping[str, Layout]):
        self.tables, self.layouts = tables, layouts


def _prior_tables(books: Books, year: int, reference: ReferenceData, depth: int) -> _Prior | None:
    if depth <= 0 or books.year_status(year - 1) != "closed":
        return None
    data = _load(books, year - 1, reference, False, depth - 1)
    return _Prior({name: statement(data) for name, statement in statements_for(reference).items()}, data.layouts)


def comparatives_from(tables: Mapping[str, pd.DataFrame], layouts: Mapping[str, Layout]) -> pd.DataFrame:
    """Last year's computed statements as this year's comparatives: ``aar-k`` → ``aar-(k+1)``.

    Every figure of a year column (``aar``, ``aar-1`` …) of every line that carries one,
    presented as last year's statement presents it (øre, or hundredths for other units).
    """
    rows = []
    for name, table in tables.items():
        layout = layouts[name]
        figures = table[table["kind"] != "heading"]
        for column in layout.columns:
            back = years_back(column)
            if back is None:
                continue
            for line_id, amount in zip(figures["line_id"], figures[column]):
                rows.append((name, line_id, year_column(back + 1), int(amount), layout.unit_of(line_id)))
    frame = pd.DataFrame(rows, columns=list(COMPARATIVE_COLUMNS))
    return frame.astype({"amount": "int64"})
