"""Books and reference data for tests: the packaged state reference, and a year loaded from books."""

from __future__ import annotations

from ledger.books.setup import reference_of
from ledger.books.store import Books
from ledger.reference.bundle import load_reference
from ledger.statements.loading import load_year
from ledger.statements.year_data import YearData

REFERENCE = load_reference()


def year_of(books: Books, year: int, every_line: bool = False) -> YearData:
    """``year`` of ``books`` as the statements see it (the books' own chart)."""
    return load_year(books, year, reference_of(books, REFERENCE), every_line=every_line)
