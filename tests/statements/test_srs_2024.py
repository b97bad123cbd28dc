"""IMDi 2024 end to end, SRS part: the example books (``ledger init --example 2024``),
closed with ``ledger close 2024``, give every published figure of the resultat, balanse,
notes 1-13 (with note 3's projects, note 5's specifications, 7A and 7B), the key figures
and table 4.3, in whole kroner (half away from zero) or the figure's unit.

The reconciliation is ``ledger.reconcile.published`` with the one list of the
publication's contradictions (``published/contradictions.csv``, each with the value the
books give): every figure must be exact, a documented contradiction, or a total within
the rounding bound.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ledger.cli import cli
from ledger.books.store import Books
from ledger.core.units import present
from ledger.reconcile import published as pub
from tests.support.books import year_of
from ledger.statements.registry import SRS_STATEMENTS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "2024"
PUBLISHED = EXAMPLE / "published"
STATEMENTS = tuple(SRS_STATEMENTS)


def _compute(data) -> dict[str, pd.DataFrame]:
    return {name: fn(data) for name, fn in SRS_STATEMENTS.items()}


@pytest.fixture(scope="module")
def books_path(tmp_path_factory, imdi_2024_template) -> Path:
    path = tmp_path_factory.mktemp("books") / "imdi.sqlite"
    shutil.copyfile(imdi_2024_template, path)
    return path


@pytest.fixture(scope="module")
def before_close(books_path) -> dict[str, pd.DataFrame]:
    with Books.open(books_path) as books:
        return _compute(year_of(books, 2024))


@pytest.fixture(scope="module")
def statements(books_path, before_close) -> dict[str, pd.DataFrame]:
    result = CliRunner().invoke(cli, ["--books", str(books_path), "close", "2024"], catch_exceptions=False)
    assert result.exit_code == 0 and "2024 closed" in result.output, result.output
    with Books.open(books_path) as books:
        return _compute(year_of(books, 2024))


def published(statement: str) -> pd.DataFrame:
    return pd.read_csv(PUBLISHED / f"{statement}.csv", dtype=str, keep_default_na=False)


def ours(table: pd.DataFrame, line: str, column: str, unit: str) -> int:
    return present(int(table.set_index("line_id").at[line, column]), unit)


@pytest.mark.parametrize("statement", STATEMENTS)
def test_every_printed_figure(statements, statement):
    figures = pub.load_published(PUBLISHED)
    contradictions = {k: c for k, c in pub.load_contradictions(PUBLISHED).items() if k[0] == statement}
    result = pub.reconcile(statements, figures[figures["statement"] == statement], contradictions)
    wrong = result.loc[result["status"] == "FAIL", ["line_id", "column", "published", "computed", "reason"]]
    assert wrong.values.tolist() == []


@pytest.mark.parametrize("statement", STATEMENTS)
def test_unprinted_cells_are_zero(statements, statement):
    printed = {(r.line_id, r.column) for r in published(statement).itertuples()}
    table = statements[statement]
    columns = [c for c in table.columns if c not in ("line_id", "label", "kind", "note_ref")]
    extra = [(r["line_id"], c, int(r[c])) for _, r in table[table["kind"] != "heading"].iterrows()
             for c in columns if (r["line_id"], c) not in printed and present(int(r[c])) != 0
             and not (statement == "nokkeltall" and c != "2024")]
    assert extra == []


def test_same_figures_before_and_after_close(before_close, statements):
    for name in STATEMENTS:
        pd.testing.assert_frame_equal(before_close[name], statements[name], obj=name)


def test_balance_carried_into_2025(books_path, statements):
    with Books.open(books_path) as books:
        balance_2025 = SRS_STATEMENTS["balanse"](year_of(books, 2025))
    opening = balance_2025.set_index("line_id")["ib"]
    closing = statements["balanse"].set_index("line_id")["ub"]
    pd.testing.assert_series_equal(opening, closing, check_names=False)


def test_projects_are_found_by_their_dimension(statements):
    """Each project of the example names its line (today by the words of the label; line ids
    in ``dim.project`` would be plainer, see srs_assets.project_line)."""
    notes = statements["note_3_prosjekter"].attrs["notes"]
    assert len(notes) == 5 and all(" -> " in n for n in notes)
