"""SAF-T import: the example file, control totals, opening balances, schema refusals, entities."""

from __future__ import annotations

import pytest
from tests.support.saft_helpers import EXAMPLE, SAFT_CHART, SMALL_130

from ledger.saft import SaftOptions, parse_saft, read_saft
from ledger.saft.chart import chart_rows, state_codes, unmapped
from tests.support.books import REFERENCE
from ledger.books.store import Books


def write(tmp_path, text: str | bytes, name: str = "f.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def rules(violations) -> set[str]:
    return {v.rule for v in violations}


def test_example_file_imports_into_books_from_its_own_chart(tmp_path):
    saft = parse_saft(EXAMPLE)
    assert saft.version == "1.10" and saft.transactions == 2 and len(saft.accounts) == 4
    batches, violations, findings = read_saft(EXAMPLE, SaftOptions(opening_suspense="9999"))
    assert violations == []
    with Books.create(tmp_path / "b.sqlite", chart_rows(saft.accounts, state_codes(REFERENCE.chart)) + [("9999", "Suspense", None, None)]) as books:
        for batch in batches:
            books.post(batch)
        balance = dict(zip(*books.trial_balance(2015).to_dict("list").values()))
    opening = {a.id: a.opening for a in saft.accounts}
    movements = saft.lines.groupby("account")["amount"].sum()
    for account in opening:
        assert balance[account] == opening[account] + int(movements.get(account, 0))
    assert balance["9999"] == -sum(opening.values())
    assert sum(balance.values()) == 0
    # Every account's stated closing balance differs from opening + movements in the example.
    assert {(f.account, f.stated, f.computed) for f in findings} == {
        ("1925", 1234567, 123456 - 1250000), ("2400", -1234567, -123456),
        ("2740", -1234567, -123456 + 250000), ("4000", 0, 1000000)}


def test_unbalanced_opening_is_refused_with_the_difference():
    batches, violations, _ = read_saft(EXAMPLE)
    assert batches == []
    [violation] = violations
    assert violation.rule == "opening-balance" and "difference -1234.56" in violation.message


def test_strict_refuses_closing_balance_findings(tmp_path):
    _, violations, findings = read_saft(EXAMPLE, SaftOptions(opening_suspense="9999", strict=True))
    assert len(findings) == 4 and rules(violations) == {"closing-balance"}
    _, violations, findings = read_saft(write(tmp_path, SMALL_130), SaftOptions(strict=True))
    assert violations == [] and findings == []


def test_small_130_file_reads_lines_dimensions_and_artskonto(tmp_path):
    batches, violations, findings = read_saft(write(tmp_path, SMALL_130))
    assert violations == [] and findings == []
    opening, journal = batches
    assert opening.kind == "opening" and opening.lines["amount"].tolist() == [100000, -100000]
    first = journal.lines.iloc[0]
    assert (first.voucher, first.account, first.amount, first.artskonto, first.dims) == (
        "T1", "6730", 10000, "673", '{"A": "100"}')
    assert journal.lines["amount"].sum() == 0 and journal.lines["year"].unique().tolist() == [2024]


def test_analysis_types_for_statskonto_are_chosen_by_option(tmp_path):
    path = write(tmp_path, SMALL_130)
    batches, _, _ = read_saft(path, SaftOptions(statskonto_analysis="A", artskonto_analysis=None))
    first = batches[1].lines.iloc[0]
    assert first.statskonto == "100" and first.artskonto is None
    assert first.dims == '{"ARTSKONTO": "673"}'


@pytest.mark.parametrize("old, new, rule, named", [
    ("<n1:NumberOfEntries>2<", "<n1:NumberOfEntries>3<", "control-total", "NumberOfEntries"),
    ("<n1:TotalDebit>250.00<", "<n1:TotalDebit>250.01<", "control-total", "TotalDebit"),
    ("<n1:TotalCredit>250.00<", "<n1:TotalCredit>25<", "control-total", "TotalCredit"),
    ("<n1:Amount>25.00</n1:Amount>", "<n1:Amount>26.00</n1:Amount>", "transaction-balance", "T1"),
    ("<n1:TransactionID>T2<", "<n1:TransactionID>T1<", "transaction-duplicate", "T1"),
])
def test_control_totals_and_transaction_balance_refuse(tmp_path, old, new, rule, named):
    batches, violations, _ = read_saft(write(tmp_path, SMALL_130.replace(old, new, 1)))
    assert batches == [] and rule in rules(violations)
    assert any(named in v.message for v in violations if v.rule == rule)


def test_schema_failure_names_the_schema_and_line(tmp_path):
    text = SMALL_130.replace("<n1:AccountType>GL</n1:AccountType>", "", 1)
    _, violations, _ = read_saft(write(tmp_path, text))
    assert rules(violations) == {"saft-format"}
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "OpeningDebitBalance>1000" in row)
    assert any(v.source.line == line and "schema 1.30" in v.message for v in violations)


def test_header_names_the_schema(tmp_path):
    # The 1.30 file is not valid 1.10 and vice versa: the header decides.
    assert parse_saft(write(tmp_path, SMALL_130)).version == "1.30"
    _, violations, _ = read_saft(write(tmp_path, SMALL_130.replace(">1.30<", ">1.20<", 1)))
    assert "no packaged schema" in violations[0].message


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE n1:AuditFile [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE n1:AuditFile [<!ENTITY e SYSTEM "http://127.0.0.1:1/x">]>',
    '<!DOCTYPE n1:AuditFile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY e "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    '<!DOCTYPE n1:AuditFile SYSTEM "http://127.0.0.1:1/x.dtd">',
    '<!DOCTYPE n1:AuditFile [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
])
def test_entities_and_dtds_are_refused(tmp_path, doctype):
    text = SMALL_130.replace("?>\n", "?>\n" + doctype + "\n", 1).replace(">Faktura</n1:Description>",
                                                                           ">&e;</n1:Description>", 1)
    batches, violations, _ = read_saft(write(tmp_path, text))
    assert batches == [] and violations
    assert "root:" not in " ".join(v.message for v in violations)


def test_unmapped_accounts_are_listed():
    assert [a.id for a, _ in unmapped(parse_saft(EXAMPLE).accounts, state_codes(REFERENCE.chart))] == ["1925", "2400", "2740", "4000"]


def test_chart_from_keeps_ids_and_takes_skp_from_ks(tmp_path):
    rows = chart_rows(parse_saft(write(tmp_path, SMALL_130)).accounts, state_codes(REFERENCE.chart))
    assert rows == [("1930", "KK innbetalinger", "193", None), ("2400", "Leverandørgjeld", "240", None),
                    ("6730", "Konsulenter", "673", None), ("2740", "Mva", None, None)]
    assert {r[0] for r in rows} <= {c[0] for c in SAFT_CHART}
