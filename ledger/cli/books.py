"""``ledger init`` and ``ledger import``: create books and post journal files.

Loaded by :mod:`ledger.cli` when one of its commands runs (it needs pandas and the
journal reader, which ``ledger balance`` does not).
"""

from __future__ import annotations

from pathlib import Path

import click

from ledger.books.examples import example as bundled_example
from ledger.books.documents import AGENCY_SCOPE
from ledger.books.setup import create_books
from ledger.books.store import Books, BooksError, PostedBatch, PostingRefused
from ledger.cli import saft as cli_saft
from ledger.cli.common import DataError, echo, echo_problems, load_state_reference, open_books
from ledger.core.money import format_decimal
from ledger.core.records import BatchKind
from ledger.journal.batch import Batch
from ledger.journal.reader import NotStreamable, open_journal, read_journal
from ledger.reference.agency import is_agency_document
from ledger.reference.tables import ChartError

@click.command()
@click.option("--example", metavar="NAME", help="Load a bundled example (2024: IMDi's 2024 books).")
@click.option("--agency", "agency_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="The agency's own folder: its finer accounts, mapping overrides, grant schemes, options.")
@click.option("--chart-from", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xml",
              help="Take the chart from the accounts of a SAF-T Financial file instead.")
@click.pass_context
def init(ctx: click.Context, example: str | None, agency_dir: Path | None, chart_from: Path | None) -> None:
    """Create new books with the state's standard chart (and an agency's own folder); refuses to overwrite.

    Atomic: the books are built beside the target and moved into place when complete,
    the agency folder and the example's years included, so a failed or killed init
    leaves nothing behind.
    """
    path: Path = ctx.obj["books"]
    if chart_from is not None:
        return cli_saft.init_from_saft(path, chart_from, example)
    found = None
    if example is not None:
        try:
            found = bundled_example(example)
        except FileNotFoundError as exc:
            raise DataError(str(exc)) from None
        if agency_dir is not None:
            raise click.UsageError("--example brings its own agency folder; give --agency without it")
        agency_dir = found.agency
    files = read_agency_folder(agency_dir) if agency_dir is not None else {}
    reference = load_state_reference()
    try:
        reference = reference.with_agency(files)
    except ChartError as exc:
        raise DataError(f"{agency_dir}: the agency's folder is refused:\n{exc}") from None
    messages: list[str] = []

    def fill(books: Books) -> None:
        with books.transaction():
            if files:
                revision = books.add_input_revision(AGENCY_SCOPE, str(agency_dir), files)
                messages.append(f"agency folder {agency_dir}: {len(revision.documents)} documents")
            if found is not None:
                _load_example(books, found, messages)

    try:
        books = create_books(path, reference, fill=fill)
    except BooksError as exc:
        raise DataError(str(exc)) from None
    with books:
        echo(f"created {path} with {books.account_count()} accounts")
        for message in messages:
            echo(message)
        echo(f"books hash {books.head_hash()}")


def read_agency_folder(folder: Path) -> dict[str, bytes]:
    """The documents of an agency folder by their path in it (``agency.toml``, ``layouts/x.csv`` …)."""
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder")
    try:
        return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
                if path.is_file() and is_agency_document(path.relative_to(folder).as_posix())}
    except OSError as exc:
        raise DataError(f"{folder}: cannot read: {exc.strerror or exc}") from None


def _load_example(books: Books, found, messages: list[str]) -> None:
    """Each year of the example: its inputs, opening balance and journal; every year but the last
    closed (inside the caller's transaction)."""
    from ledger.cli.close import close_in
    from ledger.cli.inputs import import_inputs

    books.set_meta("example", found.name)
    for position, year in enumerate(found.years):
        messages.append(import_inputs(books, year.year, year.folder))
        messages.extend(_post_all(books, list(year.batches())))
        if position < len(found.years) - 1:
            messages.extend(close_in(books, year.year).messages)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--opening", is_flag=True, help="The files are opening balances (01.01).")
@cli_saft.import_options
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], opening: bool, **saft_options) -> None:
    """Post journal FILES (CSV, or SAF-T Financial XML): all files or none.

    Every file is checked (each one a batch); if any is refused, nothing is posted.
    """
    kind = BatchKind.OPENING if opening else BatchKind.JOURNAL
    messages: list[str] = []
    with open_books(ctx.obj["books"]) as books:
        with books.transaction():
            refused: list[str] = []
            for f in files:
                if cli_saft.is_saft_file(f):
                    try:
                        cli_saft.import_saft(books, f, **saft_options, out=messages)
                    except cli_saft.SaftError:
                        refused.append(str(f))
                else:
                    _post_file(books, f, kind, messages, refused)
            _refuse_if_any(refused, len(files))
        head = books.head_hash()
    for message in messages:
        echo(message)
    echo(f"books hash {head}")


def _post_all(books: Books, batches) -> list[str]:
    """Post every batch inside the caller's transaction, or raise DataError after
    reporting the violations of every refused one (the transaction then posts nothing)."""
    messages: list[str] = []
    refused: list[str] = []
    count = 0
    for batch, format_violations in batches:
        _post_one(books, batch, format_violations, messages, refused)
        count += 1
    _refuse_if_any(refused, count)
    return messages


def _post_file(books: Books, path: Path, kind: str, messages: list[str], refused: list[str]) -> None:
    """Post one journal file, streamed in chunks when it can be (a file of millions of lines in
    the memory of one chunk); else read whole by the general reader."""
    stream = open_journal(path, kind)
    if stream is not None:
        try:
            _post_chunks(books, stream.source, stream.sha256, kind, stream.chunks(), messages, refused)
            return
        except NotStreamable:
            pass  # nothing of it was kept: the general reader reads it whole
    _post_one(books, *read_journal(path, kind=kind), messages, refused)


def _post_one(books: Books, batch: Batch, format_violations: list, messages: list[str],
              refused: list[str]) -> None:
    """Post one batch, or report its violations and add its source to ``refused``."""
    _post_chunks(books, batch.source, batch.sha256, batch.kind, [(batch, format_violations)], messages, refused)


def _post_chunks(books: Books, source: str, sha256: str, kind: str, chunks, messages: list[str],
                 refused: list[str]) -> None:
    """Post one batch given in chunks, or report its violations (the reader's and the rules',
    vouchers with an unreadable line left out of the rules) and add its source to ``refused``."""
    try:
        messages.append(_posted_message(books.post_chunks(source, sha256, kind, chunks)))
    except PostingRefused as exc:
        echo_problems(source, exc.violations, "violation")
        refused.append(source)


def _refuse_if_any(refused: list[str], total: int) -> None:
    """DataError naming the refused files (the transaction around them then posts nothing)."""
    if not refused:
        return
    if total == 1:
        raise DataError(f"{refused[0]}: nothing posted; the books are unchanged")
    raise DataError(f"{len(refused)} of {total} files refused ({', '.join(refused)}): nothing posted from "
                    "any file; the books are unchanged")


def _posted_message(posted: PostedBatch) -> str:
    return (f"posted {posted.source} as batch {posted.id}: {posted.voucher_count} vouchers, "
            f"{posted.line_count} lines, debit {format_decimal(posted.debit)} = "
            f"credit {format_decimal(posted.credit)}")


COMMANDS = [init, import_]
