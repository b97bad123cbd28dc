"""The computed annual accounts of a year, as one value the exporters render.

:func:`compute_accounts` runs every registered statement on a
:class:`~ledger.statements.year_data.YearData` in the publication's order
(``layouts/statements.csv`` column ``order``) and the internal checks over the
results.  No files are written and nothing is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import attrs
import pandas as pd

from ledger.reconcile import internal_checks
from ledger.reconcile.identities import CheckResult
from ledger.reference.budget import BudgetPost
from ledger.reference.layout import Layout
from ledger.reference.printing import Printing
from ledger.statements import base
from ledger.statements.base import statement_warnings
from ledger.statements.year_data import YearData

Progress = Callable[[str], None]


@attrs.frozen(eq=False)
class AnnualAccounts:
    """Statement tables (øre) in publication order, with what the cover sheet shows."""

    year: int
    agency: Mapping[str, object]
    generated_at: dt.datetime
    books_hash: str
    layouts: tuple[Layout, ...]
    tables: Mapping[str, pd.DataFrame]
    checks: tuple[CheckResult, ...]
    always_printed: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    # how the workbook prints: headers, print lines and footnotes (ledger.reference.printing)
    printing: Printing = attrs.field(factory=Printing)
    # statskonto → its catalogue post (chapter, chapter name, post, post text)
    posts: Mapping[str, BudgetPost] = attrs.field(factory=dict)
    # (statement, column) → the useful life of that column's asset group
    useful_lives: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    # what the footnotes' placeholders read besides the tables (note_b_sats, note_b_ar, …)
    facts: Mapping[str, str] = attrs.field(factory=dict)
    # ``closed`` or ``open`` (an open year's workbook is foreløpig); the year's status history
    status: str = "open"
    history: tuple[YearEvent, ...] = ()
    # the year's month locks and unlocks, oldest first (``Books.lock_history`` rows of the year)
    locks: tuple[Mapping[str, object], ...] = ()
    # identity id → its description in Norwegian (the check sheet), where the identity has one
    check_texts: Mapping[str, str] = attrs.field(factory=dict)
    # bookkeeping account → the year's amount on it (øre, debit +; movements and the close), for the
    # footnotes' {konto:…} placeholders
    account_amounts: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen
class YearEvent:
    """A change of the year's status in the books: when, to what, why."""

    at: str
    status: str
    reason: str = ""


def year_history(events) -> tuple[YearEvent, ...]:
    """The status changes of one year from the books' events (``Books.events`` rows of kind ``year``
    of that year), oldest first; the first opening is left out."""
    found = [YearEvent(str(d.get("changed_at") or at), str(d.get("status", "")), str(d.get("reason") or ""))
             for _, kind, at, _, d in events if kind == "year"]
    return tuple(e for i, e in enumerate(found) if not (i == 0 and e.status == "open"))


def compute_tables(data: YearData, statements: Mapping[str, Callable[[YearData], pd.DataFrame]],
                   progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Every statement of the layouts, in publication order (``statements`` gives each by name)."""
    tables: dict[str, pd.DataFrame] = {}
    for layout in data.layouts.values():  # in the publication's order
        if progress:
            progress(layout.statement)
        tables[layout.statement] = statements[layout.statement](data)
    return tables


def compute_accounts(data: YearData, statements: Mapping[str, Callable[[YearData], pd.DataFrame]],
                     books_hash: str, generated_at: dt.datetime | None = None,
                     progress: Progress | None = None, status: str = "open",
                     history: tuple[YearEvent, ...] = (),
                     locks: tuple[Mapping[str, object], ...] = ()) -> AnnualAccounts:
    """The annual accounts of ``data.year``: tables, checks and the cover facts (``status`` and
    ``history``: the year's status in the books and its changes, :func:`year_history`)."""
    tables = compute_tables(data, statements, progress)
    order = list(data.layouts.values())
    return AnnualAccounts(
        year=data.year, agency=dict(data.agency),
        generated_at=generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        books_hash=books_hash, layouts=tuple(order), tables=tables,
        checks=tuple(internal_checks(tables, data.reference.identities, data.prior)),
        always_printed=data.reference.always_printed, warnings=statement_warnings(tables),
        printing=data.reference.printing, posts={p.statskonto: p for p in (data.budget or ())},
        useful_lives={(g.statement, g.column): g.useful_life for g in data.asset_groups.values()},
        facts=_facts(data), status=status, history=history, locks=tuple(locks),
        check_texts=data.reference.printing.check_texts, account_amounts=_account_amounts(data))


def _account_amounts(data: YearData) -> dict[str, int]:
    sums = base.balances(base.year_lines(data))
    return {str(a): int(v) for a, v in zip(sums["account"], sums["amount"])}


def _facts(data: YearData) -> dict[str, str]:
    rules = data.budget.note_b if data.budget is not None and data.budget.note_b is not None \
        else data.reference.note_b_rules
    facts = {"note_b_sats": str(rules.rate_percent), "note_b_ar": str(rules.kan_overfores_cap_years)}
    facts.update({f"levetid:{name}": group.useful_life for name, group in data.asset_groups.items()})
    return facts
