"""Output neutralised: control characters escaped on the terminal, CSV fields a
spreadsheet would run as formulas prefixed (OWASP), numbers left numbers."""

from __future__ import annotations

import pytest

from ledger.books.store import Books
from ledger.cli.common import printable
from ledger.export.neutral import neutral
from tests.reliability.conftest import HEADER, run


@pytest.mark.parametrize("value, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("@SUM(A1)", "'@SUM(A1)"), ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"), ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("-1234.50", "-1234.50"), ("+5", "+5"),
    ("Lønn", "Lønn"), ("", ""), (12, 12),
])
def test_neutral(value, shown):
    assert neutral(value) == shown


def test_printable_escapes_what_a_terminal_acts_on():
    assert printable("a\x1b]0;owned\x07b") == "a\\x1b]0;owned\\x07b"
    assert printable("tab\tand\nnewline") == "tab\tand\nnewline"
    assert printable("\u202eevil\x9b") == "\\u202eevil\\x9b"


def test_journal_text_is_escaped_in_messages(books_copy, tmp_path):
    path = tmp_path / "esc.csv"
    path.write_text(HEADER + "2024-03-05,V\x1b]0;x\x07,5000,1.00,0670.01,,x\n", encoding="utf-8")
    result = run(books_copy, "import", path)
    assert result.exit_code == 1 and "\x1b" not in result.output and "\\x1b]0;x\\x07" in result.output


def test_explain_shows_escaped_text(books_copy, tmp_path):
    path = tmp_path / "esc.csv"
    path.write_text(HEADER + "2024-03-05,E1,5000,1.00,0670.01,,\x1b[2Jwiped\n2024-03-05,E1,1940,-1.00,,,x\n",
                    encoding="utf-8")
    assert run(books_copy, "import", path).exit_code == 0
    result = run(books_copy, "explain", "2024", "bevilgning", "0670.01", "regnskap", "--vouchers")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\\x1b[2Jwiped" in result.output


def test_balance_csv_neutralises_account_names(books_copy):
    with Books.open(books_copy) as books:
        books.add_accounts([("5999", "=cmd|' /C calc'!A0", "599", None)], "test")
    path = books_copy.parent / "j.csv"
    path.write_text(HEADER + "2024-03-05,N1,5999,1.00,0670.01,,x\n2024-03-05,N1,1940,-1.00,,,x\n", encoding="utf-8")
    assert run(books_copy, "import", path).exit_code == 0
    result = run(books_copy, "balance", "2024", "--format", "csv")
    line = next(l for l in result.output.splitlines() if l.startswith("5999"))
    assert "'=cmd" in line and ",-" not in line.split("'=cmd")[0]
    assert "1940" in result.output and ",-2076.00" in result.output  # numbers stay numbers


def test_tidy_csv_has_no_formula_fields(books_copy, tmp_path):
    out = tmp_path / "a.csv"
    assert run(books_copy, "export-annual", "2024", "--format", "csv", "--out", out).exit_code == 0
    import csv
    for row in csv.reader(out.open(encoding="utf-8")):
        for field in row:
            assert not field.startswith(("=", "@", "\t", "\r")) and (not field.startswith(("+", "-")) or
                                                                    field.lstrip("+-").replace(".", "").isdigit())
