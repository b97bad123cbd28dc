"""The ``ledger`` command line.

Exit codes: 0 ok, 1 invalid data (violations, failed checks, broken books),
2 usage.  A user's mistake never shows a Python traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd

from ledger import books_setup
from ledger.journal import read_journal
from ledger.money import format_decimal
from ledger.store import Books, BooksError, PostingRefused

MAX_SHOWN_VIOLATIONS = 50


class DataError(click.ClickException):
    """Invalid data: printed without a traceback, exit code 1."""

    exit_code = 1


def _books(ctx: click.Context) -> Books:
    try:
        return Books.open(ctx.obj["books"])
    except BooksError as exc:
        raise DataError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--books", type=click.Path(dir_okay=False, path_type=Path), envvar="LEDGER_BOOKS",
              default="ledger.sqlite", show_default=True, help="The books file (env LEDGER_BOOKS).")
@click.version_option(package_name="ledger")
@click.pass_context
def cli(ctx: click.Context, books: Path) -> None:
    """Double-entry books and annual accounts for a Norwegian state agency."""
    ctx.obj = {"books": books}


@cli.command()
@click.option("--example", type=int, metavar="YEAR", help="Load the bundled example books of YEAR.")
@click.pass_context
def init(ctx: click.Context, example: int | None) -> None:
    """Create new books with the state's standard chart (refuses to overwrite)."""
    path: Path = ctx.obj["books"]
    try:
        books = books_setup.create_books(path)
    except BooksError as exc:
        raise DataError(str(exc)) from None
    with books:
        click.echo(f"created {path} with {books.account_count()} accounts")
        if example is not None:
            _load_example(books, example)


def _load_example(books: Books, year: int) -> None:
    try:
        documents = books_setup.example_documents(year)
        batches = list(books_setup.example_batches(year))
    except FileNotFoundError as exc:
        raise DataError(str(exc)) from None
    for name, content in documents.items():
        books.add_document(year, name, content)
        click.echo(f"added input {name} for {year}")
    _post_all(books, batches)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--opening", is_flag=True, help="The files are opening balances (01.01).")
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], opening: bool) -> None:
    """Post journal FILES; each file is wholly posted or not at all."""
    kind = "opening" if opening else "journal"
    with _books(ctx) as books:
        _post_all(books, (read_journal(f, kind=kind) for f in files))


def _post_all(books: Books, batches) -> None:
    for batch, format_violations in batches:
        try:
            if format_violations:
                raise PostingRefused(format_violations)
            posted = books.post(batch)
        except PostingRefused as refused:
            _report_violations(batch.source, refused.violations)
            raise DataError(f"{batch.source}: nothing posted; the books are unchanged") from None
        click.echo(f"posted {posted.source} as batch {posted.id}: {posted.voucher_count} vouchers, "
                   f"{posted.line_count} lines, debit {format_decimal(posted.debit)} = "
                   f"credit {format_decimal(posted.credit)}")


def _report_violations(source: str, violations) -> None:
    for violation in violations[:MAX_SHOWN_VIOLATIONS]:
        click.echo(str(violation), err=True)
    hidden = len(violations) - MAX_SHOWN_VIOLATIONS
    if hidden > 0:
        click.echo(f"... and {hidden} more", err=True)
    click.echo(f"{source}: {len(violations)} violation(s)", err=True)


@cli.command()
@click.argument("year", type=int)
@click.option("--by", "by", type=click.Choice(["account", "statskonto", "artskonto"]), default="account",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.pass_context
def balance(ctx: click.Context, year: int, by: str, fmt: str) -> None:
    """Trial balance at the end of YEAR (its lines total 0)."""
    with _books(ctx) as books:
        frame = books.trial_balance(year, by=by)
        names = books_setup.key_names(books, by, year)
    frame = frame.rename(columns={"key": by})
    frame.insert(1, "name", frame[by].map(names).fillna(""))
    click.echo(_render_balance(frame, by, fmt), nl=fmt != "csv")


def _render_balance(frame: pd.DataFrame, key: str, fmt: str) -> str:
    amounts = frame["amount"]
    out = pd.DataFrame({
        key: frame[key], "name": frame["name"],
        "debit": amounts.clip(lower=0).map(format_decimal),
        "credit": (-amounts).clip(lower=0).map(format_decimal),
        "balance": amounts.map(format_decimal),
    })
    if fmt == "csv":
        return out.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(out.to_dict(orient="records"), ensure_ascii=False, indent=1)
    total = pd.DataFrame([{key: "Sum", "name": "", "debit": format_decimal(amounts.clip(lower=0).sum()),
                           "credit": format_decimal((-amounts).clip(lower=0).sum()),
                           "balance": format_decimal(amounts.sum())}])
    return pd.concat([out, total]).to_string(index=False)


@cli.command()
@click.pass_context
def audit(ctx: click.Context) -> None:
    """Re-verify the batch hash chain and the stored sums."""
    with _books(ctx) as books:
        result = books.audit()
    if not result.ok:
        raise DataError(f"audit FAILED: {result.problem}")
    click.echo(f"audit ok: {result.batches} batches, books hash {result.head_hash}")


def main() -> None:
    """Entry point of the ``ledger`` console script."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
