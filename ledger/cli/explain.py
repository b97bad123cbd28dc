"""``ledger explain YEAR STATEMENT LINE [COLUMN] [--vouchers]``: what makes up a figure, down to its vouchers."""

from __future__ import annotations

import json

import click

from ledger.cli.common import (DataError, check_period, echo, open_books, reference_for, require_month_statement,
                               require_year)
from ledger.core.money import format_decimal, format_kroner
from ledger.core.units import present

VOUCHER_PAGE = 40


def column_id(column: str, year: int) -> str:
    """The layout's column id for what a user may type: ``2024`` → ``aar``, ``2023`` → ``aar-1``,
    ``2024-12-31`` → ``ub``, ``2024-01-01`` → ``ib``; anything else as given."""
    from ledger.reference.layout import CLOSING_DATE, OPENING_DATE, year_column

    if column.isdigit() and len(column) == 4 and 0 <= year - int(column) <= 9:
        return year_column(year - int(column))
    return {f"{year}-12-31": CLOSING_DATE, f"{year}-01-01": OPENING_DATE}.get(column, column)


@click.command()
@click.argument("period", metavar="PERIOD")
@click.argument("statement")
@click.argument("line")
@click.argument("column", required=False)
@click.option("--vouchers", is_flag=True, help="List the posted lines behind the figure.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of the voucher list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--month-only", is_flag=True, help="For a month: the month alone, not year to date.")
@click.pass_context
def explain(ctx: click.Context, period: str, statement: str, line: str, column: str | None,
            vouchers: bool, page: int, fmt: str, month_only: bool) -> None:
    """What makes up a figure: its accounts, statskontoer or terms; --vouchers lists the posted lines.

    PERIOD is a year (2024) or a month (2024-03: year to date; --month-only the month alone).
    Example: ledger explain 2024 resultat lonnskostnader 2024 --vouchers
    """
    from ledger.statements.base import VouchersNotWhole
    from ledger.statements.inputs import InputError
    from ledger.statements.loading import load_period

    chosen = check_period(period, month_only)
    year = chosen.year
    name = statement.replace("-", "_").lower()
    with open_books(ctx.obj["books"]) as books:
        require_year(books, year)
        reference = reference_for(books)
        if name in reference.layouts:
            require_month_statement(reference, name, chosen)
        try:
            # A year is read as its totals, with no voucher read whole; the lines behind the
            # figure are read from the segments below, only those of the page shown.  A
            # statement that groups by voucher says so, and the year is read as the close reads it.
            try:
                data = load_period(books, chosen, reference, whole_vouchers=())
                found = _explained(books, data, name, line, column, page if vouchers else None)
            except VouchersNotWhole:
                data = load_period(books, chosen, reference)
                found = _explained(books, data, name, line, column, page if vouchers else None)
        except InputError as exc:
            raise DataError(str(exc)) from None
        result, shown, pages = found
    if fmt == "json":
        echo(_explain_json(result, shown, page, pages), data=True)
    else:
        echo(_explain_table(year, result, shown, page, pages))


def _explained(books, data, name: str, line: str, column: str | None, page: int | None):
    """The explanation of the figure and (``page`` given) that page of its posted lines."""
    from ledger.reconcile.explain import explain as explain_figure, posted_lines
    from ledger.reference.tables import ChartError
    from ledger.statements.base import StatementError
    from ledger.statements.registry import statements_for

    year = data.year
    if name not in data.layouts:
        raise click.UsageError(f"no statement {name!r}; choose from {', '.join(data.layouts)}")
    layout = data.layouts[name]
    if line not in layout.line_ids:
        raise click.UsageError(f"{name} has no line {line!r}; lines: {', '.join(layout.line_ids)}")
    column = column_id(column, year) if column is not None else None
    if column is not None and column not in layout.columns:
        raise click.UsageError(f"{name} has no column {column!r}; columns: {', '.join(layout.columns)}")
    try:
        tables = {name: statements_for(data.reference)[name](data)}
    except (StatementError, ChartError) as exc:  # ChartError: the books' chart maps to no line
        raise DataError(f"{name} {year}: {exc}") from None
    result = explain_figure(data, tables, name, line, column)
    pages = result.pages(VOUCHER_PAGE)
    if page is None:
        return result, None, pages
    if page > pages:
        raise click.UsageError(f"page {page} of {pages}")
    return result, posted_lines(result, data, books, page, VOUCHER_PAGE), pages


def _explain_json(result, shown, page, pages) -> str:
    document = {
        "statement": result.statement, "line_id": result.line_id, "column": result.column,
        "label": result.label, "kind": result.kind, "figure_ore": result.figure, "basis": result.basis,
        "complete": result.complete, "unit": result.unit, "formula": result.formula,
        "parts": [{"kind": p.kind, "key": p.key, "name": p.name, "amount_ore": p.amount, "explain": p.ref}
                  for p in result.parts],
    }
    if shown is not None:
        document.update(page=page, pages=pages, lines=json.loads(shown.to_json(orient="records", force_ascii=False)))
    return json.dumps(document, ensure_ascii=False, indent=1)


UNIT_NAMES = {"pct": "%", "fte": "årsverk", "count": "", "kr_1000": "i 1000 kr"}


def _explain_table(year, result, shown, page, pages) -> str:
    if result.unit == "kr":
        shown_figure = f"{format_kroner(result.figure)} kr ({format_decimal(result.figure)})"
    else:  # a key figure in its own unit: per cent, FTEs, a count, thousands of kroner
        shown_figure = (f"{present(result.figure, result.unit):,}".replace(",", " ")
                        + f" {UNIT_NAMES.get(result.unit, result.unit)} (exact {format_decimal(result.figure)})")
    out = [f"{result.statement} {result.line_id} [{result.column}] {result.label}: {shown_figure}",
           f"made of: {result.basis}"]
    width = max([len(p.key) for p in result.parts] + [4])
    for part in result.parts:
        out.append(f"  {part.key:<{width}}  {format_decimal(part.amount):>20}  {part.name}")
    total = sum(p.amount for p in result.parts)
    refs = [p.ref for p in result.parts if p.ref]
    if refs and result.kind != "sum":
        out.append(f"  explain a term: ledger explain {year} {refs[0]}" + (" (and the others alike)" if len(refs) > 1
                                                                           else ""))
    if result.formula and not result.complete:
        out.append("  the terms do not give the figure: the statement computes it otherwise")
    elif result.parts and not result.formula and not result.complete:
        out.append(f"  the parts sum to {format_decimal(total)}, not the figure: the statement computes it "
                   f"otherwise (difference {format_decimal(result.figure - total)})")
    if result.kind == "sum" and result.parts:
        out.append(f"  explain a term: ledger explain {year} {result.statement} TERM {result.column}")
    if shown is not None:
        out.append(f"posted lines (page {page} of {pages}, {result.line_count} lines; --page N):")
        frame = shown.assign(amount=shown["amount"].map(format_decimal),
                             presented=shown["presented"].map(format_decimal))
        if "dims" in frame:  # a line's dimensions, blank when it has none
            frame["dims"] = frame["dims"].where(frame["dims"] != "{}", "")
        out.append(frame.drop(columns=["batch_id"], errors="ignore").fillna("").to_string(index=False)
                   if not frame.empty else "  (none)")
    elif result.line_count:
        out.append(f"{result.line_count} posted lines behind it: add --vouchers")
    return "\n".join(out)


COMMANDS = [explain]
