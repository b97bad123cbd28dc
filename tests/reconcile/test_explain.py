"""``ledger explain``: from a figure to its accounts, statskontoer, terms and vouchers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.support.annual_helpers import make_books
from ledger.cli import cli
from ledger.reconcile.explain import explain, posted_lines
from ledger.export.accounts import compute_tables
from ledger.books.store import Books
from tests.support.books import REFERENCE, year_of
from ledger.statements.registry import STATEMENTS


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    path = make_books(tmp_path_factory.mktemp("books") / "books.sqlite")
    with Books.open(path) as books:
        data = year_of(books, 2024, every_line=True)
    tables = compute_tables(data, STATEMENTS)
    return path, data, tables


def test_account_fed_line(computed):
    _, data, tables = computed
    result = explain(data, tables, "resultat", "lonnskostnader")
    assert result.column == "aar" and result.figure == 114100
    assert [(p.key, p.amount) for p in result.parts] == [("5000", 100000), ("5400", 14100)]
    assert result.complete and "srs_map.csv" in result.basis
    assert set(result.lines["voucher"]) == {"L1", "A1"}


def test_credit_line_is_presented_with_its_sign(computed):
    _, data, tables = computed
    result = explain(data, tables, "bevilgning", "5309.29", "regnskap")
    assert result.figure == 5000 and result.complete           # income presented positive
    assert result.lines["presented"].tolist() == [5000]


def test_statskonto_line_and_avvik(computed):
    _, data, tables = computed
    spent = explain(data, tables, "bevilgning", "0670.01", "regnskap")
    assert spent.complete and spent.figure == 124100
    assert sorted(spent.lines["voucher"]) == ["A1", "B1", "L1"]
    avvik = explain(data, tables, "bevilgning", "0670.01", "avvik")
    assert avvik.complete and avvik.figure == 510000 - 124100


def test_artskonto_line_uses_the_reported_lines(computed):
    _, data, tables = computed
    result = explain(data, tables, "artskonto", "andre_utbetalinger_drift", "aar")
    assert [(p.kind, p.key, p.amount) for p in result.parts] == [("artskonto", "673", 10000)]
    assert result.lines["voucher"].tolist() == ["B1"]  # the payment, not the accrued invoice


def test_sum_line_gives_its_terms_and_all_vouchers(computed):
    _, data, tables = computed
    result = explain(data, tables, "bevilgning", "netto_rapportert", "regnskap")
    assert [p.key for p in result.parts] == ["sum_utgiftsfort", "sum_inntektsfort"]
    assert result.complete
    assert int(result.lines["presented"].sum()) == result.figure


def test_opening_column_sees_only_the_opening_balance(computed):
    _, data, tables = computed
    result = explain(data, tables, "balanse", "programvare", "ib")
    assert result.complete and result.figure == 100000
    assert result.lines["voucher"].tolist() == ["IB2024"]


def test_vouchers_paged(computed):
    _, data, tables = computed
    result = explain(data, tables, "bevilgning", "netto_rapportert", "regnskap")
    first = posted_lines(result, data, None, page=1, page_size=4)   # every line read: nothing to read again
    second = posted_lines(result, data, None, page=2, page_size=4)
    assert result.pages(4) == 2 and len(first) == 4 and len(second) == len(result.lines) - 4
    assert first["voucher"].tolist() + second["voucher"].tolist() == result.lines.sort_values("id")["voucher"].tolist()


def test_cli_explain_with_vouchers(computed, monkeypatch):
    path, data, _ = computed
    runner = CliRunner()
    out = runner.invoke(cli, ["--books", str(path), "explain", "2024", "note_5", "kjop_konsulenttjenester", "--vouchers"])
    assert out.exit_code == 0, out.output
    assert "6730" in out.output and "F1" in out.output
    assert '=HYPERLINK("http://x","y")' in out.output   # book text shown as text
    as_json = runner.invoke(cli, ["--books", str(path), "explain", "2024", "bevilgning", "0670.01", "regnskap",
                                  "--vouchers", "--format", "json"])
    document = json.loads(as_json.output)
    assert document["figure_ore"] == 124100 and document["complete"] and len(document["lines"]) == 3
    bad = runner.invoke(cli, ["--books", str(path), "explain", "2024", "resultat", "no_such_line"])
    assert bad.exit_code == 2 and "no line" in bad.output
