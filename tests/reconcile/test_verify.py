"""``ledger verify``: internal identities and the reconciliation with published figures."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ledger.core.problems import ProblemsError
from click.testing import CliRunner

from tests.support.annual_helpers import EXTRA, make_books, post, write_published
from ledger.examples import EXAMPLES_DIR as FIXTURES_DIR
from ledger.cli import cli
from ledger.export.accounts import compute_tables
from ledger.reconcile import published as pub
from ledger.reconcile.identities import check_all
from ledger.reference.identities import Term, parse_expression
from ledger.books.store import Books
from ledger.statements.year_data import year_layouts
from tests.support.books import REFERENCE, year_of
from tests.support.inputs import catalogue
from ledger.statements.registry import STATEMENTS

PUBLISHED = FIXTURES_DIR / "2024" / "published"


# -- identities as data --------------------------------------------------------

def test_parse_expression():
    assert parse_expression("a:b:ub - c:0670.01:d + 5") == (
        Term(1, "a", "b", "ub"), Term(-1, "c", "0670.01", "d"), Term(1, constant=5))
    assert parse_expression("- a:b:c")[0].sign == -1
    with pytest.raises(ValueError):
        parse_expression("a:b:c +")
    with pytest.raises(ValueError):
        parse_expression("a:b")


def _published_tables() -> dict[str, pd.DataFrame]:
    """The published figures (kroner) shaped like statement tables (empty cells 0)."""
    layouts = year_layouts(REFERENCE, 2024, catalogue(2024))
    figures = pub.load_published(PUBLISHED)
    tables = {}
    for name, layout in layouts.items():
        mine = figures[figures["statement"] == name]
        rows = []
        for line in layout.lines:
            row = {"line_id": line.line_id, "label": line.label, "kind": line.kind, "note_ref": line.note_ref}
            for column in layout.columns:
                hit = mine[(mine["line_id"] == line.line_id) & (mine["column"] == column)]
                row[column] = int(hit["amount"].iloc[0]) if len(hit) else 0
            rows.append(row)
        tables[name] = pd.DataFrame(rows)
    return tables


def test_identities_hold_on_the_published_figures():
    """Each identity in identities.csv holds on IMDi's printed figures, up to per-line rounding,
    except the publication's own sign slip in the 2023 mellomværende total (README 5)."""
    results = check_all(REFERENCE.identities, _published_tables())
    assert len(results) > 100
    assert not [r for r in results if r.status == "skipped"]
    off = {r.id: r.difference for r in results if r.status != "ok"}
    assert off.pop("beholdning_lik_oversikt_i_fjor") == -2 * 13829542
    assert all(abs(d) <= 2 for d in off.values()), off


def test_identity_fails_and_skips():
    tables = _published_tables()
    tables["resultat"].loc[tables["resultat"]["line_id"] == "lonnskostnader", "aar"] += 7
    del tables["note_9"]
    results = {r.id: r for r in check_all(REFERENCE.identities, tables)}
    assert results["note_2_lik_resultat"].status == "FAIL" and results["note_2_lik_resultat"].difference == 7
    assert results["note_9_lik_resultat"].status == "skipped"
    assert "note_9" in results["note_9_lik_resultat"].detail


# -- classification --------------------------------------------------------------

def test_classify():
    wrong = pub.Contradiction(103, "publication: printed wrong")
    assert pub.classify(100, 100, "kr", False, None) == ("exact", "")
    assert pub.classify(100, 102, "kr", True, None) == ("rounding", "")
    assert pub.classify(100, 101, "kr", False, None)[0] == "FAIL"  # a detail line must be exact
    assert pub.classify(100, 103, "kr", True, None)[0] == "FAIL"
    assert pub.classify(100, 103, "kr", False, wrong) == ("documented", "publication: printed wrong")
    assert pub.classify(98, 97, "pct", True, None)[0] == "FAIL"


def test_a_contradiction_documents_one_value_only():
    """A documented figure that the books move fails, and a stale row (now exact) fails."""
    wrong = pub.Contradiction(103, "publication: printed wrong")
    status, reason = pub.classify(100, 104, "kr", False, wrong)
    assert status == "FAIL" and "expects 103" in reason and "give 104" in reason
    status, reason = pub.classify(100, 100, "kr", False, wrong)
    assert status == "FAIL" and "remove the row" in reason


def test_contradictions_table_names_published_figures():
    figures = pub.load_published(PUBLISHED)
    keys = set(zip(figures["statement"], figures["line_id"], figures["column"]))
    contradictions = pub.load_contradictions(PUBLISHED)
    assert len(contradictions) >= 4
    for key, contradiction in contradictions.items():
        assert key in keys, key
        assert contradiction.reason.startswith("publication:")


def test_a_bad_contradictions_file_names_file_and_line(tmp_path):
    (tmp_path / "contradictions.csv").write_text(
        "statement,line_id,column,expected,reason\nnote_2,lonn,aar,12x,publication: x\nnote_2,lonn,aar,5,\n",
        encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        pub.load_contradictions(tmp_path)
    assert [(p.row, p.rule) for p in caught.value.problems] == [(2, "contradictions"), (3, "contradictions")]
    (tmp_path / "contradictions.csv").write_text("statement,line_id,column,reason\n", encoding="utf-8")
    with pytest.raises(ProblemsError, match="missing column.*expected"):
        pub.load_contradictions(tmp_path)


# -- the command on small books ------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    """Small books and a 'publication' printed from their statements."""
    path = make_books(tmp_path / "books.sqlite")
    with Books.open(path) as books:
        tables = compute_tables(year_of(books, 2024), STATEMENTS)
    folder = write_published(tables, REFERENCE.layouts, tmp_path / "published")
    return path, folder


def _run(*args):
    return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)


