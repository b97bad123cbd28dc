"""What the commands share: the error that exits 1, printing safely, opening the books,
loading the reference data, checking a year and an output path."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ledger.books.store import Books, BooksError
from ledger.core.records import FIRST_YEAR, LAST_YEAR


# Characters a terminal would act on rather than show: C0 controls but tab and newline,
# DEL, C1 controls (ESC ] … BEL retitles a window, CSI moves the cursor), and the
# bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def echo(text: object = "", err: bool = False, nl: bool = True, data: bool = False) -> None:
    """Print ``text`` with control characters escaped.

    ``data`` marks machine-readable output (CSV, JSON): written as it is when it goes
    to a file or a pipe, escaped only when it goes to a terminal.
    """
    stream = sys.stderr if err else sys.stdout
    text = str(text)
    if not data or getattr(stream, "isatty", lambda: False)():
        text = printable(text)
    click.echo(text, err=err, nl=nl)


class DataError(click.ClickException):
    """Invalid data (violations, failed checks, broken books): printed without a traceback, exit 1."""

    exit_code = 1

    def format_message(self) -> str:
        """The message with control characters escaped (it may quote a file's content)."""
        return printable(self.message)


MAX_SHOWN_PROBLEMS = 50


def echo_problems(source: str, problems, noun: str = "problem") -> None:
    """Print problems (or violations) to stderr, the first :data:`MAX_SHOWN_PROBLEMS` and a count."""
    problems = list(problems)
    for problem in problems[:MAX_SHOWN_PROBLEMS]:
        echo(str(problem), err=True)
    hidden = len(problems) - MAX_SHOWN_PROBLEMS
    if hidden > 0:
        echo(f"... and {hidden} more", err=True)
    echo(f"{source}: {len(problems)} {noun}(s)", err=True)


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


def check_year(year: int) -> int:
    """``year`` if it lies in FIRST_YEAR..LAST_YEAR, else a DataError."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DataError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}, the years the books accept")
    return year


def check_period(text: str, month_only: bool = False):
    """``2024`` or ``2024-03`` as a :class:`ledger.core.period.Period`, else a DataError."""
    from ledger.core.period import PeriodError, parse_period

    try:
        return parse_period(text, month_only)
    except PeriodError as exc:
        raise DataError(str(exc)) from None


def require_month_statement(reference, name: str, period) -> None:
    """DataError unless statement ``name`` exists for ``period`` (``month_statements.csv`` for a month)."""
    if not period.is_month or name in reference.monthly.month_statements:
        return
    allowed = ", ".join(sorted(reference.monthly.month_statements))
    raise DataError(f"{name} exists only at year end (the SRS statements and the notes are made for 31.12, "
                    f"with the close): ask for the year, `{period.year}`, not the month {period}; for a month "
                    f"there are {allowed} (chart_of_accounts/month_statements.csv)")


def load_state_reference():
    """The state's reference data as packaged (DataError if its tables are broken); loaded
    and validated once per process (a close with its export and checks asks three times,
    1.3 s each)."""
    if _STATE_REFERENCE:
        return _STATE_REFERENCE[0]
    from ledger.reference.bundle import load_reference
    from ledger.reference.tables import ChartError

    try:
        _STATE_REFERENCE.append(load_reference())
    except ChartError as exc:
        raise DataError(f"the reference tables are invalid:\n{exc}") from None
    return _STATE_REFERENCE[0]


# The packaged reference data, once loaded (they do not change while a process runs).
_STATE_REFERENCE: list = []


def reference_for(books: Books):
    """The reference data with the books' own chart (:func:`ledger.books.setup.reference_of`)."""
    from ledger.books.setup import reference_of

    return reference_of(books, load_state_reference())
