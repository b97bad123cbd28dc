"""Building :class:`statements.inputs.YearData` from books (the layer above the store)."""

from __future__ import annotations

from ledger.chart import load_asset_groups, load_budget, load_chart, load_whole_voucher_accounts
from ledger.layout import load_layouts, load_mappings
from ledger.store import Books
from statements.inputs import YearData, parse_agency, parse_appropriations, parse_comparatives

# Input documents a year may have, by name in the books.
APPROPRIATIONS = "appropriations.csv"
AGENCY = "agency.toml"
COMPARATIVES = "comparatives.csv"


def load_year(books: Books, year: int, every_line: bool = False) -> YearData:
    """The posted lines and inputs of ``year`` with the packaged chart and layouts.

    The lines are compacted (:meth:`ledger.store.Books.compact_lines`): every line of
    the vouchers the statements read whole (``chart_of_accounts/whole_vouchers.csv``),
    the rest summed, so a year of millions of lines loads as thousands of rows with
    the same statements.  ``every_line`` reads each line instead, for listing vouchers.
    """
    if every_line:
        lines = books.lines(year)
    else:
        lines = books.compact_lines(year, load_whole_voucher_accounts())
    return YearData(
        year=year,
        lines=lines,
        chart=load_chart(),
        budget=load_budget(year),
        layouts=load_layouts(),
        mappings=load_mappings(),
        appropriations=parse_appropriations(books.document(year, APPROPRIATIONS)),
        agency=parse_agency(books.document(year, AGENCY)),
        comparatives=parse_comparatives(books.document(year, COMPARATIVES)),
        asset_groups=load_asset_groups(),
    )
