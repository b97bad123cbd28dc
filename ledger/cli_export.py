"""Commands for the annual accounts' export and reconciliation (loaded by ``ledger.cli`` on demand).

- ``ledger export-annual YEAR --format xlsx|csv|json --out PATH`` — the workbook or tidy table;
- ``ledger verify YEAR [--published DIR] [--format table|json]`` — internal identities and
  every published figure (exit 1 on any FAIL);
- ``ledger explain YEAR STATEMENT LINE [COLUMN] [--vouchers] [--page N]`` — what makes up a figure.

:func:`export_year` is the library entry the ``close`` command calls for ``--export``.
:mod:`ledger.cli` imports this module when one of its commands runs (``LAZY_COMMANDS``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from ledger.money import format_decimal, format_kroner
from ledger.progress import progress
from ledger.store import Books, BooksError

FORMATS = ("xlsx", "csv", "json")
VOUCHER_PAGE = 40


class ExportError(click.ClickException):
    """Data that stops an export or a check: message without traceback, exit code 1."""

    exit_code = 1


def default_out(year: int, fmt: str) -> Path:
    """``arsregnskap-YEAR.<fmt>`` in the working directory."""
    return Path(f"arsregnskap-{year}.{fmt}")


def _accounts(books: Books, year: int, what: str):
    """Compute the annual accounts of ``year`` with progress on stderr."""
    from ledger.export.accounts import compute_accounts
    from ledger.year_data import load_year
    from statements import registry

    audit = books.audit(deep=False)
    if not audit.ok:
        raise ExportError(f"the books fail their audit, refusing to {what}: {audit.problem}")
    data = load_year(books, year)
    if data.lines.empty:
        raise ExportError(f"no posted lines in {year}")
    from statements.cashbase import StatementError

    statements = registry.available()
    try:
        with progress(f"{what} {year}", total=len(data.layouts)) as step:
            accounts = compute_accounts(data, statements, audit.head_hash, progress=step)
    except StatementError as exc:
        # books that lack what a statement needs (a dimension, an input): the user's to fix
        raise ExportError(f"{exc} ({what} {year} stopped; nothing written)") from None
    return data, accounts


def export_year(books: Books, year: int, fmt: str = "xlsx", out: Path | str | None = None) -> Path:
    """Write the annual accounts of ``year`` as ``fmt`` (xlsx, csv, json) to ``out``; return the path.

    Raises :class:`ExportError` (a ``click.ClickException``, exit 1) when the books fail
    their audit or the year has no lines.
    """
    from ledger.export import tidy
    from ledger.export.xlsx import build_workbook

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    path = Path(out) if out is not None else default_out(year, fmt)
    _, accounts = _accounts(books, year, "årsregnskap")
    if fmt == "xlsx":
        build_workbook(accounts).save(path)
    else:
        path.write_text(tidy.to_csv(accounts) if fmt == "csv" else tidy.to_json(accounts), encoding="utf-8")
    return path


def _open(ctx: click.Context) -> Books:
    try:
        return Books.open(ctx.obj["books"])
    except BooksError as exc:
        raise ExportError(str(exc)) from None


@click.command("export-annual")
@click.argument("year", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default arsregnskap-YEAR.<format>).")
@click.pass_context
def export_annual(ctx: click.Context, year: int, fmt: str, out: Path | None) -> None:
    """Write the annual accounts of YEAR: an xlsx workbook, or one tidy CSV/JSON table."""
    with _open(ctx) as books:
        path = export_year(books, year, fmt, out)
    click.echo(f"wrote {path}")


# -- verify --------------------------------------------------------------------

def _published_dir(year: int, given: Path | None) -> Path | None:
    from fixtures import FIXTURES_DIR

    if given is not None:
        return given
    default = FIXTURES_DIR / str(year) / "published"
    return default if default.is_dir() else None


@click.command()
@click.argument("year", type=int)
@click.option("--published", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of published figures (default fixtures/YEAR/published when it exists).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def verify(ctx: click.Context, year: int, published: Path | None, fmt: str) -> None:
    """Check the internal identities of YEAR's accounts and every published figure (exit 1 on FAIL)."""
    from ledger.reconcile import published as pub

    with _open(ctx) as books:
        _, accounts = _accounts(books, year, "verify")
    folder = _published_dir(year, published)
    result = None
    if folder is not None:
        result = pub.reconcile(accounts.tables, pub.load_published(folder), pub.load_contradictions(folder))
    checks = list(accounts.checks)
    failed = any(c.status == "FAIL" for c in checks) or (result is not None and (result["status"] == "FAIL").any())
    if fmt == "json":
        click.echo(_verify_json(year, accounts, result, folder, failed))
    else:
        click.echo(_verify_table(accounts, result, folder))
    if failed:
        ctx.exit(1)


