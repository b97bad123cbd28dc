"""The ``ledger`` command line.

Exit codes: 0 ok, 1 invalid data (violations, failed checks, broken books),
2 usage.  A user's mistake never shows a Python traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import click
import pandas as pd

from ledger import books_setup, cli_saft
from ledger.journal import Batch, read_journal
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
@click.option("--chart-from", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.xml",
              help="Take the chart from the accounts of a SAF-T Financial file instead.")
@click.pass_context
def init(ctx: click.Context, example: int | None, chart_from: Path | None) -> None:
    """Create new books with the state's standard chart (refuses to overwrite)."""
    path: Path = ctx.obj["books"]
    if chart_from is not None:
        return cli_saft.init_from_saft(path, chart_from, example)
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
@cli_saft.import_options
@click.pass_context
def import_(ctx: click.Context, files: tuple[Path, ...], opening: bool, **saft_options) -> None:
    """Post journal FILES (CSV, or SAF-T Financial XML); each file is wholly posted or not at all."""
    kind = "opening" if opening else "journal"
    with _books(ctx) as books:
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
            _report_violations(batch.source, refused.violations)
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


@cli.command()
@click.option("--statement", help="Show what feeds each line of this statement (e.g. balanse, note_5).")
def chart(statement: str | None) -> None:
    """The chart of accounts, or what feeds each line of a statement."""
    from ledger.chart import ChartError, load_chart
    from ledger.chart_view import render_chart
    from ledger.layout import check_all, load_external_lines, load_layouts, load_mappings

    try:
        accounts, layouts, mappings = load_chart(), load_layouts(), load_mappings()
        check_all(accounts, layouts, mappings)
    except ChartError as exc:
        raise DataError(f"the chart's tables are invalid: {exc}") from None
    if statement is not None and statement not in layouts:
        raise click.UsageError(f"no statement {statement!r}; choose from {', '.join(layouts)}")
    click.echo(render_chart(accounts, layouts, mappings, statement,
                            external=load_external_lines(layouts)), nl=False)


def _statement_name(words: tuple[str, ...]) -> str:
    """``note 3`` / ``note-a`` / ``note_7a`` → the registry's id (``note_3``, ``note_a``)."""
    return "_".join(words).replace("-", "_").lower()


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.pass_context
def show(ctx: click.Context, words: tuple[str, ...], fmt: str) -> None:
    """Print a statement of a year: ``ledger show bevilgning 2024``, ``ledger show note 3 2024``."""
    from ledger.render import render_statement
    from ledger.year_data import load_year
    from statements import registry

    if len(words) < 2 or not words[-1].isdigit():
        raise click.UsageError("give the statement and the year, e.g. `ledger show note 3 2024`")
    name, year = _statement_name(words[:-1]), int(words[-1])
    statements = registry.available()
    if name not in statements:
        raise click.UsageError(f"no statement {name!r}; choose from {', '.join(sorted(statements))}")
    from statements.cashbase import StatementError

    with _books(ctx) as books:
        data = load_year(books, year)
    try:
        table = statements[name](data)
    except StatementError as exc:
        raise DataError(f"{name} {year}: {exc}") from None
    layout = data.layouts[name]
    click.echo(render_statement(table, layout, fmt), nl=fmt != "csv")


# Modules that add commands (each exposes COMMANDS, a list of click commands).
COMMAND_MODULES = ("ledger.cli_close", "ledger.cli_export", "ledger.cli_saft")


def _add_command_modules() -> None:
    import importlib

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_add_command_modules()


def main() -> None:
    """Entry point of the ``ledger`` console script."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
