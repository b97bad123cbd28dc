"""``ledger verify YEAR``: the internal identities of a year's accounts and every published figure.

Exit 1 on any FAIL.  The published figures (a folder of ``<statement>.csv``, with
``contradictions.csv`` beside them) are the bundled example's when the year has one,
or ``--published DIR``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from ledger.cli.annual import annual_accounts
from ledger.cli.common import check_year, echo, open_books
from ledger.core.money import format_decimal, group_thousands


def _published_dir(books, year: int, given: Path | None) -> Path | None:
    """``--published``, else the figures of the bundled example these books were made from."""
    from ledger.books.examples import example

    if given is not None:
        return given
    name = books.meta("example")
    if name is None:
        return None
    try:
        found = example(name).year(year)
    except FileNotFoundError:
        return None
    return found.published_dir if found is not None else None


@click.command()
@click.argument("year", type=int)
@click.option("--published", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of published figures (default: the bundled example's set of YEAR, for books "
                   "made with `ledger init --example`).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def verify(ctx: click.Context, year: int, published: Path | None, fmt: str) -> None:
    """Check the internal identities of YEAR's accounts and every published figure (exit 1 on FAIL)."""
    from ledger.reconcile import published as pub

    check_year(year)
    with open_books(ctx.obj["books"]) as books:
        _, accounts = annual_accounts(books, year, "verify")
        folder = _published_dir(books, year, published)
    result = None
    if folder is not None:
        result = pub.reconcile(accounts.tables, pub.load_published(folder), pub.load_contradictions(folder))
    checks = list(accounts.checks)
    failed = any(c.status == "FAIL" for c in checks) or (result is not None and (result["status"] == "FAIL").any())
    if fmt == "json":
        echo(_verify_json(year, accounts, result, folder, failed), data=True)
    else:
        echo(_verify_table(accounts, result, folder))
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
        "checks": [_check_record(c) for c in accounts.checks],
        "check_counts": {s: sum(c.status == s for c in accounts.checks) for s in ("ok", "FAIL", "skipped")},
        "warnings": list(accounts.warnings),
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
    out.append(f"warnings: {len(accounts.warnings)}")
    out.extend(f"  warning  {text}" for text in accounts.warnings)
    for check in checks:
        if check.status == "ok":
            continue
        figures = "" if check.left is None else (
            f": {format_decimal(check.left)} vs {format_decimal(check.right)}"
            f" (difference {format_decimal(check.difference)})")
        out.append(f"  {check.status:8} {check.id} — {check.description}{figures}"
                   + (f" [{check.detail}]" if check.detail else ""))
    if result is None:
        out.append("published figures: no published set for this year; the internal checks above are all "
                   "(give one with --published DIR)")
        return "\n".join(out)
    n = counts(result)
    out.append(f"published figures ({folder}): {len(result)} — {n['exact']} exact, {n['rounding']} rounding, "
               f"{n['documented']} documented, {n['FAIL']} FAIL")
    for status in ("FAIL", "documented", "rounding"):
        for row in result.loc[result["status"] == status].itertuples(index=False):
            where = f"{row.statement}:{row.line_id}:{row.column}"
            values = f"published {group_thousands(row.published)} {row.unit}" + (
                "" if pd.isna(row.computed) else
                f", computed {group_thousands(row.computed)} (difference {'+' if row.difference > 0 else ''}"
                f"{group_thousands(row.difference)})")
            out.append(f"  {status:10} {where} {row.label!s}: {values}" + (f" — {row.reason}" if row.reason else ""))
    return "\n".join(out)


COMMANDS = [verify]
