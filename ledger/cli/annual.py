"""``ledger export-annual YEAR``: the annual accounts (årsregnskap) as a workbook or a tidy table.

:func:`annual_accounts` computes a year's accounts from the books (the statements, the
internal checks, the cover facts); :func:`export_year` writes them, and is what
``ledger close YEAR --export`` calls after closing.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.store import Books
from ledger.cli.common import DataError, check_year, echo, open_books, reference_for, require_year
from ledger.export.files import OutputError, check_output_path, write_atomically
from ledger.cli.progress import progress

FORMATS = ("xlsx", "csv", "json")


def default_out(year: int, fmt: str) -> Path:
    """``arsregnskap-YEAR.<fmt>`` in the working directory."""
    return Path(f"arsregnskap-{year}.{fmt}")


def annual_accounts(books: Books, year: int, what: str):
    """Compute the annual accounts of ``year`` with progress on stderr (DataError when they cannot be)."""
    from ledger.export.accounts import compute_accounts, year_history
    from ledger.statements.base import StatementError
    from ledger.statements.inputs import InputError
    from ledger.statements.registry import statements_for
    from ledger.statements.loading import load_year

    require_year(books, year)
    audit = books.audit(deep=False)
    if not audit.ok:
        raise DataError(f"the books fail their audit, refusing to {what}: {audit.problem}")
    reference = reference_for(books)
    try:
        data = load_year(books, year, reference)
    except InputError as exc:
        raise DataError(f"{exc} ({what} {year} stopped; nothing written)") from None
    if data.lines.empty:
        raise DataError(f"no posted lines in {year}")
    try:
        with progress(f"{what} {year}", total=len(data.layouts)) as step:
            accounts = compute_accounts(
                data, statements_for(data.reference), audit.head_hash, progress=step,
                status=books.year_status(year) or "open",
                history=year_history(e for e in books.events() if e[1] == "year" and e[3] == year),
                locks=tuple(lock for lock in books.lock_history() if lock["year"] == year))
    except StatementError as exc:
        # books that lack what a statement needs (a dimension, an input): the user's to fix
        raise DataError(f"{exc} ({what} {year} stopped; nothing written)") from None
    return data, accounts


def export_path(books_path: Path, year: int, fmt: str, out: Path | str | None) -> Path:
    """The export's path, checked before anything is computed or changed (DataError if refused:
    the books themselves, any SQLite file, not a regular file, a missing or read-only folder)."""
    path = Path(out) if out is not None else default_out(year, fmt)
    try:
        check_output_path(path, books_path)
    except OutputError as exc:
        raise DataError(str(exc)) from None
    return path


def export_year(books: Books, year: int, fmt: str = "xlsx", out: Path | str | None = None) -> Path:
    """Write the annual accounts of ``year`` as ``fmt`` (xlsx, csv, json) to ``out``; return the path.

    Written to a temporary file beside ``out`` and renamed: a killed or failed export
    leaves ``out`` as it was.
    """
    from ledger.export import tidy
    from ledger.export.xlsx import build_workbook

    if fmt not in FORMATS:
        raise DataError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    path = export_path(books.path, year, fmt, out)
    _, accounts = annual_accounts(books, year, "årsregnskap")
    if fmt == "xlsx":
        write = build_workbook(accounts).save
    else:
        text = tidy.to_csv(accounts) if fmt == "csv" else tidy.to_json(accounts)
        write = lambda temp: temp.write_text(text, encoding="utf-8")  # noqa: E731
    try:
        write_atomically(path, write, books.path)
    except OutputError as exc:
        raise DataError(str(exc)) from None
    return path


@click.command("export-annual")
@click.argument("year", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default arsregnskap-YEAR.<format>).")
@click.pass_context
def export_annual(ctx: click.Context, year: int, fmt: str, out: Path | None) -> None:
    """Write the annual accounts of YEAR: an xlsx workbook, or one tidy CSV/JSON table."""
    check_year(year)
    export_path(ctx.obj["books"], year, fmt, out)
    with open_books(ctx.obj["books"]) as books:
        path = export_year(books, year, fmt, out)
        head = books.head_hash()
    echo(f"wrote {path}")
    echo(f"books hash {head} (record it elsewhere; `ledger audit --expect {head}` checks it later)")


COMMANDS = [export_annual]
