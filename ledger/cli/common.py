"""What the commands share: the error that exits 1, opening the books, loading the reference data."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.store import Books, BooksError


class DataError(click.ClickException):
    """Invalid data (violations, failed checks, broken books): printed without a traceback, exit 1."""

    exit_code = 1


def open_books(path: Path) -> Books:
    """The books at ``path``, or a DataError."""
    try:
        return Books.open(path)
    except BooksError as exc:
        raise DataError(str(exc)) from None


def load_state_reference():
    """The state's reference data as packaged (DataError if its tables are broken)."""
    from ledger.reference.bundle import load_reference
    from ledger.reference.tables import ChartError

    try:
        return load_reference()
    except ChartError as exc:
        raise DataError(f"the reference tables are invalid:\n{exc}") from None


def reference_for(books: Books):
    """The reference data with the books' own chart (:func:`ledger.books.setup.reference_of`)."""
    from ledger.books.setup import reference_of

    return reference_of(books, load_state_reference())
