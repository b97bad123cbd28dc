"""The chart of accounts, its roles and sides, the budget catalogue, and the SRS coverage proof."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ledger.chart_of_accounts import DATA_DIR
from ledger.reference.budget import load_note_b_rules, load_post_groups, parse_budget
from tests.support.inputs import IMDI_BUDGET


def load_budget(content: bytes = IMDI_BUDGET):
    return parse_budget(content, "budget.csv", 2024, load_post_groups(), load_note_b_rules())
from ledger.reference.chart import is_reserved, load_chart
from ledger.reference.tables import ChartError
from ledger.reference.bundle import load_reference


@pytest.fixture(scope="module")
def chart():
    return load_chart()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def _skp_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "skp" / "STAT_Grouping_Category_Code.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def test_every_skp_code_loads(chart):
    rows = _skp_rows()
    assert len(chart.skp_accounts) == len(rows)
    for row in rows:
        code = row["GroupingCode"]
        skp = chart.skp_accounts[code]
        assert skp.account_class == int(code[0]) and skp.normal_side in ("debit", "credit")
        if is_reserved(skp.name):
            continue
        book = code if len(code) == 4 else code + "0"  # 197/198/199: 1970/1980/1990 are SKP codes
        assert book in chart.accounts, code


def test_bookkeeping_accounts_are_four_digits_with_existing_skp(chart):
    for code, account in chart.accounts.items():
        assert len(code) == 4 and code.startswith(account.skp)
        assert account.skp in chart.skp_accounts


def test_roles(chart):
    assert (chart.kk_in, chart.kk_out) == ("1930", "1940")
    assert {"1540", "1541", "1542", "2600", "2630", "2790", "2800", "2810", "2930"} <= chart.settlement_accounts
    assert "2780" not in chart.settlement_accounts  # accrued employer's tax is not reported
    assert {"1985", "1986", "1987", "1990", "1991", "1997", "1998", "1999"} <= set(chart.accounts_with_role("avregning"))
    assert not set(chart.accounts_with_role("avregning")) & chart.settlement_accounts


@pytest.mark.parametrize("code, side", [("1040", "debit"), ("1049", "credit"), ("1940", "credit"),
                                        ("2400", "credit"), ("3900", "credit"), ("5040", "credit"),
                                        ("5800", "credit"), ("6730", "debit"), ("8490", "debit"),
                                        ("8790", "credit"), ("1991", "debit")])
def test_normal_side(chart, code, side):
    assert chart.accounts[code].normal_side == side


def test_asset_groups(chart):
    groups = {a.asset_group for a in chart.accounts.values() if a.asset_group}
    assert groups == {"programvare", "immaterielle_under_utforelse", "driftslosore", "anlegg_under_utforelse"}
    assert chart.accounts["1049"].asset_part == "depreciation"


def test_from_accounts(chart):
    small = type(chart).from_accounts([chart.accounts["1930"], chart.accounts["6730"]])
    assert "6730" in small.accounts and "1940" not in small.accounts
    assert small.settlement_accounts == frozenset({"1930"})


def test_budget_2024():
    budget = load_budget()
    assert len(budget) == 18 and "0671.61" in budget and "0671.99" not in budget
    assert {p.statskonto for p in budget if p.kan_overfores} == {"0601.21", "0671.45", "0671.60"}
    assert {p.statskonto for p in budget if p.overslagsbevilgning} == {"0671.61"}
    assert budget.get("0671.45").post_group == "investering"
    assert budget.get("5700.72").side == "income"
    rules = budget.note_b
    assert (rules.rate_percent, rules.excluded_posts, rules.kan_overfores_cap_years) == (5, (24,), 2)
    assert [p.statskonto for p in budget if rules.subject_to_five_percent(p)] == ["0670.01"]


def test_real_mappings_validate():
    load_reference()


def _check(folder: Path) -> None:
    load_reference(folder)


def test_new_skp_account_without_mapping_fails(data_copy):
    """Un-reserving SKP 608 adds account 6080, which no SRS line takes: validation must fail."""
    skp = data_copy / "skp" / "STAT_Grouping_Category_Code.csv"
    text = skp.read_text(encoding="utf-8-sig")
    assert "KS;Kontoplan_stat;608;Reservert" in text
    skp.write_text(text.replace("KS;Kontoplan_stat;608;Reservert", "KS;Kontoplan_stat;608;Ny avskrivning"),
                   encoding="utf-8-sig")
    with pytest.raises(ChartError, match=r"coverage.*account 6080 must be on exactly one line of resultat\|balanse"):
        _check(data_copy)


def test_narrowed_mapping_row_fails(data_copy):
    """A range that no longer reaches account 8150 leaves it without an SRS line."""
    path = data_copy / "srs_map.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("resultat,8100,8199,", "resultat,8100,8149,"),
                    encoding="utf-8")
    with pytest.raises(ChartError, match="account 8150 must be on exactly one line"):
        _check(data_copy)


@pytest.mark.parametrize("row, rule", [
    ("6739,Ukjent,999,,,,test", "skp-unknown"),
    ("6739,Reservert konto,681,,,,test", "skp-unknown"),
    ("6739,Feil gruppe,672,,,,test", "skp-mismatch"),
    ("6730,Dobbel,673,,,,test", "account-duplicate"),
    ("6739,Rolle,673,bank,,,test", "role-unknown"),
    ("6739,Del,673,,programvare,,test", "asset-part"),
    ("673,Tre sifre,673,,,,test", "account-format"),
])
def test_bad_account_rows(data_copy, row, rule):
    _append(data_copy / "accounts.csv", row)
    with pytest.raises(ChartError, match=rf"accounts\.csv:\d+: \[{rule}\]"):
        load_chart(data_copy)


def test_two_kk_in_accounts_fail(data_copy):
    _append(data_copy / "accounts.csv", "1931,KK inn 2,193,kk_in,,,test")
    with pytest.raises(ChartError, match="role-count"):
        load_chart(data_copy)


@pytest.mark.parametrize("row, rule", [
    ("0670.1,X,Y,drift,no,no,own,test", "statskonto-format"),
    ("0670.01,X,Y,drift,no,no,own,test", "statskonto-duplicate"),
    ("0670.45,X,Y,drift,no,no,own,test", "post-group"),
    ("0670.21,X,Y,drift,maybe,no,own,test", "flag"),
    ("0670.21,X,Y,drift,no,no,borrowed,test", "relation"),
])
def test_bad_budget_rows(row, rule):
    with pytest.raises(ChartError, match=rf"budget\.csv:\d+: \[{rule}\]"):
        load_budget(IMDI_BUDGET + row.encode() + b"\n")


def test_asset_group_on_wrong_balance_line_fails(data_copy):
    path = data_copy / "asset_groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "programvare,note_3,programvare,programvare,", "programvare,note_3,programvare,driftslosore,"),
        encoding="utf-8")
    with pytest.raises(ChartError, match=r"\[asset-group-line\] account 1040"):
        _check(data_copy)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA_DIR.glob("*.csv")))
def test_every_row_cites_a_source(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert row["source"].strip(), (name, row)
