"""The bad-input corpus: every file is refused with ``file:line``, voucher and rule, exit 1,
and the books unchanged; multi-file imports are all or nothing; running totals that would
pass int64 are refused before posting."""

from __future__ import annotations

import pytest

from tests.reliability.conftest import HEADER, payroll, run, state

GOOD = "2024-03-05,V1,5000,100.00,0670.01,,lønn\n2024-03-05,V1,1940,-100.00,,,lønn\n"

# name: (file content, rule, physical line of the first violation)
CORPUS = {
    "arabic-indic digits": (HEADER + "2024-03-05,V1,5000,١٠٠,0670.01,,x\n2024-03-05,V1,1940,-100,,,x\n", "amount", 2),
    "fullwidth digit": (HEADER + "2024-03-05,V1,5000,５,0670.01,,x\n2024-03-05,V1,1940,-5,,,x\n", "amount", 2),
    "fullwidth statskonto": (HEADER + "2024-03-05,V1,5000,5,０６７０.０１,,x\n2024-03-05,V1,1940,-5,,,x\n",
                             "statskonto-format", 2),
    "unpadded date": (HEADER + "2024-1-5,V1,5000,5,0670.01,,x\n2024-1-5,V1,1940,-5,,,x\n", "date", 2),
    "year 0": (HEADER + "0000-03-05,V1,5000,5,0670.01,,x\n0000-03-05,V1,1940,-5,,,x\n", "date", 2),
    "year 2100": (HEADER + "2100-03-05,V1,5000,5,0670.01,,x\n2100-03-05,V1,1940,-5,,,x\n", "date", 2),
    "no such day": (HEADER + "2024-02-30,V1,5000,5,0670.01,,x\n2024-02-30,V1,1940,-5,,,x\n", "date", 2),
    "misspelt column": (HEADER.replace("amount", "amout") + GOOD, "header", 1),
    "dimension with underscore": (HEADER.replace("\n", ",dim_project\n") + GOOD.replace("\n", ",P1\n"), "header", 1),
    "duplicated column": (HEADER.replace("amount", "amount,amount") + GOOD.replace("100.00", "100.00,1"), "header", 1),
    "header only": (HEADER, "empty", 1),
    "empty file": ("", "empty", 1),
    "not utf-8": (HEADER + "2024-03-05,V1,5000,5,0670.01,,\xff\n", "encoding", 1),
    "three decimals": (HEADER + "2024-03-05,V1,5000,5.001,0670.01,,x\n2024-03-05,V1,1940,-5.001,,,x\n", "amount", 2),
    "exponent": (HEADER + "2024-03-05,V1,5000,1e5,0670.01,,x\n2024-03-05,V1,1940,-1e5,,,x\n", "amount", 2),
    "nan": (HEADER + "2024-03-05,V1,5000,NaN,0670.01,,x\n2024-03-05,V1,1940,-5,,,x\n", "amount", 2),
    "line after blank lines": (HEADER + "\n\n" + GOOD.replace("-100.00", "-99.00"), "voucher-balance", 4),
    "line after a quoted newline": (HEADER + '2024-03-05,V0,5000,5.00,0670.01,,"two\nlines"\n'
                                    '2024-03-05,V0,1940,-5.00,,,x\n2024-03-05,V1,5000,x,0670.01,,x\n', "amount", 5),
    "more fields than the header": (HEADER + GOOD + "2024-03-05,V2,5000,5,0670.01,,x,extra,more\n", "csv", 1),
    "unbalanced": (HEADER + GOOD.replace("-100.00", "-99.99"), "voucher-balance", 2),
    "unknown account": (HEADER + GOOD.replace("5000", "5009"), "account-unknown", 2),
    "one line voucher": (HEADER + "2024-03-05,V1,5000,0,0670.01,,x\n", "voucher-lines", 2),
    "two dates in a voucher": (HEADER + "2024-03-05,V1,5000,5,0670.01,,x\n2024-03-06,V1,1940,-5,,,x\n",
                               "voucher-date", 2),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_bad_input_is_refused_naming_line_and_rule(case, books_copy, tmp_path):
    content, rule, line = CORPUS[case]
    path = tmp_path / "bad.csv"
    path.write_bytes(content.encode("utf-8", errors="surrogateescape") if "\xff" not in content
                     else content.encode("latin-1"))
    before = state(books_copy)
    result = run(books_copy, "import", path)
    assert result.exit_code == 1, (case, result.output)
    assert f"[{rule}]" in result.output, (case, result.output)
    assert f"{path}:{line}:" in result.output or (line == 1 and f"{path}: [" in result.output), result.output
    assert "nothing posted" in result.output and "Traceback" not in result.output
    assert state(books_copy) == before


def test_a_misspelt_column_gets_the_closest_name(books_copy, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.replace("amount", "amout").replace("\n", ",dim_project\n") + GOOD, encoding="utf-8")
    output = run(books_copy, "import", path).output
    assert "did you mean 'amount'?" in output and "did you mean 'dim.project'?" in output


def test_multi_file_import_is_all_or_nothing(books_copy, tmp_path):
    good = payroll(tmp_path / "good.csv", 5, "G")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD.replace("-100.00", "-99.00"), encoding="utf-8")
    before = state(books_copy)
    result = run(books_copy, "import", good, bad)
    assert result.exit_code == 1
    assert f"1 of 2 files refused ({bad})" in result.output and "nothing posted from any file" in result.output
    assert state(books_copy) == before
    bad.write_text(HEADER + GOOD, encoding="utf-8")  # fixed: both post, the good one is no duplicate
    result = run(books_copy, "import", good, bad)
    assert result.exit_code == 0, result.output
    assert state(books_copy)["counts"][0] == before["counts"][0] + 2


def test_the_same_file_twice_in_one_import_is_refused(books_copy, tmp_path):
    good = payroll(tmp_path / "good.csv", 5, "G")
    result = run(books_copy, "import", good, good)
    assert result.exit_code == 1 and "[batch-duplicate]" in result.output


def test_running_totals_past_int64_are_refused(books_copy, tmp_path):
    """Three files each within the per-file limit whose totals of one account pass 2^63 øre."""
    big = "2" + "0" * 15  # 2 * 10^15 kr = 2 * 10^17 øre a line: a file is well within the bound
    files = []
    for i in range(3):
        path = tmp_path / f"big{i}.csv"
        path.write_text(HEADER + f"2024-05-01,W{i},6730,{big}.00,,,x\n2024-05-01,W{i},2400,-{big}.00,,,x\n",
                        encoding="utf-8")
        files.append(path)
    results = [run(books_copy, "import", f) for f in files]
    assert [r.exit_code for r in results] == [0, 0, 1], [r.output for r in results]
    assert "[amount-bound]" in results[2].output
    balance = run(books_copy, "balance", "2024")
    assert balance.exit_code == 0, balance.output
    assert run(books_copy, "audit").exit_code == 0
    before = state(books_copy)
    close = run(books_copy, "close", "2024")  # its own entries would pass the bound: refused, not wrapped
    assert close.exit_code == 1 and "[amount-bound]" in close.output and "Traceback" not in close.output
    assert state(books_copy) == before
