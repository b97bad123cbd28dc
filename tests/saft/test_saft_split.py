"""Split analyses (issue #20): a SAF-T line spread over departments and projects.

``tests/data/split-analyses-1.10.xml`` (``AnalysisAmount``) and its 1.30 twin
(``Debit``/``CreditAnalysisAmount``) hold five transactions; the lines they must
post are worked out by hand below, from the file:

- T1: 6730 debit 10 000.00, A 100 2 500.00 + A 102 7 500.00, P 7 on the whole line;
- T2: 6300 credit 3 000.00, A 100 1 000.00 + A 101 2 000.00 (a credit line's shares are credits);
- T3: 6300 debit 100.01 in thirds to the øre: 33.34 + 33.33 + 33.34;
- T4: 6730 debit 500.00 as A 100 600.00 and A 101 −100.00 (1.10: a negative share;
  1.30: a credit share);
- T5: 5000 debit 1 000.00, P 7 with the line's whole amount, A 100 without one: not split.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from ledger.books.store import Books
from ledger.cli import cli
from ledger.saft import SaftOptions, parse_saft, read_saft, write_saft
from ledger.saft.split import LineAmount, Share, SplitProblem, split_line
from tests.support.inputs import add_inputs
from tests.support.saft_helpers import SPLIT_110, SPLIT_130

A100P7, A102P7 = {"A": "100", "P": "7"}, {"A": "102", "P": "7"}
# (voucher, account, øre, dims, src_line): src_line is the line of the <n1:Line> element.
EXPECTED = [
    ("T1", "6730", 250000, A100P7, 65), ("T1", "6730", 750000, A102P7, 65), ("T1", "2400", -1000000, {}, 72),
    ("T2", "2400", 300000, {}, 81), ("T2", "6300", -100000, {"A": "100"}, 85),
    ("T2", "6300", -200000, {"A": "101"}, 85),
    ("T3", "6300", 3334, {"A": "100"}, 96), ("T3", "6300", 3333, {"A": "101"}, 96),
    ("T3", "6300", 3334, {"A": "102"}, 96), ("T3", "1940", -10001, {}, 103),
    ("T4", "6730", 60000, {"A": "100"}, 112), ("T4", "6730", -10000, {"A": "101"}, 112),
    ("T4", "2400", -50000, {}, 118),
    ("T5", "5000", 100000, {"P": "7", "A": "100"}, 127), ("T5", "1940", -100000, {}, 133),
]
# Opening + movements, by hand: 1940 20 000 − 100.01 − 1 000; 2400 −20 000 − 10 000 + 3 000 − 500; …
TRIAL_BALANCE = {"1940": 1889999, "2400": -2750000, "5000": 100000, "6300": -289999, "6730": 1050000}


def posted(lines) -> list[tuple]:
    return [(r.voucher, r.account, int(r.amount), json.loads(r.dims), int(r.src_line))
            for r in lines.itertuples()]


def run(books, *args):
    return CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])


def imported(tmp_path, source, name="b.sqlite"):
    books = tmp_path / name
    assert run(books, "init", "--chart-from", source).exit_code == 0
    result = run(books, "import", source, "--strict")
    assert result.exit_code == 0, result.output
    return books


@pytest.mark.parametrize("source", [SPLIT_110, SPLIT_130], ids=["1.10", "1.30"])
def test_each_share_is_a_line_with_its_dimension_and_amount(source):
    batches, violations, findings = read_saft(source, SaftOptions(strict=True))
    assert violations == [] and findings == []
    opening, journal = batches
    assert posted(journal.lines) == EXPECTED
    assert journal.lines.groupby("voucher")["amount"].sum().eq(0).all()  # every voucher to the øre
    assert opening.lines["amount"].tolist() == [2000000, -2000000]


def test_shares_keep_the_record_id_of_their_line():
    lines = parse_saft(SPLIT_110).lines
    t3 = lines[lines["voucher"] == "T3"]
    assert t3["record"].tolist() == ["1", "1", "1", "2"] and t3["src_line"].tolist() == [96, 96, 96, 103]
    assert parse_saft(SPLIT_110).line_elements == 10 and len(lines) == 15


def test_books_hold_the_shares_and_balance_to_opening_plus_movements(tmp_path):
    books = imported(tmp_path, SPLIT_130)
    with Books.open(books) as b:
        balance = dict(b.trial_balance_rows(2024))
        lines = b.lines(2024)
    assert balance == TRIAL_BALANCE
    assert posted(lines[lines["kind"] == "journal"]) == EXPECTED
    assert run(books, "audit").exit_code == 0


def test_explain_lists_the_shares_with_their_dimensions(tmp_path):
    books = imported(tmp_path, SPLIT_110)
    with Books.open(books) as opened:
        add_inputs(opened)
    out = run(books, "explain", "2024", "note_5", "kjop_konsulenttjenester", "--vouchers")
    assert out.exit_code == 0, out.output
    rows = [line.split() for line in out.output.splitlines() if line.strip().startswith(("T1 ", "T4 "))]
    assert [(r[0], r[3]) for r in rows] == [("T1", "2500.00"), ("T1", "7500.00"), ("T4", "600.00"),
                                            ("T4", "-100.00")]
    assert '{"A": "100", "P": "7"}' in out.output and '{"A": "102", "P": "7"}' in out.output


@pytest.mark.parametrize("source", [SPLIT_110, SPLIT_130], ids=["1.10", "1.30"])
def test_round_trip_import_export_import_is_stable(tmp_path, source):
    first = imported(tmp_path, source, "first.sqlite")
    exports = []
    for number, books in enumerate([first, None]):
        if books is None:
            books = imported(tmp_path, exports[0], "second.sqlite")
        with Books.open(books) as b:
            out = tmp_path / f"export{number}.xml"
            write_saft(out, 2024, b.accounts(), b.lines(2024), created=dt.date(2025, 1, 1))
            exports.append(out)
    assert exports[0].read_bytes() == exports[1].read_bytes()
    text = exports[0].read_text(encoding="utf-8")
    # T1's line went out as one Line with its two shares, the credit shares of T2 as credits.
    assert text.count("<n1:DebitAnalysisAmount><n1:Amount>7500.00</n1:Amount>") == 1
    assert text.count("<n1:CreditAnalysisAmount><n1:Amount>2000.00</n1:Amount>") == 1
    assert "<n1:CreditAnalysisAmount><n1:Amount>100.00</n1:Amount>" in text  # T4's negative share
    batches, violations, _ = read_saft(exports[0], SaftOptions(strict=True))
    assert violations == [] and [r[:4] for r in posted(batches[1].lines)] == [r[:4] for r in EXPECTED]


def refused(tmp_path, old: str, new: str):
    """Import the 1.10 file with ``old`` replaced by ``new``: the violations (and the books unchanged)."""
    text = SPLIT_110.read_text(encoding="utf-8")
    assert old in text
    source = tmp_path / "bad.xml"
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, violations, _ = read_saft(source)
    return source, violations


T1_A102 = "<n1:AnalysisID>102</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>7500.00"


@pytest.mark.parametrize("old, new, rule, message", [
    (T1_A102, T1_A102.replace("7500.00", "7500.01"), "analysis-split",
     "RecordID 1 (account 6730): the shares of analysis type A sum to 10000.01, the line is 10000.00 "
     "(difference 0.01)"),
    ("<n1:AnalysisType>P</n1:AnalysisType><n1:AnalysisID>7</n1:AnalysisID></n1:Analysis>",
     "<n1:AnalysisType>P</n1:AnalysisType><n1:AnalysisID>7</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>"
     "4000.00</n1:Amount></n1:AnalysisAmount></n1:Analysis><n1:Analysis><n1:AnalysisType>P</n1:AnalysisType>"
     "<n1:AnalysisID>8</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>6000.00</n1:Amount></n1:AnalysisAmount>"
     "</n1:Analysis>", "analysis-combination", "analysis types A (2 shares) and P (2 shares) both split"),
    ("<n1:AnalysisID>102</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>7500.00</n1:Amount></n1:AnalysisAmount>",
     "<n1:AnalysisID>102</n1:AnalysisID>", "analysis-duplicate",
     "analysis type 'A' appears 2 times on the line, not each with an amount"),
    ("<n1:AnalysisID>7</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>1000.00<",
     "<n1:AnalysisID>7</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>999.00<", "analysis-split",
     "RecordID 1 (account 5000): analysis P 7 has the amount 999.00, the line 1000.00"),
    (T1_A102 + "</n1:Amount>", T1_A102 + "</n1:Amount><n1:CurrencyCode>EUR</n1:CurrencyCode>"
     "<n1:CurrencyAmount>650.00</n1:CurrencyAmount>", "analysis-currency",
     "analysis A 102 gives an amount in EUR, on a line in the default currency"),
])
def test_shares_that_do_not_fit_the_line_are_refused_naming_it(tmp_path, old, new, rule, message):
    source, violations = refused(tmp_path, old, new)
    [violation] = violations  # once, however many analyses the line has
    assert (violation.rule, violation.voucher) == (rule, "T1" if "5000" not in message else "T5")
    assert message in violation.message
    assert violation.source.line == (65 if violation.voucher == "T1" else 127)


def test_a_refused_file_changes_nothing_and_each_violation_is_printed_once(tmp_path):
    source, _ = refused(tmp_path, T1_A102, T1_A102.replace("7500.00", "7400.00"))
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", SPLIT_110).exit_code == 0
    with Books.open(books) as b:
        before = b.counts(), b.head_hash()
    result = run(books, "import", source)
    assert result.exit_code == 1
    assert result.output.count("[analysis-split]") == 1 and f"{source}:65: voucher T1" in result.output
    with Books.open(books) as b:
        assert (b.counts(), b.head_hash()) == before


def test_many_violations_are_summarised_per_rule(tmp_path):
    # 60 transactions whose split does not add up, and one with an unbalanced line: 61 violations.
    text = SPLIT_110.read_text(encoding="utf-8")
    start, end = text.index("   <n1:Transaction>"), text.index("  </n1:Journal>")
    bad = text[start:text.index("   <n1:Transaction>", start + 1)].replace("7500.00</n1:Amount></n1:Analysis",
                                                                          "7000.00</n1:Amount></n1:Analysis")
    copies = "".join(bad.replace(">T1<", f">B{n}<") for n in range(60))
    unbalanced = bad.replace(">T1<", ">U1<").replace("<n1:Amount>10000.00</n1:Amount></n1:CreditAmount>",
                                                      "<n1:Amount>9999.00</n1:Amount></n1:CreditAmount>")
    source = tmp_path / "many.xml"
    source.write_text(text[:start] + copies + unbalanced + text[end:], encoding="utf-8")
    result = CliRunner().invoke(cli, ["saft-check", str(source)])
    assert result.exit_code == 1
    assert "... and 15 more; by rule:" in result.output
    assert "  analysis-split: 61\n" in result.output and "  transaction-balance: 1\n" in result.output
    assert "  control-total: 3\n" in result.output


def test_statskonto_and_artskonto_can_be_split_too(tmp_path):
    text = SPLIT_110.read_text(encoding="utf-8").replace(
        "<n1:AnalysisType>A</n1:AnalysisType><n1:AnalysisID>100</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>600",
        "<n1:AnalysisType>STATSKONT</n1:AnalysisType><n1:AnalysisID>0670.01</n1:AnalysisID><n1:AnalysisAmount>"
        "<n1:Amount>600").replace(
        "<n1:AnalysisType>A</n1:AnalysisType><n1:AnalysisID>101</n1:AnalysisID><n1:AnalysisAmount><n1:Amount>-100",
        "<n1:AnalysisType>STATSKONT</n1:AnalysisType><n1:AnalysisID>0671.21</n1:AnalysisID><n1:AnalysisAmount>"
        "<n1:Amount>-100")
    source = tmp_path / "statskonto.xml"
    source.write_text(text, encoding="utf-8")
    batches, violations, _ = read_saft(source)
    assert violations == []
    t4 = batches[1].lines[batches[1].lines["voucher"] == "T4"]
    assert list(zip(t4["statskonto"], t4["amount"], t4["dims"])) == [
        ("0670.01", 60000, "{}"), ("0671.21", -10000, "{}"), (None, -50000, "{}")]


# -- the split rule on its own ---------------------------------------------------------------------

def test_split_line_rules():
    line = LineAmount(1000)
    assert split_line([], line) == [((), 1000)]
    assert split_line([Share("A", "1"), Share("A", "1")], line) == [((("A", "1"),), 1000)]  # written twice
    assert split_line([Share("P", "7"), Share("A", "1", 400), Share("A", "2", 600)], line) == [
        ((("P", "7"), ("A", "1")), 400), ((("P", "7"), ("A", "2")), 600)]
    problem = split_line([Share("A", "1", 400), Share("A", "2", 601)], line)
    assert isinstance(problem, SplitProblem) and problem.rule == "analysis-split"


def test_split_in_a_foreign_currency_must_add_up_there_too():
    line = LineAmount(1000, "EUR", 100)
    good = [Share("A", "1", 400, "EUR", 40), Share("A", "2", 600, "EUR", 60)]
    assert split_line(good, line) == [((("A", "1"),), 400), ((("A", "2"),), 600)]
    bad = [Share("A", "1", 400, "EUR", 40), Share("A", "2", 600, "EUR", 61)]
    problem = split_line(bad, line)
    assert problem.rule == "analysis-split" and "sum to 1.01 EUR, the line is 1.00 EUR" in problem.message
    assert split_line([Share("A", "1", 1000, "SEK", 100)], line).rule == "analysis-currency"
