"""``ledger chart`` and ``ledger show``: the chart and what feeds each line, and one statement of a year."""

from __future__ import annotations

import click

from ledger.cli.common import (DataError, check_period, echo, load_state_reference, open_books, reference_for,
                               require_month_statement, require_year)


@click.command()
@click.option("--statement", help="Show what feeds each line of this statement (e.g. balanse, note_5).")
def chart(statement: str | None) -> None:
    """The chart of accounts, or what feeds each line of a statement."""
    from ledger.export.chart_text import render_chart

    reference = load_state_reference()
    if statement is not None and statement not in reference.layouts:
        raise click.UsageError(f"no statement {statement!r}; choose from {', '.join(reference.layouts)}")
    echo(render_chart(reference.chart, reference.layouts, reference.mappings, statement,
                            external=reference.external_lines), nl=False)


def statement_name(words: tuple[str, ...]) -> str:
    """``note 3`` / ``note-a`` / ``note_7a`` → the registry's id (``note_3``, ``note_a``)."""
    return "_".join(words).replace("-", "_").lower()


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--month-only", is_flag=True, help="For a month: the month alone, not year to date.")
@click.pass_context
def show(ctx: click.Context, words: tuple[str, ...], fmt: str, month_only: bool) -> None:
    """Print a statement of a period: ``ledger show bevilgning 2024``, ``ledger show note 3 2024``,
    ``ledger show bevilgning 2024-03`` (year to date; ``--month-only`` the month alone)."""
    from ledger.export.text import render_statement
    from ledger.reference.tables import ChartError
    from ledger.statements.base import StatementError, warnings_of
    from ledger.statements.inputs import InputError
    from ledger.statements.registry import statements_for
    from ledger.statements.loading import load_period

    if len(words) < 2 or not words[-1][:4].isdigit():
        raise click.UsageError("give the statement and the period, e.g. `ledger show note 3 2024` or "
                               "`ledger show bevilgning 2024-03`")
    name, period = statement_name(words[:-1]), check_period(words[-1], month_only)
    year = period.year
    with open_books(ctx.obj["books"]) as books:
        reference = reference_for(books)
        statements = statements_for(reference)
        if name not in statements:
            raise click.UsageError(f"no statement {name!r}; choose from {', '.join(sorted(statements))}")
        require_month_statement(reference, name, period)
        require_year(books, year)
        try:
            data = load_period(books, period, reference)
        except InputError as exc:
            raise DataError(f"{name} {period}: {exc}") from None
    try:
        table = statements[name](data)
    except (StatementError, ChartError) as exc:  # ChartError: the books' chart maps to no line
        raise DataError(f"{name} {period}: {exc}") from None
    always = data.reference.always_printed.get(name, ())
    text = render_statement(table, data.layouts[name], fmt, always)
    if period.is_month and fmt == "table":
        text = f"{period.describe()}; columns of last year are the whole of {year - 1}\n{text}"
    echo(text, nl=fmt != "csv", data=fmt != "table")
    for warning in warnings_of(table):
        echo(f"warning: {name}: {warning}", err=True)


COMMANDS = [chart, show]
