"""The ``ledger`` command line: one module per command group, loaded when its command runs.

Exit codes: 0 ok, 1 invalid data (violations, failed checks, broken books), 2 usage.
A user's mistake never shows a Python traceback.

Only ``balance`` and ``audit`` live here: they read the books with sqlite3 alone, so
``ledger balance`` starts in a tenth of a second.  Every other command is in the module
:data:`COMMAND_MODULES` names, imported when the command runs (it needs pandas).
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import click

from ledger.books.segments import SegmentDamaged
from ledger.books.store import BooksError, describe_sqlite_error
from ledger.cli.common import DataError, check_period, check_year, echo, open_books

# Commands defined in other modules: name -> module (each module lists them in COMMANDS).
COMMAND_MODULES = {
    "init": "ledger.cli.books", "import": "ledger.cli.books", "inputs": "ledger.cli.inputs",
    "chart": "ledger.cli.show", "show": "ledger.cli.show",
    "close": "ledger.cli.close", "reopen": "ledger.cli.close",
    "export-annual": "ledger.cli.annual", "verify": "ledger.cli.verify", "explain": "ledger.cli.explain",
    "export": "ledger.cli.saft", "saft-check": "ledger.cli.saft",
    "report": "ledger.cli.monthly", "check": "ledger.cli.monthly", "lock": "ledger.cli.monthly",
    "unlock": "ledger.cli.monthly", "reconcile": "ledger.cli.monthly",
}


class LazyGroup(click.Group):
    """A group whose commands in :data:`COMMAND_MODULES` are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(COMMAND_MODULES[name])
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        """Run the command; a failure of the books or the file system is a message and exit 1.

        The commands turn the errors they expect into messages themselves; this is the
        net under them (a read-only or damaged file, a full disk, a vanished folder).
        """
        try:
            return super().invoke(ctx)
        except BooksError as exc:
            raise DataError(str(exc)) from None
        except SegmentDamaged as exc:
            raise DataError(f"the books are damaged: {exc}; `ledger audit` says more") from None
        except (sqlite3.Error, UnicodeError) as exc:  # UnicodeError: SQLite quoting a damaged file
            raise DataError(describe_sqlite_error(exc, (ctx.obj or {}).get("books", "?"))) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise DataError(f"{where}{exc.strerror or exc}; the command stopped") from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--books", type=click.Path(path_type=Path), envvar="LEDGER_BOOKS",
              default="ledger.sqlite", show_default=True, help="The books file (env LEDGER_BOOKS).")
@click.version_option(package_name="ledger")
@click.pass_context
def cli(ctx: click.Context, books: Path) -> None:
    """Double-entry books and annual accounts for a Norwegian state agency."""
    ctx.obj = {"books": books}


def _key_names(books, by: str, year: int) -> dict[str, str]:
    """Names for the keys of a trial balance: account names, SKP names or post texts."""
    if by == "account":
        return books.account_names()
    if by == "artskonto":
        from ledger.reference.chart import load_skp
        from ledger.reference.tables import package_data_dir

        return {code: name for code, (name, _) in load_skp(package_data_dir()).items()}
    import csv
    import io

    from ledger.books.documents import BUDGET

    content = books.document(year, BUDGET)
    if content is None:
        return {}
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig", errors="replace")))
    return {(r.get("statskonto") or "").strip(): (r.get("post_text") or "").strip() for r in rows}


@cli.command()
@click.argument("period", metavar="PERIOD")
@click.option("--by", "by", type=click.Choice(["account", "statskonto", "artskonto"]), default="account",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--month-only", is_flag=True, help="A month's own movements, not year to date.")
@click.pass_context
def balance(ctx: click.Context, period: str, by: str, fmt: str, month_only: bool) -> None:
    """Trial balance at the end of PERIOD: a year (2024) or a month (2024-03, year to date; its lines total 0)."""
    from ledger.export import trial_balance

    chosen = check_period(period, month_only)
    with open_books(ctx.obj["books"]) as books:
        rows = books.trial_balance_rows(chosen.year, by=by, period=chosen)
        names = _key_names(books, by, chosen.year)
    text = trial_balance.render(rows, names, by, fmt)
    if chosen.is_month and fmt == "table":
        text = f"trial balance {chosen.describe()}\n{text}"
    echo(text, nl=fmt != "csv", data=fmt != "table")


@cli.command()
@click.option("--expect", metavar="HASH",
              help="A books hash recorded earlier (workbook, audit): it must be in the chain.")
@click.pass_context
def audit(ctx: click.Context, expect: str | None) -> None:
    """Re-verify every stored value against the event chain; print the books hash to record."""
    with open_books(ctx.obj["books"]) as books:
        result = books.audit(expect=expect)
    if not result.ok:
        raise DataError(f"audit FAILED: {result.problem}")
    found = f"; the recorded hash {expect.strip()} is in the chain" if expect else ""
    echo(f"audit ok: {result.batches} batches, {result.events} events, books hash {result.head_hash}{found}")
    with open_books(ctx.obj["books"]) as books:
        history = books.lock_history()
    if history:
        echo("month locks (ledger lock / unlock, close, reopen):")
        for event in history:
            through = (f"locked through {event['year']}-{event['locked_through']:02d}" if event["locked_through"]
                       else f"no month of {event['year']} locked")
            echo(f"  {event['at']}  {event['action']} {event['year']}-{event['month']:02d}: {through}"
                 f" ({event['reason']})")


def main() -> None:
    """Entry point of the ``ledger`` console script."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
