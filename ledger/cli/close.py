"""``ledger close YEAR`` and ``ledger reopen YEAR --reason TEXT``.

The work is done by :func:`ledger.close.year_end.close_year` / :func:`ledger.close.year_end.reopen_year`;
``close --export`` then writes the annual accounts with :func:`ledger.cli.annual.export_year`.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.store import Books, BooksError, PostingRefused
from ledger.cli.common import DataError, check_year, echo, open_books, reference_for
from ledger.close.year_end import CloseError, CloseResult, close_year, reopen_year


def _run(path: Path, action) -> CloseResult:
    try:
        with Books.open(path) as books:
            return action(books)
    except (BooksError, CloseError) as exc:
        if isinstance(exc, PostingRefused):
            detail = "; ".join(str(v) for v in exc.violations[:5])
            raise DataError(f"the closing entries were refused: {detail}") from None
        raise DataError(str(exc)) from None


def close_in(books: Books, year: int) -> CloseResult:
    """Close ``year`` in open books (DataError, exit 1, when it cannot)."""
    try:
        return close_year(books, year, reference_for(books))
    except (BooksError, CloseError) as exc:
        raise DataError(str(exc)) from None


def run_close(path: Path, year: int) -> CloseResult:
    """Close ``year`` in the books at ``path`` (DataError, exit 1, when it cannot)."""
    return _run(path, lambda books: close_year(books, year, reference_for(books)))


def checks_before_close(path: Path, year: int) -> None:
    """The checks before submission (``ledger check YEAR``) over an open year with postings and
    inputs, before it is closed: each finding is printed to stderr (``check before close: …``).

    They warn and do not refuse: the close's own rules (settlement identity at posting,
    inputs present) keep its figures sound, and books without appropriations for every
    post (a new agency, test books) must still close.  ``ledger check YEAR`` exits 1 on them.
    A closed year, or one the close refuses anyway (no postings, no inputs), is left to the close.
    """
    from ledger.books.documents import REQUIRED
    from ledger.cli.monthly import describe_outcomes, period_outcomes
    from ledger.core.period import Period

    with open_books(path) as books:
        if books.year_status(year) != "open" or any(books.document(year, n) is None for n in REQUIRED):
            return
        outcomes = period_outcomes(books, Period(year), totals_first=True)
    failed = [o for o in outcomes if not o.ok]
    for line in describe_outcomes(failed):
        echo(f"check before close: {line.strip()}", err=True)
    if failed:
        echo(f"check before close: {len(failed)} of {len(outcomes)} checks failed (ledger check {year})", err=True)


@click.command()
@click.argument("year", type=int)
@click.option("--export", "export_fmt", type=click.Choice(["xlsx", "csv", "json"]), is_flag=False,
              flag_value="xlsx", default=None, help="After closing, write the annual accounts (default xlsx).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Export file (default arsregnskap-YEAR.<format> in the working directory).")
@click.pass_context
def close(ctx: click.Context, year: int, export_fmt: str | None, out: Path | None) -> None:
    """Close YEAR: inntekt fra bevilgninger, settle collection and grants, zero KK,
    carry the balances into YEAR+1 and lock YEAR.  Closing a closed year changes nothing.
    With --export, then write the annual accounts (årsregnskap)."""
    check_year(year)
    if export_fmt:
        from ledger.cli.annual import export_path

        export_path(ctx.obj["books"], year, export_fmt, out)  # refused before the year is closed
    checks_before_close(ctx.obj["books"], year)
    result = run_close(ctx.obj["books"], year)
    for message in result.messages:
        echo(message)
    if export_fmt:
        from ledger.cli.annual import export_year

        with open_books(ctx.obj["books"]) as books:
            try:
                path = export_year(books, year, export_fmt, out)
            except DataError as exc:
                raise DataError(f"{year} is closed, but the export failed: {exc.message}") from None
            head = books.head_hash()
        echo(f"wrote {path}")
        echo(f"books hash {head} (record it elsewhere; `ledger audit --expect {head}` checks it later)")


@click.command()
@click.argument("year", type=int)
@click.option("--reason", required=True, help="Why the year is reopened (kept in the audit log).")
@click.pass_context
def reopen(ctx: click.Context, year: int, reason: str) -> None:
    """Reopen closed YEAR: reverse its closing entries and carry-forward, with an audit record."""
    check_year(year)
    result = _run(ctx.obj["books"], lambda books: reopen_year(books, year, reason))
    for message in result.messages:
        echo(message)


COMMANDS = [close, reopen]
