"""Creating books from the reference data, and the reference data of existing books.

The books hold their own chart (the ``accounts`` table: code, name, SKP code, role),
which differs from the standard one when it was read from a SAF-T file.  The close and
the statements therefore work with :func:`reference_of` the books: the reference data
with the books' chart in it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ledger.books.store import Books
from ledger.reference.bundle import ReferenceData

# Names of the input documents of a year in the books (``documents`` table).
APPROPRIATIONS = "appropriations.csv"
AGENCY = "agency.toml"
COMPARATIVES = "comparatives.csv"


def create_books(path: Path, reference: ReferenceData, fill: Callable[[Books], None] | None = None) -> Books:
    """New books at ``path`` with the reference chart and the budget catalogues it ships
    (``fill``: what else to write before they are moved into place, :meth:`Books.create`)."""
    accounts = [(a.code, a.name, a.skp, a.role) for a in reference.chart.accounts.values()]
    statskontoer = {year: [post.statskonto for post in budget.posts] for year, budget in reference.budgets.items()}
    return Books.create(path, accounts, statskontoer, fill=fill)


def reference_of(books: Books, reference: ReferenceData) -> ReferenceData:
    """``reference`` with the books' own chart (names, SKP codes and roles as the books hold them)."""
    rows = books.account_rows()
    return reference.with_chart(reference.chart.with_accounts(rows))
