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
from ledger.reference.layout import Layout
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
                     progress: Progress | None = None) -> AnnualAccounts:
    """The annual accounts of ``data.year``: tables, checks and the cover facts."""
    tables = compute_tables(data, statements, progress)
    order = list(data.layouts.values())
    return AnnualAccounts(
        year=data.year, agency=dict(data.agency),
        generated_at=generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        books_hash=books_hash, layouts=tuple(order), tables=tables,
        checks=tuple(internal_checks(tables, data.reference.identities, data.prior)),
        always_printed=data.reference.always_printed, warnings=statement_warnings(tables))
