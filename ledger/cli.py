"""The ``ledger`` command line.

Exit codes: 0 ok, 1 invalid data (violations, failed checks, broken books),
2 usage.  A user's mistake never shows a Python traceback.

Commands that need pandas live in their own modules, imported only when the
command runs (:data:`LAZY_COMMANDS`): ``ledger balance`` starts in a tenth of a second.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from ledger.store import Books, BooksError

# Commands defined in other modules: name -> module (each module lists them in COMMANDS).
LAZY_COMMANDS = {
    "init": "ledger.cli_books", "import": "ledger.cli_books",
    "close": "ledger.cli_close", "reopen": "ledger.cli_close",
    "export-annual": "ledger.cli_export", "verify": "ledger.cli_export", "explain": "ledger.cli_export",
    "export": "ledger.cli_saft", "saft-check": "ledger.cli_saft",
}


class DataError(click.ClickException):
    """Invalid data: printed without a traceback, exit code 1."""

    exit_code = 1


def open_books(ctx: click.Context) -> Books:
    """The books named by the command line (`--books`), or a DataError."""
    try:
        return Books.open(ctx.obj["books"])
    except BooksError as exc:
        raise DataError(str(exc)) from None


class LazyGroup(click.Group):
    """A group whose commands in :data:`LAZY_COMMANDS` are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            module = importlib.import_module(LAZY_COMMANDS[name])
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--books", type=click.Path(dir_okay=False, path_type=Path), envvar="LEDGER_BOOKS",
              default="ledger.sqlite", show_default=True, help="The books file (env LEDGER_BOOKS).")
@click.version_option(package_name="ledger")
@click.pass_context
def cli(ctx: click.Context, books: Path) -> None:
    """Double-entry books and annual accounts for a Norwegian state agency."""
    ctx.obj = {"books": books}


@cli.command()
@click.argument("year", type=int)
@click.option("--by", "by", type=click.Choice(["account", "statskonto", "artskonto"]), default="account",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.pass_context
def balance(ctx: click.Context, year: int, by: str, fmt: str) -> None:
    """Trial balance at the end of YEAR (its lines total 0)."""
    from ledger import trial_balance

    with open_books(ctx) as books:
        rows = books.trial_balance_rows(year, by=by)
        names = trial_balance.key_names(books, by, year)
    click.echo(trial_balance.render(rows, names, by, fmt), nl=fmt != "csv")


@cli.command()
@click.pass_context
def audit(ctx: click.Context) -> None:
    """Re-verify the batch hash chain and the stored sums."""
    with open_books(ctx) as books:
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

    with open_books(ctx) as books:
        data = load_year(books, year)
    try:
        table = statements[name](data)
    except StatementError as exc:
        raise DataError(f"{name} {year}: {exc}") from None
    layout = data.layouts[name]
    click.echo(render_statement(table, layout, fmt), nl=fmt != "csv")


def main() -> None:
    """Entry point of the ``ledger`` console script."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
