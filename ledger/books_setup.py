"""Creating books from the packaged chart, and loading the bundled example books.

This is the glue between the data layer (chart, budget catalogues, fixtures)
and the store, used by the CLI.  It reads only packaged data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fixtures import FIXTURES_DIR
from ledger.chart import available_budget_years, load_budget, load_chart
from ledger.journal import Batch, read_journal
from ledger.records import Violation
from ledger import year_data
from ledger.store import Books


def create_books(path: Path) -> Books:
    """New books at ``path`` with the standard chart and every bundled budget catalogue."""
    chart = load_chart()
    accounts = [(a.code, a.name, a.skp, a.role) for a in chart.accounts.values()]
    statskontoer = {year: [post.statskonto for post in load_budget(year).posts]
                    for year in available_budget_years()}
    return Books.create(path, accounts, statskontoer)


def example_dir(year: int) -> Path:
    """The bundled example books of ``year`` (``fixtures/<year>``)."""
    folder = FIXTURES_DIR / str(year)
    if not (folder / "opening_balance.csv").exists():
        raise FileNotFoundError(f"no bundled example books for {year}")
    return folder


def example_batches(year: int) -> Iterator[tuple[Batch, list[Violation]]]:
    """The example's opening balance, then its journal files in name order."""
    folder = example_dir(year)
    yield read_journal(folder / "opening_balance.csv", kind="opening")
    for path in sorted((folder / "journal").glob("*.csv")):
        yield read_journal(path)


def example_documents(year: int) -> dict[str, bytes]:
    """The example's input documents by their name in the books."""
    folder = example_dir(year)
    found = {
        year_data.APPROPRIATIONS: folder / "appropriations.csv",
        year_data.AGENCY: folder / "agency.toml",
        year_data.COMPARATIVES: folder / "comparatives" / f"{year - 1}.csv",
    }
    return {name: path.read_bytes() for name, path in found.items() if path.exists()}
