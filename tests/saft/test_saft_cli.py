"""SAF-T through the command line: init --chart-from, import, export saft, saft-check."""

from __future__ import annotations

from click.testing import CliRunner
from tests.support.saft_helpers import EXAMPLE, SMALL_130

from ledger.cli import cli
from ledger.saft import validate
from ledger.books.store import Books


def run(books, *args):
    return CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])


def state(books):
    with Books.open(books) as b:
        return b.counts(), b.head_hash(), b.account_count()


def test_example_file_end_to_end(tmp_path):
    books = tmp_path / "b.sqlite"
    result = run(books, "init", "--chart-from", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "4 account(s) do not map to the state chart: 1925, 2400, 2740, 4000" in result.output
    before = state(books)
    refused = run(books, "import", EXAMPLE)
    assert refused.exit_code == 1 and "difference -1234.56" in refused.output
    assert state(books) == before
    result = run(books, "import", EXAMPLE, "--opening-suspense", "9999")
    assert result.exit_code == 0, result.output
    assert "created account 9999" in result.output
    assert "finding: account 1925: stated closing balance 12345.67, opening + movements -11265.44" in result.output
    assert "4 account(s) whose stated closing balance differs" in result.output
    again = run(books, "import", EXAMPLE, "--opening-suspense", "9999")
    assert again.exit_code == 1 and "imported before" in again.output
    balance = run(books, "balance", "2015", "--format", "csv")
    assert "9999,Differanse inngående balanse (SAF-T-import),1234.56,0.00,1234.56" in balance.output
    assert run(books, "audit").exit_code == 0


def test_strict_refuses_and_changes_nothing(tmp_path):
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", EXAMPLE).exit_code == 0
    before = state(books)
    result = run(books, "import", EXAMPLE, "--opening-suspense", "9999", "--strict")
    assert result.exit_code == 1 and "[closing-balance]" in result.output
    assert state(books) == before  # the suspense account was not created either


def test_export_then_import_into_new_books(tmp_path):
    source = tmp_path / "small.xml"
    source.write_text(SMALL_130, encoding="utf-8")
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", source).exit_code == 0
    assert run(books, "import", source).exit_code == 0
    out = tmp_path / "out.xml"
    result = run(books, "export", "saft", "2024", "--out", out, "--org-number", "999999999")
    assert result.exit_code == 0, result.output
    validate(out, "1.30")
    copy = tmp_path / "copy.sqlite"
    assert run(copy, "init", "--chart-from", out).exit_code == 0
    result = run(copy, "import", out, "--strict")
    assert result.exit_code == 0, result.output
    assert run(books, "balance", "2024", "--format", "csv").output == run(copy, "balance", "2024",
                                                                          "--format", "csv").output
    with Books.open(books) as a, Books.open(copy) as b:
        cols = ["voucher", "date", "account", "amount", "statskonto", "artskonto", "text", "dims"]
        assert a.lines(2024)[cols].equals(b.lines(2024)[cols])


def test_export_of_an_empty_year_is_refused(tmp_path):
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", EXAMPLE).exit_code == 0
    result = run(books, "export", "saft", "2030", "--out", tmp_path / "x.xml")
    assert result.exit_code == 1 and "no posted lines" in result.output
    assert not (tmp_path / "x.xml").exists()


def test_saft_check_and_schema_errors(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(SMALL_130.replace("<n1:TotalDebit>250.00<", "<n1:TotalDebit>2x<"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["saft-check", str(bad)])
    assert result.exit_code == 1 and "schema 1.30" in result.output and "TotalDebit" in result.output
    assert f"{bad}:" in result.output
    good = tmp_path / "good.xml"
    good.write_text(SMALL_130, encoding="utf-8")
    result = CliRunner().invoke(cli, ["saft-check", str(good)])
    assert result.exit_code == 0 and "1 account(s) do not map to the state chart: 2740" in result.output


def test_import_of_a_broken_file_leaves_no_trace(tmp_path):
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", EXAMPLE).exit_code == 0
    truncated = tmp_path / "t.xml"
    truncated.write_bytes(EXAMPLE.read_bytes()[:9000])
    before = state(books)
    result = run(books, "import", truncated, "--opening-suspense", "9999")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert state(books) == before


def test_init_chart_from_refuses_invalid_and_existing(tmp_path):
    books = tmp_path / "b.sqlite"
    junk = tmp_path / "junk.xml"
    junk.write_text("<x/>")
    result = run(books, "init", "--chart-from", junk)
    assert result.exit_code == 1 and not books.exists()
    assert run(books, "init", "--chart-from", EXAMPLE).exit_code == 0
    assert run(books, "init", "--chart-from", EXAMPLE).exit_code == 1
