"""IMDi 2024 end to end: the example books (``ledger init --example 2024``) give every
published figure of the cash statements, rounded to whole kroner (half away from zero).

The reconciliation is ``ledger.reconcile.published`` with the one list of the
publication's contradictions (``published/contradictions.csv``, each with the value the
books give).  Cells the publication leaves empty must be 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ledger.core.money import to_kroner
from ledger.books.store import Books
from ledger.reconcile import published as pub
from tests.support.books import year_of
from ledger.statements.registry import CASH_STATEMENTS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "2024"
PUBLISHED = EXAMPLE / "published"
STATEMENTS = tuple(CASH_STATEMENTS)


@pytest.fixture(scope="module")
def statements(imdi_2024_template) -> dict[str, pd.DataFrame]:
    with Books.open(imdi_2024_template) as books:
        data = year_of(books, 2024)
    return {name: CASH_STATEMENTS[name](data) for name in STATEMENTS}


def published(statement: str) -> dict[tuple[str, str], int]:
    frame = pd.read_csv(PUBLISHED / f"{statement}.csv", dtype=str, keep_default_na=False)
    return {(r.line_id, r.column): int(r.amount) for r in frame.itertuples()}


def ours(table: pd.DataFrame) -> dict[tuple[str, str], int]:
    columns = [c for c in table.columns if c not in ("line_id", "label", "kind", "note_ref")]
    return {(r["line_id"], c): to_kroner(int(r[c])) for _, r in table[table["kind"] != "heading"].iterrows()
            for c in columns}


@pytest.mark.parametrize("statement", STATEMENTS)
def test_every_printed_figure(statements, statement):
    figures = pub.load_published(PUBLISHED)
    contradictions = {k: c for k, c in pub.load_contradictions(PUBLISHED).items() if k[0] == statement}
    result = pub.reconcile(statements, figures[figures["statement"] == statement], contradictions)
    wrong = result.loc[result["status"] != "exact", ["line_id", "column", "published", "computed", "status"]]
    documented = {k[1:]: c.expected for k, c in contradictions.items()}
    assert {(l, c): v for l, c, _p, v, s in wrong.values.tolist()} == documented
    assert set(wrong["status"]) <= {"documented"}


@pytest.mark.parametrize("statement", STATEMENTS)
def test_unprinted_cells_are_zero(statements, statement):
    printed = published(statement)
    extra = {k: v for k, v in ours(statements[statement]).items() if k not in printed and v}
    assert extra == {}


def test_note_b_flags_the_estimated_maximum(statements):
    notes = statements["note_b"].attrs.get("notes", [])
    assert sorted(n.split(":")[0] for n in notes) == ["0601.21", "0671.45", "0671.60"]
