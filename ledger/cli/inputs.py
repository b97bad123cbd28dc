"""``ledger inputs import YEAR DIR`` and ``ledger inputs show YEAR``: a year's inputs as revisions in the books.

A year folder holds the year's input documents (``ledger.books.documents``): its budget
catalogue (``budget.csv``), appropriations (``appropriations.csv``), agency facts
(``agency.toml``) and, for the first year kept in the books, last year's published
figures (``comparatives.csv``).  An import checks every file whole, then keeps them as
one revision; the latest revision stands.
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.documents import YEAR_DOCUMENTS
from ledger.books.store import Books, BooksError
from ledger.cli.common import DataError, echo_problems, open_books, reference_for


def read_folder(folder: Path) -> dict[str, bytes]:
    """The input documents found in a year folder, by name."""
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder")
    try:
        return {name: (folder / name).read_bytes() for name in YEAR_DOCUMENTS if (folder / name).is_file()}
    except OSError as exc:
        raise DataError(f"{folder}: cannot read: {exc.strerror or exc}") from None


def import_inputs(books: Books, year: int, folder: Path) -> str:
    """Check and keep the inputs of ``year`` from ``folder``; the message to print (DataError if refused)."""
    from ledger.statements.inputs import InputError, read_year_inputs

    if books.year_status(year) == "closed":
        raise DataError(f"{year} is closed; its inputs cannot change (reopen it first: ledger reopen {year})")
    files = read_folder(folder)
    reference = reference_for(books)
    try:
        read_year_inputs(files, year, reference.post_groups, reference.note_b_rules, reference.layouts)
    except InputError as exc:
        echo_problems(f"{folder}", exc.problems)
        raise DataError(f"{folder}: inputs of {year} refused; the books are unchanged") from None
    try:
        revision = books.add_input_revision(year, str(folder), files)
    except BooksError as exc:
        raise DataError(str(exc)) from None
    return (f"inputs of {year} from {folder}: revision {revision.id} ({', '.join(revision.documents)}), "
            f"sha256 {revision.sha256[:16]}")


@click.group()
def inputs() -> None:
    """A year's inputs: budget catalogue, appropriations, agency facts, comparatives."""


@inputs.command("import")
@click.argument("year", type=click.IntRange(1900, 2999))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, year: int, folder: Path) -> None:
    """Check the year folder FOLDER whole and keep its documents as the inputs of YEAR."""
    with open_books(ctx.obj["books"]) as books:
        click.echo(import_inputs(books, year, folder))


@inputs.command()
@click.argument("year", type=click.IntRange(1900, 2999))
@click.pass_context
def show(ctx: click.Context, year: int) -> None:
    """List the revisions of YEAR's inputs (the latest stands)."""
    with open_books(ctx.obj["books"]) as books:
        revisions = books.input_revisions(year)
    if not revisions:
        raise DataError(f"{year} has no inputs; give them with `ledger inputs import {year} DIR`")
    for revision in revisions:
        latest = "  (stands)" if revision is revisions[-1] else ""
        click.echo(f"revision {revision.id}  {revision.added_at}  {revision.source}  sha256 {revision.sha256[:16]}"
                   f"  {', '.join(revision.documents)}{latest}")


COMMANDS = [inputs]
