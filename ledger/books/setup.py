"""Creating books from the reference data, and the reference data of existing books.

The books hold their own chart (the ``accounts`` table: code, name, SKP code, role),
which differs from the standard one when it was read from a SAF-T file.  The close and
the statements therefore work with :func:`reference_of` the books: the reference data
with the books' chart in it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ledger.books.documents import AGENCY_SCOPE
from ledger.books.store import Books
from ledger.reference.bundle import ReferenceData


def create_books(path: Path, reference: ReferenceData, fill: Callable[[Books], None] | None = None) -> Books:
    """New books at ``path`` with the reference chart (each year's budget comes with its inputs;
    ``fill``: what else to write before they are moved into place, :meth:`Books.create`)."""
    accounts = [(a.code, a.name, a.skp, a.role) for a in reference.chart.accounts.values()]
    return Books.create(path, accounts, fill=fill)


def reference_of(books: Books, reference: ReferenceData) -> ReferenceData:
    """``reference`` with the agency's own folder kept in the books applied, and the books' own
    chart (names, SKP codes and roles as the books hold them)."""
    with_agency = reference.with_agency(books.revision_documents(AGENCY_SCOPE))
    return with_agency.with_chart(with_agency.chart.with_accounts(books.account_rows()))
