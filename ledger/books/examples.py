"""The bundled example books (package data ``ledger.examples``, the source folder ``fixtures/``).

An example is a year folder: ``opening_balance.csv``, ``journal/*.csv`` (posted in name
order), and the year's input documents (``appropriations.csv``, ``agency.toml``,
``comparatives.csv``), with the published figures beside them in ``published/``
(read only by the reconciliation).  This module is the one way in; nothing imports the
folder as code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs

from ledger.books.setup import AGENCY, APPROPRIATIONS, COMPARATIVES
from ledger.core.records import BatchKind, Violation
from ledger.journal.batch import Batch
from ledger.journal.reader import read_journal


def examples_dir() -> Path:
    """Where the bundled examples are installed."""
    from ledger.examples import EXAMPLES_DIR

    return EXAMPLES_DIR


@attrs.frozen
class Example:
    """One bundled example: a year of books in ``folder``."""

    year: int
    folder: Path

    def batches(self) -> Iterator[tuple[Batch, list[Violation]]]:
        """The opening balance, then the journal files in name order, each as read."""
        yield read_journal(self.folder / "opening_balance.csv", kind=BatchKind.OPENING)
        for path in sorted((self.folder / "journal").glob("*.csv")):
            yield read_journal(path)

    def documents(self) -> dict[str, bytes]:
        """The input documents by their name in the books."""
        found = {
            APPROPRIATIONS: self.folder / "appropriations.csv",
            AGENCY: self.folder / "agency.toml",
            COMPARATIVES: self.folder / "comparatives.csv",
        }
        return {name: path.read_bytes() for name, path in found.items() if path.exists()}

    @property
    def published_dir(self) -> Path | None:
        """The published figures of the example, if it has them."""
        folder = self.folder / "published"
        return folder if folder.is_dir() else None


def example(year: int) -> Example:
    """The bundled example books of ``year`` (FileNotFoundError if there are none)."""
    folder = examples_dir() / str(year)
    if not (folder / "opening_balance.csv").exists():
        raise FileNotFoundError(f"no bundled example books for {year}")
    return Example(year, folder)
