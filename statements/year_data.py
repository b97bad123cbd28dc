"""What every statement is computed from: the posted lines of a year, its inputs and the reference data.

:class:`YearData` is built by :func:`ledger.statements.loading.load_year` from the books;
the statements of this package are pure functions of it.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pandas as pd

from ledger.reference.budget import BudgetCatalogue
from ledger.reference.bundle import ReferenceData
from ledger.reference.chart import AssetGroup, Chart
from ledger.reference.layout import Layout
from ledger.reference.mapping import MappingRow


@attrs.frozen(eq=False)
class YearData:
    """The books of one year and its inputs, as the statements see them.

    ``lines``: the posted lines of the year (see :meth:`ledger.books.store.Books.lines`),
    ``amount`` int64 øre, debit positive.  Usually compacted
    (:meth:`ledger.books.store.Books.compact_lines`): only the vouchers touching the
    accounts of ``whole_vouchers.csv`` are there line by line; other lines are summed
    (empty ``voucher``), so a statement may group by voucher only on those accounts.
    ``appropriations``: one row per statskonto, amounts in øre.  ``comparatives``: last
    year's closed figures (``statement, line_id, column, amount, unit``; money in øre).
    ``reference``: the chart, layouts, mappings and rules (the books' own chart).
    ``prior``: last year's statement tables when last year is closed in the books (the
    comparatives are then made from them); ``prior_appropriations``: last year's
    appropriations when the books hold them.
    """

    year: int
    lines: pd.DataFrame
    reference: ReferenceData
    budget: BudgetCatalogue | None
    appropriations: pd.DataFrame
    agency: Mapping[str, object]
    comparatives: pd.DataFrame
    prior: Mapping[str, pd.DataFrame] | None = None
    prior_appropriations: pd.DataFrame | None = None
    # the layouts of this year, in the publication's order: labels rendered for the year
    layouts: Mapping[str, Layout] = attrs.field(
        default=attrs.Factory(lambda self: year_layouts(self.reference, self.year), takes_self=True))

    @property
    def chart(self) -> Chart:
        """The books' chart."""
        return self.reference.chart

    @property
    def mappings(self) -> Mapping[str, tuple[MappingRow, ...]]:
        """The account mappings by statement."""
        return self.reference.mappings

    @property
    def asset_groups(self) -> Mapping[str, AssetGroup]:
        """The fixed-asset groups of notes 3 and 4 by name."""
        return self.reference.asset_groups


def year_layouts(reference: ReferenceData, year: int) -> dict[str, Layout]:
    """The reference layouts made for ``year``: ``{aar}`` in titles and labels rendered."""
    return {name: layout.for_year(year) for name, layout in reference.layouts.items()}
