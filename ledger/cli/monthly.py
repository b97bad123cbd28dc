"""Monthly reporting: ``ledger report statsregnskapet``, ``ledger check``, ``ledger lock`` / ``unlock``
and ``ledger reconcile statsregnskapet``.

The work is done below: the rows by :mod:`ledger.statements.statsregnskapet`, the file by
:mod:`ledger.export.statsregnskapet`, the checks by :mod:`ledger.reconcile.monthly_checks`,
the comparison by :mod:`ledger.reconcile.statsregnskapet`, the locks by
:meth:`ledger.books.store.Books.set_locked_through` (events of the chain).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ledger.books.store import Books, BooksError
from ledger.cli.common import DataError, check_period, check_year, echo, open_books, reference_for, require_year
from ledger.core.money import format_decimal


def _load(books: Books, period, every_line: bool = True, whole_vouchers=None):
    """The period's data, with every line or (a year) compacted, reading whole the vouchers of
    ``whole_vouchers`` (None: those of ``whole_vouchers.csv``) (DataError for unreadable inputs)."""
    from ledger.statements.inputs import InputError
    from ledger.statements.loading import load_period

    require_year(books, period.year)
    try:
        return load_period(books, period, reference_for(books), every_line=every_line, whole_vouchers=whole_vouchers)
    except InputError as exc:
        raise DataError(f"{period}: {exc}") from None


# -- ledger report statsregnskapet -------------------------------------------------

@click.group()
def report() -> None:
    """Reports to others: ``ledger report statsregnskapet YEAR``."""


@report.command("statsregnskapet")
@click.argument("year", type=int)
@click.option("--period", "month", metavar="YYYY-MM", help="One month of YEAR alone (default: every month).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["public", "csv"]), default="public", show_default=True,
              help="public: as DFØ publishes it (ISO-8859-1, ';', decimal comma); csv: UTF-8 for people.")
@click.pass_context
def report_statsregnskapet(ctx: click.Context, year: int, month: str | None, out: Path | None, fmt: str) -> None:
    """The reported lines of YEAR, one row per month × statskonto × artskonto, in the columns of
    statsregnskapet_aar_YYYY.csv (the open data of statsregnskapet.dfo.no)."""
    from ledger.core.period import Period
    from ledger.export.files import OutputError, check_output_path, write_atomically
    from ledger.export.statsregnskapet import EncodingProblem, render
    from ledger.statements.base import StatementError
    from ledger.statements.statsregnskapet import statsregnskapet

    check_year(year)
    period = Period(year)
    if month is not None:
        period = check_period(month)
        if not period.is_month or period.year != year:
            raise DataError(f"--period {month}: give a month of {year} (e.g. {year}-03)")
    if out is not None:
        try:
            check_output_path(out, ctx.obj["books"])
        except OutputError as exc:
            raise DataError(str(exc)) from None
    with open_books(ctx.obj["books"]) as books:
        data = _load(books, Period(year))
    try:
        rows = statsregnskapet(data, period)
        content = render(rows, fmt)
    except (StatementError, EncodingProblem) as exc:
        raise DataError(f"report statsregnskapet {year}: {exc}") from None
    if out is None:
        if sys.stdout.isatty() or not hasattr(sys.stdout, "buffer"):
            echo(content.decode("utf-8" if fmt == "csv" else "iso-8859-1"), nl=False, data=True)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        return
    try:
        path = write_atomically(out, lambda temp: temp.write_bytes(content), ctx.obj["books"])
    except OutputError as exc:
        raise DataError(str(exc)) from None
    months = rows["Periode"].nunique()
    echo(f"wrote {path}: {len(rows)} rows, {months} month(s), {'ISO-8859-1' if fmt == 'public' else 'UTF-8'}; "
         f"sum {format_decimal(int(rows['amount_ore'].sum()))} kr")


# -- ledger check PERIOD ---------------------------------------------------------------

def period_outcomes(books: Books, period, totals_first: bool = False):
    """The checks before submission over ``period`` (:func:`ledger.reconcile.monthly_checks.run_monthly_checks`).

    ``totals_first`` (the close of a year): the checks run first over the year's totals alone
    (no voucher read whole: the cash statements they compare do not group by voucher; one that
    does says so, and the year is read as the statements read it), and again over every line
    only when one fails, so that its findings name their vouchers.  The per-voucher identity
    is the posting rule ``settlement-identity`` of every journal batch, and ``ledger check
    YEAR`` runs every check over every line.
    """
    from ledger.reconcile.monthly_checks import run_monthly_checks
    from ledger.statements.base import StatementError, VouchersNotWhole

    try:
        if totals_first and not period.is_month:
            try:
                outcomes = run_monthly_checks(_load(books, period, every_line=False, whole_vouchers=()))
            except VouchersNotWhole:
                outcomes = run_monthly_checks(_load(books, period, every_line=False))
            if all(o.ok for o in outcomes):
                return outcomes
        return run_monthly_checks(_load(books, period))
    except StatementError as exc:
        raise DataError(f"check {period}: {exc}") from None


def describe_outcomes(outcomes) -> list[str]:
    """One line per check (``ok`` or ``FAIL``) and one per finding."""
    out = []
    for outcome in outcomes:
        out.append(f"{'ok  ' if outcome.ok else 'FAIL'} {outcome.check.rule}: {outcome.check.description}")
        out += [f"     {finding}" for finding in outcome.findings]
    return out


@click.command()
@click.argument("period", metavar="PERIOD")
@click.option("--month-only", is_flag=True, help="The month alone, not year to date.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def check(ctx: click.Context, period: str, month_only: bool, fmt: str) -> None:
    """The checks before submission to statsregnskapet over PERIOD (2024-03: year to date through March;
    2024: the year), each a rule of chart_of_accounts/monthly_checks.csv.  Exit 1 on a finding."""
    chosen = check_period(period, month_only)
    with open_books(ctx.obj["books"]) as books:
        outcomes = period_outcomes(books, chosen)
    failed = [o for o in outcomes if not o.ok]
    if fmt == "json":
        echo(json.dumps({"period": str(chosen), "month_only": chosen.month_only, "checks": [
            {"rule": o.check.rule, "ok": o.ok, "source": o.check.source, "findings": [
                {"message": f.message, "statskonto": f.statskonto, "artskonto": f.artskonto, "account": f.account,
                 "amount_ore": f.amount, "vouchers": list(f.vouchers)} for f in o.findings]} for o in outcomes]},
            ensure_ascii=False, indent=1), data=True)
    else:
        echo(f"checks before submission, {chosen.describe()}")
        echo("\n".join(describe_outcomes(outcomes)))
    if failed:
        count = sum(len(o.findings) for o in failed)
        raise DataError(f"{chosen}: {len(failed)} of {len(outcomes)} checks failed ({count} finding(s))")


# -- ledger lock / unlock ----------------------------------------------------------

def _month(text: str):
    chosen = check_period(text)
    if not chosen.is_month:
        raise DataError(f"give a month (e.g. {chosen.year}-03), not the year {chosen.year}")
    return chosen


@click.command()
@click.argument("month", metavar="YYYY-MM")
@click.option("--reason", default="reported to statsregnskapet", show_default=True,
              help="Why the months are locked (kept in the event chain).")
@click.pass_context
def lock(ctx: click.Context, month: str, reason: str) -> None:
    """Lock YYYY-MM and every earlier month of its year: postings dated in them are refused
    (rule month-locked); corrections go into an open month."""
    chosen = _month(month)
    with open_books(ctx.obj["books"]) as books:
        try:
            before = books.set_locked_through(chosen.year, chosen.month, "lock", reason)
        except BooksError as exc:
            raise DataError(str(exc)) from None
        head = books.head_hash()
    if before >= chosen.month:
        echo(f"{chosen.year} is already locked through {chosen.year}-{before:02d}; nothing changed")
        return
    echo(f"locked {chosen.year}-01 to {chosen} ({reason}); books hash {head}")


@click.command()
@click.argument("month", metavar="YYYY-MM")
@click.option("--reason", required=True, help="Why the month is opened again (kept in the event chain).")
@click.pass_context
def unlock(ctx: click.Context, month: str, reason: str) -> None:
    """Open YYYY-MM and the months after it again, with a reason in the event chain."""
    chosen = _month(month)
    if not reason.strip():
        raise DataError("give a reason for unlocking (it goes to the event chain)")
    with open_books(ctx.obj["books"]) as books:
        if books.year_status(chosen.year) == "closed":
            raise DataError(f"{chosen.year} is closed, which locks all its months: reopen it first "
                            f"(ledger reopen {chosen.year} --reason …)")
        try:
            before = books.set_locked_through(chosen.year, chosen.month, "unlock", reason)
        except BooksError as exc:
            raise DataError(str(exc)) from None
        head = books.head_hash()
    if before < chosen.month:
        echo(f"{chosen} is not locked ({chosen.year} is locked through "
             f"{f'{chosen.year}-{before:02d}' if before else 'no month'}); nothing changed")
        return
    through = f"{chosen.year}-{chosen.month - 1:02d}" if chosen.month > 1 else "no month"
    echo(f"unlocked {chosen} to {chosen.year}-{before:02d} ({reason}); {chosen.year} is locked through {through}; "
         f"books hash {head}")


# -- ledger reconcile statsregnskapet FILE -------------------------------------------

@click.group()
def reconcile() -> None:
    """Reconcile the books with what was reported: ``ledger reconcile statsregnskapet FILE``."""


@reconcile.command("statsregnskapet")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The year to compare (default: the one year both the file and the books hold).")
@click.pass_context
def reconcile_statsregnskapet(ctx: click.Context, file: Path, year: int | None) -> None:
    """Compare a file in statsregnskapet's public format (the agency's organisation number's rows)
    with the books' monthly report: every month × statskonto × artskonto that differs.  Exit 1 on a difference."""
    from ledger.core.period import Period
    from ledger.reconcile.statsregnskapet import PublicFileError, differences, file_years, read_public_file
    from ledger.statements.base import StatementError
    from ledger.statements.statsregnskapet import org_number

    try:
        content = file.read_bytes()
    except OSError as exc:
        raise DataError(f"{file}: {exc.strerror or exc}") from None
    with open_books(ctx.obj["books"]) as books:
        if year is None:
            both = sorted(set(file_years(content)) & set(books.years()))
            if len(both) != 1:
                raise DataError(f"{file.name}: give --year (the file and the books share the years "
                                f"{', '.join(map(str, both)) or 'none'})")
            year = both[0]
        check_year(year)
        data = _load(books, Period(year))
    try:
        number = org_number(data)
        reported = read_public_file(content, file.name, number, year)
        result = differences(data, reported)
    except (StatementError, PublicFileError) as exc:
        raise DataError(f"reconcile statsregnskapet {file.name}: {exc}") from None
    if reported.empty:
        raise DataError(f"{file.name} holds no row of organisation number {number} for {year} "
                        "(Virksomhet_id, År)")
    if result.ok:
        echo(f"{file.name}: {result.file_rows} month × statskonto × artskonto sums of {number} for {year} "
             f"equal the books; nothing differs")
        return
    echo(f"{file.name}: {len(result.rows)} month × statskonto × artskonto sums differ from the books "
         f"(øre as kroner; difference = books − file):")
    echo(_table(result.rows, ["periode", "statskonto", "artskonto", "books", "file", "difference"]))
    echo("summed per month × statskonto:")
    echo(_table(result.by_statskonto, ["periode", "statskonto", "books", "file", "difference"]))
    raise DataError(f"{file.name}: {len(result.rows)} difference(s) against the books of {year}")


def _table(frame, columns) -> str:
    shown = frame[columns].copy()
    for column in ("books", "file", "difference"):
        shown[column] = shown[column].map(format_decimal)
    return shown.to_string(index=False)


COMMANDS = [report, check, lock, unlock, reconcile]