def test_verify_reports_counts_and_exits_0_on_a_faithful_publication(small):
    path, folder = small
    result = _run("--books", path, "verify", 2024, "--published", folder, "--format", "json")
    report = json.loads(result.output)
    n = report["published_counts"]
    assert n["FAIL"] == 0 and n["exact"] == len(report["published"]) > 50
    assert report["check_counts"]["FAIL"] == 0 and result.exit_code == 0


def test_verify_names_the_figures_an_extra_voucher_moved(small, monkeypatch):
    path, folder = small
    with Books.open(path) as books:
        post(books, EXTRA, "extra.csv")
    result = _run("--books", path, "verify", 2024, "--published", folder)
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.strip().startswith("FAIL ")]
    named = {line.split()[1] for line in failed}
    assert {"bevilgning:0670.01:regnskap", "bevilgning:0670.01:avvik", "bevilgning:netto_rapportert:regnskap",
            "resultat:lonnskostnader:aar", "note_2:lonn:aar", "note_2:sum_lonnskostnader:aar"} <= named
    assert "computed 3 741 (difference +2 500)" in result.output  # 0670.01 regnskap 1241 → 3741


def _contradict(folder, expected, statement="note_2", line_id="lonn"):
    pd.DataFrame([{"statement": statement, "line_id": line_id, "column": "aar", "expected": expected,
                   "reason": "publication: printed 1000 too high"}]).to_csv(folder / "contradictions.csv",
                                                                            index=False)


def _lonn(path, folder):
    result = _run("--books", path, "verify", 2024, "--published", folder, "--format", "json")
    rows = {(r["statement"], r["line_id"]): r for r in json.loads(result.output)["published"]}
    return result, rows


def test_verify_documents_a_contradiction(small):
    path, folder = small
    frame = pd.read_csv(folder / "note_2.csv")
    computed = int(frame.loc[frame["line_id"] == "lonn", "amount"].iloc[0])
    frame.loc[frame["line_id"] == "lonn", "amount"] += 1000
    frame.to_csv(folder / "note_2.csv", index=False)
    _contradict(folder, computed)
    result, rows = _lonn(path, folder)
    assert rows[("note_2", "lonn")]["status"] == "documented" and result.exit_code == 0
    assert rows[("note_2", "lonn")]["reason"] == "publication: printed 1000 too high"
    _contradict(folder, computed + 1)  # the books no longer give the documented value
    result, rows = _lonn(path, folder)
    assert rows[("note_2", "lonn")]["status"] == "FAIL" and result.exit_code == 1


def test_verify_fails_on_a_stale_or_unknown_contradiction(small):
    path, folder = small
    frame = pd.read_csv(folder / "note_2.csv")
    computed = int(frame.loc[frame["line_id"] == "lonn", "amount"].iloc[0])
    _contradict(folder, computed)  # the figure is exact: the row is stale
    result, rows = _lonn(path, folder)
    assert rows[("note_2", "lonn")]["status"] == "FAIL" and "remove the row" in rows[("note_2", "lonn")]["reason"]
    assert result.exit_code == 1
    _contradict(folder, 5, line_id="no_such_line")
    result, rows = _lonn(path, folder)
    assert rows[("note_2", "no_such_line")]["status"] == "FAIL" and result.exit_code == 1


def test_verify_fails_for_a_published_line_the_statement_lacks(small):
    path, folder = small
    frame = pd.read_csv(folder / "note_2.csv")
    extra = frame.iloc[[0]].assign(line_id="no_such_line")
    pd.concat([frame, extra]).to_csv(folder / "note_2.csv", index=False)
    result = _run("--books", path, "verify", 2024, "--published", folder)
    assert result.exit_code == 1
    assert "note_2 has no line no_such_line" in result.output


# -- the bundled example --------------------------------------------------------------

def _example_books(path, extra: bool = False):
    """The example books (a copy made by the ``imdi_2024`` fixture), closed, optionally with one extra voucher."""
    if extra:
        with Books.open(path) as books:
            post(books, EXTRA, "extra.csv")
    closed = _run("--books", path, "close", 2024)
    assert closed.exit_code == 0, closed.output


def test_verify_2024_example(imdi_2024_closed):
    path = imdi_2024_closed
    result = _run("--books", path, "verify", 2024, "--format", "json")
    report = json.loads(result.output)
    n = report["published_counts"]
    print(f"example: {n}, checks {report['check_counts']}")
    failures = [r for r in report["published"] if r["status"] == "FAIL"][:10]
    assert result.exit_code == 0, (failures, [c for c in report["checks"] if c["status"] == "FAIL"][:10])
    assert n == {"exact": 596, "rounding": 0, "documented": 4, "FAIL": 0}
    assert report["check_counts"]["FAIL"] == 0 and report["check_counts"]["skipped"] == 0


def test_verify_2024_example_with_one_extra_voucher_fails(imdi_2024):
    path = imdi_2024
    _example_books(path, extra=True)
    moved = _run("--books", path, "verify", 2024)
    assert moved.exit_code == 1
    for figure in ("bevilgning:0670.01:regnskap", "bevilgning:0670.01:avvik", "note_2:lonn:aar"):
        assert f"FAIL       {figure}" in moved.output, moved.output[-3000:]
