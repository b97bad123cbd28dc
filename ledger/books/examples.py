"""The bundled example books (package data ``ledger.examples``, the source folder ``fixtures/``).

``fixtures/examples.toml`` names each example: an optional agency folder and its year
folders in order.  A year folder holds the year's input documents (``budget.csv``,
``appropriations.csv``, ``agency.toml``, ``comparatives.csv``: what ``ledger inputs
import`` reads), an opening balance (``opening_balance.csv``, the first year only), the
journal (``journal.csv`` or ``journal/*.csv``, posted in name order) and the figures to
verify against (``published/``, or ``expected/`` for figures worked by hand; read only by
the reconciliation).  This module is the one way in; nothing imports the folder as code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import attrs

from ledger.core.records import BatchKind, Violation
from ledger.journal.batch import Batch
from ledger.journal.reader import read_journal

INDEX = "examples.toml"


def examples_dir() -> Path:
    """Where the bundled examples are installed."""
    from ledger.examples import EXAMPLES_DIR

    return EXAMPLES_DIR


@attrs.frozen
class ExampleYear:
    """One year folder of an example."""

    year: int
    folder: Path

    def batches(self) -> Iterator[tuple[Batch, list[Violation]]]:
        """The opening balance (if the folder has one), then the journal files in name order, each as read."""
        opening = self.folder / "opening_balance.csv"
        if opening.exists():
            yield read_journal(opening, kind=BatchKind.OPENING)
        single = self.folder / "journal.csv"
        for path in [single] if single.exists() else sorted((self.folder / "journal").glob("*.csv")):
            yield read_journal(path)

    @property
    def published_dir(self) -> Path | None:
        """The figures ``ledger verify`` compares with: ``published/`` or ``expected/``, if any."""
        return next((f for f in (self.folder / "published", self.folder / "expected") if f.is_dir()), None)


@attrs.frozen
class Example:
    """A bundled example: its name, its agency folder (or None) and its years in order."""

    name: str
    description: str
    agency: Path | None
    years: tuple[ExampleYear, ...]

    def year(self, year: int) -> ExampleYear | None:
        """The example's folder of ``year``, or None."""
        return next((y for y in self.years if y.year == year), None)


def _year_of(folder: Path) -> int:
    """The year of a year folder: its agency.toml's ``year``, else its name."""
    facts = folder / "agency.toml"
    if facts.exists():
        year = tomllib.loads(facts.read_text(encoding="utf-8")).get("year")
        if isinstance(year, int):
            return year
    return int(folder.name)


def available() -> dict[str, Example]:
    """Every bundled example by name (``fixtures/examples.toml``)."""
    root = examples_dir()
    index = tomllib.loads((root / INDEX).read_text(encoding="utf-8"))
    found = {}
    for name, entry in index.get("examples", {}).items():
        years = tuple(ExampleYear(_year_of(root / y), root / y) for y in entry["years"])
        agency = root / entry["agency"] if entry.get("agency") else None
        found[name] = Example(name, entry.get("description", ""), agency, years)
    return found


def example(name: str | int) -> Example:
    """The bundled example ``name`` (FileNotFoundError naming the ones there are)."""
    examples = available()
    if str(name) not in examples:
        raise FileNotFoundError(f"no bundled example {name!r}; the examples are: {', '.join(examples)}")
    return examples[str(name)]