def _check_record(check) -> dict:
    return {"id": check.id, "description": check.description, "status": check.status,
            "left_ore": check.left, "right_ore": check.right, "difference_ore": check.difference,
            "detail": check.detail}


def _verify_json(year, accounts, result, folder, failed) -> str:
    from ledger.reconcile.published import counts

    document = {
        "year": year, "ok": not failed, "books_hash": accounts.books_hash,
        "not_computed": list(accounts.missing),
        "checks": [_check_record(c) for c in accounts.checks],
        "check_counts": {s: sum(c.status == s for c in accounts.checks) for s in ("ok", "FAIL", "skipped")},
        "published_dir": str(folder) if folder else None,
        "published_counts": counts(result) if result is not None else None,
        "published": None if result is None else json.loads(result.to_json(orient="records", force_ascii=False)),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _verify_table(accounts, result, folder) -> str:
    from ledger.reconcile.published import counts

    checks = accounts.checks
    tally = {s: sum(c.status == s for c in checks) for s in ("ok", "FAIL", "skipped")}
    out = [f"internal checks: {tally['ok']} ok, {tally['FAIL']} FAIL, {tally['skipped']} skipped"]
    for check in checks:
        if check.status == "ok":
            continue
        figures = "" if check.left is None else (
            f": {format_decimal(check.left)} vs {format_decimal(check.right)}"
            f" (difference {format_decimal(check.difference)})")
        out.append(f"  {check.status:8} {check.id} — {check.description}{figures}"
                   + (f" [{check.detail}]" if check.detail else ""))
    if accounts.missing:
        out.append(f"not computed (no statement registered): {', '.join(accounts.missing)}")
    if result is None:
        out.append("published figures: none to compare (no fixtures/YEAR/published; give --published DIR)")
        return "\n".join(out)
    n = counts(result)
    out.append(f"published figures ({folder}): {len(result)} — {n['exact']} exact, {n['rounding']} rounding, "
               f"{n['documented']} documented, {n['FAIL']} FAIL")
    for status in ("FAIL", "documented", "rounding"):
        for row in result.loc[result["status"] == status].itertuples(index=False):
            where = f"{row.statement}:{row.line_id}:{row.column}"
            values = f"published {_group(row.published)} {row.unit}" + (
                "" if pd.isna(row.computed) else
                f", computed {_group(row.computed)} (difference {'+' if row.difference > 0 else ''}"
                f"{_group(row.difference)})")
            out.append(f"  {status:10} {where} {row.label!s}: {values}" + (f" — {row.reason}" if row.reason else ""))
    return "\n".join(out)


def _group(value) -> str:
    """An integer with a space between thousands."""
    return f"{int(value):,}".replace(",", " ")


# -- explain -------------------------------------------------------------------

def _external_fed_by() -> dict[tuple[str, str], str]:
    from ledger.chart import read_table, resolve_data_dir

    path = resolve_data_dir() / "external_lines.csv"
    return {(r["statement"], r["line_id"]): r["fed_by"] for _, r in read_table(path)} if path.exists() else {}


@click.command()
@click.argument("year", type=int)
@click.argument("statement")
@click.argument("line")
@click.argument("column", required=False)
@click.option("--vouchers", is_flag=True, help="List the posted lines behind the figure.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of the voucher list.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def explain(ctx: click.Context, year: int, statement: str, line: str, column: str | None,
            vouchers: bool, page: int, fmt: str) -> None:
    """What makes up a figure: its accounts, statskontoer or terms; --vouchers lists the posted lines.

    Example: ledger explain 2024 resultat lonnskostnader 2024 --vouchers
    """
    from ledger.explain import explain as explain_figure
    from ledger.year_data import load_year
    from statements import registry

    name = statement.replace("-", "_").lower()
    statements = registry.available()
    with _open(ctx) as books:
        data = load_year(books, year, every_line=True)
    if name not in data.layouts:
        raise click.UsageError(f"no statement {name!r}; choose from {', '.join(data.layouts)}")
    if name not in statements:
        raise ExportError(f"statement {name!r} is not computed yet (no registered statement)")
    layout = data.layouts[name]
    if line not in layout.line_ids:
        raise click.UsageError(f"{name} has no line {line!r}; lines: {', '.join(layout.line_ids)}")
    if column is not None and column not in layout.columns:
        raise click.UsageError(f"{name} has no column {column!r}; columns: {', '.join(layout.columns)}")
    tables = {name: statements[name](data)}
    result = explain_figure(data, tables, name, line, column, _external_fed_by())
    shown, pages = result.vouchers(page, VOUCHER_PAGE)
    if vouchers and page > pages:
        raise click.UsageError(f"page {page} of {pages}")
    if fmt == "json":
        click.echo(_explain_json(result, shown if vouchers else None, page, pages))
    else:
        click.echo(_explain_table(year, result, shown if vouchers else None, page, pages))


def _explain_json(result, shown, page, pages) -> str:
    document = {
        "statement": result.statement, "line_id": result.line_id, "column": result.column,
        "label": result.label, "kind": result.kind, "figure_ore": result.figure, "basis": result.basis,
        "complete": result.complete,
        "parts": [{"kind": p.kind, "key": p.key, "name": p.name, "amount_ore": p.amount} for p in result.parts],
    }
    if shown is not None:
        document.update(page=page, pages=pages, lines=json.loads(shown.to_json(orient="records", force_ascii=False)))
    return json.dumps(document, ensure_ascii=False, indent=1)


def _explain_table(year, result, shown, page, pages) -> str:
    out = [f"{result.statement} {result.line_id} [{result.column}] {result.label}: "
           f"{format_kroner(result.figure)} kr ({format_decimal(result.figure)})",
           f"made of: {result.basis}"]
    width = max([len(p.key) for p in result.parts] + [4])
    for part in result.parts:
        out.append(f"  {part.key:<{width}}  {format_decimal(part.amount):>20}  {part.name}")
    total = sum(p.amount for p in result.parts)
    if result.parts and not result.complete:
        out.append(f"  the parts sum to {format_decimal(total)}, not the figure: the statement computes it "
                   f"otherwise (difference {format_decimal(result.figure - total)})")
    if result.kind == "sum" and result.parts:
        out.append(f"  explain a term: ledger explain {year} {result.statement} TERM {result.column}")
    if shown is not None:
        out.append(f"posted lines (page {page} of {pages}, {len(result.lines)} lines; --page N):")
        frame = shown.assign(amount=shown["amount"].map(format_decimal),
                             presented=shown["presented"].map(format_decimal))
        out.append(frame.drop(columns=["batch_id"], errors="ignore").fillna("").to_string(index=False)
                   if not frame.empty else "  (none)")
    elif len(result.lines):
        out.append(f"{len(result.lines)} posted lines behind it: add --vouchers")
    return "\n".join(out)


COMMANDS = [export_annual, verify, explain]
