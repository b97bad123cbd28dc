"""The computed annual accounts of a year, as one value the exporters render.

:func:`compute_accounts` runs every registered statement on a
:class:`~statements.inputs.YearData` in the publication's order
(``layouts/statements.csv`` column ``order``) and the internal checks over the
results.  No files are written and nothing is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.chart import read_table, resolve_data_dir
from ledger.layout import Layout
from ledger.reconcile import internal_checks
from ledger.reconcile.identities import CheckResult
from statements.inputs import YearData

Progress = Callable[[str], None]


@attrs.frozen(eq=False)
class AnnualAccounts:
    """Statement tables (øre) in publication order, with what the cover sheet shows.

    ``missing`` names the layouts for which no statement is registered yet.
    """

    year: int
    agency: Mapping[str, object]
    generated_at: dt.datetime
    books_hash: str
    layouts: tuple[Layout, ...]
    tables: Mapping[str, pd.DataFrame]
    checks: tuple[CheckResult, ...]
    missing: tuple[str, ...] = ()


def publication_order(layouts: Mapping[str, Layout], data_dir: str | Path | None = None) -> list[Layout]:
    """The layouts sorted by ``statements.csv``'s ``order`` column (file order breaks ties)."""
    order: dict[str, float] = {}
    for _, row in read_table(resolve_data_dir(data_dir) / "layouts" / "statements.csv"):
        try:
            order[row["statement"]] = float(row.get("order") or "inf")
        except ValueError:
            order[row["statement"]] = float("inf")
    position = {name: i for i, name in enumerate(layouts)}
    return sorted(layouts.values(), key=lambda lay: (order.get(lay.statement, float("inf")),
                                                     position[lay.statement]))


def compute_tables(data: YearData, statements: Mapping[str, Callable[[YearData], pd.DataFrame]],
                   progress: Progress | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every statement that is registered, in publication order, and the names not registered."""
    tables: dict[str, pd.DataFrame] = {}
    missing: list[str] = []
    for layout in publication_order(data.layouts):
        name = layout.statement
        if progress:
            progress(name)
        if name not in statements:
            missing.append(name)
            continue
        tables[name] = statements[name](data)
    return tables, missing


def compute_accounts(data: YearData, statements: Mapping[str, Callable[[YearData], pd.DataFrame]],
                     books_hash: str, generated_at: dt.datetime | None = None,
                     progress: Progress | None = None) -> AnnualAccounts:
    """The annual accounts of ``data.year``: tables, checks and the cover facts."""
    tables, missing = compute_tables(data, statements, progress)
    order = [lay for lay in publication_order(data.layouts) if lay.statement in tables]
    return AnnualAccounts(
        year=data.year, agency=dict(data.agency),
        generated_at=generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        books_hash=books_hash, layouts=tuple(order), tables=tables,
        checks=tuple(internal_checks(tables)), missing=tuple(missing))
