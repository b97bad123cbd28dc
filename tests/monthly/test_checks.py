"""`ledger check`: each check of monthly_checks.csv passes on good books and fires on a crafted voucher."""

from __future__ import annotations


from ledger.reconcile.monthly_checks import run_monthly_checks
from ledger.reference.bundle import load_reference
from ledger.reference.tables import read_table
from tests.monthly.conftest import HEADER
from tests.reliability.conftest import run
from tests.support.cash_books import lines_frame, year_data

RULES = {row["rule"] for _, row in read_table(load_reference().data_dir / "monthly_checks.csv")}


def _post(path, tmp, text: str) -> None:
    (tmp / "extra.csv").write_text(HEADER + text, encoding="utf-8")
    result = run(path, "import", tmp / "extra.csv")
    assert result.exit_code == 0, result.output


def test_every_rule_has_a_source():
    for _, row in read_table(load_reference().data_dir / "monthly_checks.csv"):
        assert row["source"] and row["description"], row["rule"]
    assert RULES == {"report-sums-zero", "statskonto-allocation", "statskonto-artskonto",
                     "mellomvaerende-no-statskonto", "settlement-identity"}


def test_good_books_pass(three_months):
    result = run(three_months, "check", "2024-03")
    assert result.exit_code == 0, result.output
    assert result.output.count("ok   ") == len(RULES)


def test_no_allocation(three_months, tmp_path):
    # 0671.62 is in the catalogue but has no row in appropriations.csv
    _post(three_months, tmp_path, "2024-03-15,T9,8700,50.00,0671.62,,grant\n2024-03-15,T9,1940,-50.00,,,grant\n")
    result = run(three_months, "check", "2024-03")
    assert result.exit_code == 1
    assert "FAIL statskonto-allocation" in result.output
    assert "[statskonto-allocation] statskonto 0671.62: an own post without an allocation" in result.output
    assert "amount 50.00; vouchers T9" in result.output
    assert run(three_months, "check", "2024-02").exit_code == 0  # March's voucher is not in February


def test_combination_not_allowed(three_months, tmp_path):
    # collection income (848) on an expense chapter: the chart allows it on 5309 only
    _post(three_months, tmp_path, "2024-03-16,X2,8480,-10.00,0670.01,,wrong post\n2024-03-16,X2,1930,10.00,,,KK\n")
    result = run(three_months, "check", "2024-03", "--month-only")
    assert result.exit_code == 1
    assert "[statskonto-artskonto] statskonto 0670.01 artskonto 848: a combination the standard chart does not " \
           "allow" in result.output
    assert "amount -10.00; vouchers X2" in result.output
    assert "FAIL statskonto-allocation" not in result.output


def test_mellomvaerende_with_statskonto(three_months, tmp_path):
    # balances and keeps the settlement identity (reported 100-50, settled -50), but 2600 carries a statskonto
    _post(three_months, tmp_path, "2024-03-17,M1,5000,100.00,0670.01,,pay\n2024-03-17,M1,2600,-50.00,0670.01,,tax\n"
                                  "2024-03-17,M1,2400,-50.00,,,owed\n")
    result = run(three_months, "check", "2024-03")
    assert result.exit_code == 1
    assert "[mellomvaerende-no-statskonto] statskonto 0670.01 account 2600: a KK or mellomværende account carries " \
           "a statskonto; amount -50.00; vouchers M1" in result.output


def test_identity_and_sum_fire_on_lines_the_posting_rules_never_let_in():
    # A voucher whose reported line has no KK counterpart (only an import that bypasses the
    # posting rules could hold it): both the per-voucher identity and the report's sum fire.
    lines = lines_frame([("V1", "journal", [("5000", 100, "0670.01"), ("2400", -100)]),
                         ("V2", "journal", [("5000", 40, "0670.01"), ("1940", -40)])])
    data = year_data(lines, "0670.01,0,1000,0,,0,0,,0,0\n")
    outcomes = {o.check.rule: o for o in run_monthly_checks(data)}
    assert [(f.vouchers, f.amount) for f in outcomes["settlement-identity"].findings] == [(("V1",), 10_000)]
    assert [f.amount for f in outcomes["report-sums-zero"].findings] == [10_000]
    assert outcomes["statskonto-allocation"].ok and outcomes["statskonto-artskonto"].ok


def test_statskonto_outside_the_catalogue():
    lines = lines_frame([("V1", "journal", [("5000", 100, "0672.60"), ("1940", -100)])])
    outcomes = {o.check.rule: o for o in run_monthly_checks(year_data(lines, ""))}
    assert [f.statskonto for f in outcomes["statskonto-allocation"].findings] == ["0672.60"]
    assert "not in the 2024 budget catalogue" in outcomes["statskonto-allocation"].findings[0].message


def test_close_runs_the_checks_first(three_months, tmp_path):
    _post(three_months, tmp_path, "2024-03-15,T9,8700,50.00,0671.62,,grant\n2024-03-15,T9,1940,-50.00,,,grant\n")
    result = run(three_months, "close", "2024")
    assert "check before close: [statskonto-allocation] statskonto 0671.62" in result.output
