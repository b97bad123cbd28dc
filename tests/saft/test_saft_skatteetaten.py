"""Skatteetaten's full example file (issue #20's "done when"), when it is at hand.

The file (``SAF-T Financial_888888888_20180228235959.xml``, in Skatteetaten's saf-t
repository under ``Example Files/``) comes without a licence, so it is not bundled:
point ``LEDGER_SAFT_FULL_EXAMPLE`` at a copy to run this test.  The figures asserted
were checked by hand against the file.
"""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from ledger.cli import cli

FULL = os.environ.get("LEDGER_SAFT_FULL_EXAMPLE")
pytestmark = pytest.mark.skipif(not FULL or not Path(FULL).is_file(),
                                reason="LEDGER_SAFT_FULL_EXAMPLE does not name Skatteetaten's full example file")
NS = {"n": "urn:StandardAuditFile-Taxation-Financial:NO"}


def run(books, *args):
    return CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])


def side(element, debit: str, credit: str) -> Decimal:
    found = element.findtext(debit, namespaces=NS)
    return Decimal(found) if found is not None else -Decimal(element.findtext(credit, namespaces=NS) or 0)


def opening_plus_movements(path: str) -> dict[str, Decimal]:
    """Each account's opening balance plus its lines, read from the file with plain lxml."""
    root = etree.parse(path).getroot()
    balances = {a.findtext("n:AccountID", namespaces=NS): side(a, "n:OpeningDebitBalance", "n:OpeningCreditBalance")
                for a in root.iterfind(".//n:GeneralLedgerAccounts/n:Account", NS)}
    for line in root.iterfind(".//n:Transaction/n:Line", NS):
        balances[line.findtext("n:AccountID", namespaces=NS)] += side(line, "n:DebitAmount/n:Amount",
                                                                      "n:CreditAmount/n:Amount")
    return balances


def test_full_example_imports_into_books_from_its_own_chart(tmp_path):
    books = tmp_path / "b.sqlite"
    assert run(books, "init", "--chart-from", FULL).exit_code == 0
    result = run(books, "import", "--opening-suspense", "2059", FULL)
    assert result.exit_code == 0, result.output
    assert "53 vouchers, 206 lines" in result.output  # 170 Line elements, 36 of them split
    assert ("finding: account 1920: stated closing balance 670568.75, opening + movements 724407.00 "
            "(difference -53838.25)") in result.output
    rows = csv.DictReader(io.StringIO(run(books, "balance", "2017", "--format", "csv").output))
    balance = {row["account"]: Decimal(row["balance"]) for row in rows}
    expected = opening_plus_movements(FULL)
    assert {a: balance.get(a, Decimal(0)) for a in expected} == expected
    assert balance["2059"] == -sum(expected.values()) == Decimal("-2545410.00")  # the opening difference
    out = tmp_path / "export.xml"
    assert run(books, "export", "saft", "2017", "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # Voucher 1003: 20 000 on 6200, department 100 5 000 and department 102 15 000.
    assert ("<n1:AnalysisType>A</n1:AnalysisType><n1:AnalysisID>100</n1:AnalysisID><n1:DebitAnalysisAmount>"
            "<n1:Amount>5000.00</n1:Amount>") in text
