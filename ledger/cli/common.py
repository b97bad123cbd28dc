"""What the commands share: the error that exits 1, opening the books, loading the reference data."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.store import Books, BooksError


class DataError(click.ClickException):
    """Invalid data (violations, failed checks, broken books): printed without a traceback, exit 1."""

    exit_code = 1


MAX_SHOWN_PROBLEMS = 50


def echo_problems(source: str, problems, noun: str = "problem") -> None:
    """Print problems (or violations) to stderr, the first :data:`MAX_SHOWN_PROBLEMS` and a count."""
    problems = list(problems)
    for problem in problems[:MAX_SHOWN_PROBLEMS]:
        click.echo(str(problem), err=True)
    hidden = len(problems) - MAX_SHOWN_PROBLEMS
    if hidden > 0:
        click.echo(f"... and {hidden} more", err=True)
    click.echo(f"{source}: {len(problems)} {noun}(s)", err=True)


def open_books(path: Path) -> Books:
    """The books at ``path``, or a DataError."""
    try:
        return Books.open(path)
    except BooksError as exc:
        raise DataError(str(exc)) from None


def require_year(books: Books, year: int) -> None:
    """DataError unless ``year`` has postings and its inputs (budget, appropriations, agency facts)."""
    from ledger.books.documents import REQUIRED

    missing = [name for name in REQUIRED if books.document(year, name) is None]
    postings = books.year_status(year) is not None
    if postings and not missing:
        return
    what = ([] if postings else ["postings"]) + missing
    raise DataError(f"{year} has no {', no '.join(what)}: post the year's journal (ledger import) and give its "
                    f"inputs (ledger inputs import {year} DIR)")


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
