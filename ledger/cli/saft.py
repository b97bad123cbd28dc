"""SAF-T commands and the SAF-T side of ``ledger import`` / ``ledger init`` (used by ``ledger.cli``).

- ``ledger export saft YEAR [--out FILE]`` — the year as a SAF-T Financial 1.30 file;
- ``ledger saft-check FILE`` — validate a SAF-T file and list what an import would
  report (accounts that do not map to the state chart, closing-balance findings),
  without touching the books;
- :func:`import_saft` — ``ledger import FILE.xml`` (with :func:`import_options`);
- :func:`init_from_saft` — ``ledger init --chart-from FILE.xml``.

:mod:`ledger.cli` imports this module when one of its commands runs (``LAZY_COMMANDS``).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import attrs
import click

from ledger.core.money import format_decimal
from ledger.core.records import Violation
from ledger.journal.posting_rules import check_batch
from ledger.saft import chart as saft_chart
from ledger.saft.read import (ARTSKONTO_ANALYSIS, STATSKONTO_ANALYSIS, SUSPENSE_NAME, SaftOptions,
                              format_violations, parse_saft, to_batches)
from ledger.saft.schema import SaftFormatError, validate
from ledger.saft.write import Company, SaftExportError, write_saft
from ledger.books.store import Books, BooksError
from ledger.cli.common import DataError, check_year, echo, load_state_reference
from ledger.export.files import OutputError, check_output_path, write_atomically

MAX_SHOWN = 50


class SaftError(DataError):
    """A refused SAF-T file or export: message without traceback, exit code 1."""


def is_saft_file(path: Path) -> bool:
    """Whether ``path`` is to be read as SAF-T: an ``.xml`` suffix or XML content."""
    if path.suffix.lower() == ".xml":
        return True
    try:
        with path.open("rb") as handle:
            start = handle.read(64)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def import_options(command):
    """The SAF-T options of ``ledger import`` (a decorator)."""
    options = [
        click.option("--opening-suspense", metavar="ACCOUNT",
                     help="SAF-T: post the difference of unbalanced opening balances on ACCOUNT "
                          "(created if missing)."),
        click.option("--statskonto-analysis", metavar="TYPE", default=STATSKONTO_ANALYSIS, show_default=True,
                     help="SAF-T: the AnalysisType that carries the statskonto."),
        click.option("--artskonto-analysis", metavar="TYPE", default=ARTSKONTO_ANALYSIS, show_default=True,
                     help="SAF-T: the AnalysisType that carries the artskonto."),
        click.option("--strict", is_flag=True,
                     help="SAF-T: refuse a file whose stated closing balances differ from opening + movements."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _report(source: str, violations: list[Violation]) -> None:
    """Print each violation once (the first :data:`MAX_SHOWN`), and a count per rule when there are more."""
    unique = list(dict.fromkeys(violations))
    for violation in unique[:MAX_SHOWN]:
        echo(str(violation), err=True)
    if len(unique) > MAX_SHOWN:
        echo(f"... and {len(unique) - MAX_SHOWN} more; by rule:", err=True)
        for rule, count in Counter(v.rule for v in unique).most_common():
            echo(f"  {rule}: {count}", err=True)
    echo(f"{source}: {len(unique)} violation(s)", err=True)


def _refuse(source: str, violations: list[Violation]) -> None:
    _report(source, violations)
    raise SaftError(f"{source}: nothing posted; the books are unchanged")


def import_saft(books: Books, path: Path, opening_suspense: str | None = None,
                statskonto_analysis: str | None = STATSKONTO_ANALYSIS,
                artskonto_analysis: str | None = ARTSKONTO_ANALYSIS, strict: bool = False,
                out: list[str] | None = None) -> None:
    """Import a SAF-T file into ``books``: all its batches or nothing; print the findings
    (or append them to ``out``, to be printed once the caller's transaction is committed)."""
    say = out.append if out is not None else echo
    source = str(path)
    try:
        saft = parse_saft(path)
    except SaftFormatError as exc:
        _refuse(source, format_violations(source, exc))
    accounts = books.accounts()
    options = SaftOptions(opening_suspense, statskonto_analysis or None, artskonto_analysis or None, strict,
                          saft_chart.account_map(saft.accounts, accounts))
    batches, violations, findings = to_batches(saft, options)
    del saft  # the batches are what is posted: free the file's own line table first
    if violations:
        _refuse(source, violations)
    new_account = (opening_suspense and opening_suspense not in set(accounts["code"])
                   and any(opening_suspense in set(b.lines["account"]) for b in batches))
    # Check every batch before posting any, so a refused file changes nothing.
    known = set(books.batches()["sha256"])
    for batch in batches:
        if batch.sha256 in known:
            _refuse(source, [Violation("batch-duplicate", "this file was imported before",
                                       source=batch.location(0))])
        context = books.context_for(batch)
        if new_account:
            context = attrs.evolve(context, accounts=context.accounts | {opening_suspense})
        violations += check_batch(batch, context)
    if violations:
        _refuse(source, violations)
    for code, target in sorted(options.account_map.items()):
        say(f"account {code} posted to {target} (its KS code)")
    if new_account:
        books.add_accounts([(opening_suspense, SUSPENSE_NAME, None, None)], f"SAF-T import of {path.name}")
        say(f"created account {opening_suspense} {SUSPENSE_NAME}")
    for batch in batches:
        posted = books.post(batch)
        say(f"posted {posted.source} ({posted.kind}) as batch {posted.id}: {posted.voucher_count} "
                   f"vouchers, {posted.line_count} lines, debit {format_decimal(posted.debit)} = "
                   f"credit {format_decimal(posted.credit)}")
    for finding in findings:
        say(f"finding: {finding}")
    if findings:
        say(f"{len(findings)} account(s) whose stated closing balance differs from opening + movements")


def init_from_saft(path: Path, chart_from: Path, example: int | None = None) -> None:
    """Create books at ``path`` whose chart is the accounts of the SAF-T file ``chart_from``."""
    if example is not None:
        raise click.UsageError("--chart-from and --example exclude each other")
    try:
        saft = parse_saft(chart_from)
    except SaftFormatError as exc:
        _report(str(chart_from), format_violations(str(chart_from), exc))
        raise SaftError(f"{chart_from}: not a valid SAF-T file; no books created") from None
    if saft.problems:
        _report(str(chart_from), list(saft.problems))
        raise SaftError(f"{chart_from}: no books created")
    if not saft.accounts:
        raise SaftError(f"{chart_from} has no general-ledger accounts; no books created")
    reference = load_state_reference()
    skp = saft_chart.state_codes(reference.chart)
    try:
        books = Books.create(path, saft_chart.chart_rows(saft.accounts, skp))
    except BooksError as exc:
        raise SaftError(str(exc)) from None
    with books:
        echo(f"created {path} with {books.account_count()} accounts from {chart_from}")
    _echo_unmapped(saft.accounts, skp)


def _echo_unmapped(accounts, skp) -> None:
    missing = saft_chart.unmapped(accounts, skp)
    if not missing:
        echo("all accounts map to the state chart (KS)")
        return
    echo(f"{len(missing)} account(s) do not map to the state chart: "
               f"{', '.join(a.id for a, _ in missing)}")
    for account, reason in missing:
        echo(f"  {account.id} {account.name}: {reason}")


@click.command("saft-check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def saft_check(file: Path) -> None:
    """Validate a SAF-T file and show what an import would report (the books are not touched)."""
    try:
        saft = parse_saft(file)
    except SaftFormatError as exc:
        _report(str(file), format_violations(str(file), exc))
        raise SaftError(f"{file}: not a valid SAF-T file") from None
    echo(f"{file}: valid SAF-T (schema {saft.version}), {saft.company}, {saft.start} – {saft.end}, "
         f"{len(saft.accounts)} accounts, {saft.transactions} transactions, {saft.line_elements} lines"
               + (f" ({len(saft.lines)} to post: split analyses give a line per share)"
                  if len(saft.lines) != saft.line_elements else ""))
    _echo_unmapped(saft.accounts, saft_chart.state_codes(load_state_reference().chart))
    _, violations, findings = to_batches(saft, SaftOptions())
    for finding in findings:
        echo(f"finding: {finding}")
    if violations:
        _report(str(file), violations)
        raise SaftError(f"{file}: an import would be refused")


@click.group("export")
def export() -> None:
    """Export the books in an exchange format."""


def _company(books: Books, year: int, org_number: str | None, name: str | None) -> Company:
    agency: dict = {}
    raw = books.document(year, "agency.toml")
    if raw is not None:
        try:
            agency = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            agency = {}
    default = Company()
    return Company(org_number or str(agency.get("org_number", default.registration_number)),
                   name or str(agency.get("name", default.name)))


@export.command("saft")
@click.argument("year", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: saft-YEAR.xml.")
@click.option("--org-number", help="The header's organisation number (default: agency.toml's org_number).")
@click.option("--company-name", help="The header's company name (default: agency.toml's name).")
@click.pass_context
def export_saft(ctx: click.Context, year: int, out: Path | None, org_number: str | None,
                company_name: str | None) -> None:
    """Write YEAR as a SAF-T Financial 1.30 file (checked against the schema after writing)."""
    check_year(year)
    out = out or Path(f"saft-{year}.xml")
    try:
        check_output_path(out, ctx.obj["books"])
        books = Books.open(ctx.obj["books"])
    except (OutputError, BooksError) as exc:
        raise SaftError(str(exc)) from None
    with books:
        accounts, lines = books.accounts(), books.lines(year)
        company = _company(books, year, org_number, company_name)
    if lines.empty:
        raise SaftError(f"no posted lines in {year}")
    counts = {}

    def write(temp: Path) -> None:
        counts.update(write_saft(temp, year, accounts, lines, company))
        validate(temp, "1.30")

    # Written beside the target and renamed once valid: a failed export leaves no file.
    try:
        write_atomically(out, write, ctx.obj["books"])
    except (SaftExportError, OutputError) as exc:
        raise SaftError(str(exc)) from None
    except SaftFormatError as exc:
        _report(str(out), format_violations(str(out), exc))
        raise SaftError(f"{out}: the written file fails the 1.30 schema; nothing written") from None
    missing = int(accounts["skp"].isna().sum())
    split = (f" ({counts['shares']} posted lines: split lines carry their shares as analysis amounts)"
             if counts["shares"] != counts["lines"] else "")
    echo(f"wrote {out} (SAF-T 1.30, schema-valid): {counts['accounts']} accounts, "
         f"{counts['transactions']} transactions, {counts['lines']} lines{split}")
    if missing:
        echo(f"{missing} account(s) have no SKP code: written with an empty KS GroupingCode", err=True)


COMMANDS = [export, saft_check]
