"""IMDi's reference data (the state's with fixtures/imdi applied) and its 2024 layouts, for tests of the publication."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ledger.reference.agency import is_agency_document
from ledger.statements.year_data import year_layouts
from tests.support.books import REFERENCE
from tests.support.inputs import catalogue

FOLDER = Path(__file__).resolve().parents[2] / "fixtures" / "imdi"
AGENCY_FILES = {p.relative_to(FOLDER).as_posix(): p.read_bytes() for p in sorted(FOLDER.rglob("*"))
                if p.is_file() and is_agency_document(p.relative_to(FOLDER).as_posix())}
IMDI = REFERENCE.with_agency(AGENCY_FILES)
LAYOUTS_2024 = year_layouts(IMDI, 2024, catalogue(2024))
LAYOUT_COLUMNS = ["line_id", "label", "kind", "sum_of", "sign", "note_ref", "seed_line"]


def layout_frame(statement: str) -> pd.DataFrame:
    """IMDi's 2024 layout of ``statement`` as a table of text (the columns of a layout file)."""
    lay = LAYOUTS_2024[statement]
    return pd.DataFrame([{"line_id": ln.line_id, "label": ln.label, "kind": ln.kind,
                          "sum_of": "+".join(("-" if s < 0 else "") + ref for s, ref in ln.sum_of).replace("+-", "-"),
                          "sign": str(ln.sign), "note_ref": ln.note_ref, "seed_line": ln.seed_line}
                         for ln in lay.lines], columns=LAYOUT_COLUMNS)


def statements_index() -> pd.DataFrame:
    """The statements of IMDi's 2024 accounts: ``statement, columns`` (``|``-separated)."""
    return pd.DataFrame([{"statement": name, "columns": "|".join(lay.columns)} for name, lay in LAYOUTS_2024.items()])
