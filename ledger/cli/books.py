"""``ledger init`` and ``ledger import``: create books and post journal files.

Loaded by :mod:`ledger.cli` when one of its commands runs (it needs pandas and the
journal reader, which ``ledger balance`` does not).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import click

from ledger.books.examples import example as bundled_example
from ledger.books.setup import create_books
from ledger.books.store import Books, BooksError, PostingRefused
from ledger.cli import saft as cli_saft
from ledger.cli.common import DataError, echo_problems, load_state_reference, open_books
from ledger.core.money import format_decimal
from ledger.core.records import BatchKind
from ledger.journal.batch import Batch
from ledger.journal.reader import read_journal

@click.command()
@click.option("--example", metavar="NAME", help="Load a bundled example (2024: IMDi's 2024 books).")
@click.option("--chart-from", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xml",
              help="Take the chart from the accounts of a SAF-T Financial file instead.")
@click.pass_context
def init(ctx: click.Context, example: str | None, chart_from: Path | None) -> None:
    """Create new books with the state's standard chart (refuses to overwrite)."""
    path: Path = ctx.obj["books"]
    if chart_from is not None:
        return cli_saft.init_from_saft(path, chart_from, example)
    try:
        books = create_books(path, load_state_reference())
    except BooksError as exc:
        raise DataError(str(exc)) from None
    with books:
        click.echo(f"created {path} with {books.account_count()} accounts")
        if example is not None:
            _load_example(books, example)


def _load_example(books: Books, name: str) -> None:
    """Each year of the example: its inputs, opening balance and journal; every year but the last closed."""
    from ledger.cli.close import close_in
    from ledger.cli.inputs import import_inputs

    try:
        found = bundled_example(name)
    except FileNotFoundError as exc:
        raise DataError(str(exc)) from None
    books.set_meta("example", found.name)
    for position, year in enumerate(found.years):
        click.echo(import_inputs(books, year.year, year.folder))
        _post_all(books, list(year.batches()))
        if position < len(found.years) - 1:
            for message in close_in(books, year.year).messages:
                click.echo(message)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--opening", is_flag=True, help="The files are opening balances (01.01).")
@cli_saft.import_options
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], opening: bool, **saft_options) -> None:
    """Post journal FILES (CSV, or SAF-T Financial XML); each file is wholly posted or not at all."""
    kind = BatchKind.OPENING if opening else BatchKind.JOURNAL
    with open_books(ctx.obj["books"]) as books:
        for f in files:
            if cli_saft.is_saft_file(f):
                cli_saft.import_saft(books, f, **saft_options)
            else:
                _post_all(books, [read_journal(f, kind=kind)])


def _post_all(books: Books, batches) -> None:
    for batch, format_violations in batches:
        try:
            if format_violations:
                raise PostingRefused(_with_rule_violations(books, batch, format_violations))
            posted = books.post(batch)
        except PostingRefused as refused:
            echo_problems(batch.source, refused.violations, "violation")
            raise DataError(f"{batch.source}: nothing posted; the books are unchanged") from None
        click.echo(f"posted {posted.source} as batch {posted.id}: {posted.voucher_count} vouchers, "
                   f"{posted.line_count} lines, debit {format_decimal(posted.debit)} = "
                   f"credit {format_decimal(posted.credit)}")


def _with_rule_violations(books: Books, batch: Batch, format_violations: list) -> list:
    """Format violations plus the rule violations of the vouchers that read cleanly.

    Vouchers with an unreadable line are left out of the rule checks: their
    sums would be wrong and the reports misleading.
    """
    broken = {v.voucher for v in format_violations}
    readable = batch.lines[~batch.lines["voucher"].isin(broken)]
    clean = attrs.evolve(batch, lines=readable.reset_index(drop=True))
    found = format_violations + books.check(clean)
    return sorted(found, key=lambda v: (v.source.line if v.source else 0, v.rule))


COMMANDS = [init, import_]
