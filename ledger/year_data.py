"""Building :class:`statements.inputs.YearData` from books (the layer above the store)."""

from __future__ import annotations

from ledger.chart import load_asset_groups, load_budget, load_chart
from ledger.layout import load_layouts, load_mappings
from ledger.store import Books
from statements.inputs import YearData, parse_agency, parse_appropriations, parse_comparatives

# Input documents a year may have, by name in the books.
APPROPRIATIONS = "appropriations.csv"
AGENCY = "agency.toml"
COMPARATIVES = "comparatives.csv"


def load_year(books: Books, year: int) -> YearData:
    """The posted lines and inputs of ``year`` with the packaged chart and layouts."""
    return YearData(
        year=year,
        lines=books.lines(year),
        chart=load_chart(),
        budget=load_budget(year),
        layouts=load_layouts(),
        mappings=load_mappings(),
        appropriations=parse_appropriations(books.document(year, APPROPRIATIONS)),
        agency=parse_agency(books.document(year, AGENCY)),
        comparatives=parse_comparatives(books.document(year, COMPARATIVES)),
        asset_groups=load_asset_groups(),
    )
