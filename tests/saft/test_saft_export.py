"""SAF-T export: schema-valid 1.30, and export → import gives the same books."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch, voucher

from ledger.books.setup import create_books, reference_of
from tests.support.books import REFERENCE
from ledger.journal.batch import batch_from_vouchers
from ledger.core.records import Line, Voucher
from ledger.saft import Company, SaftOptions, read_saft, validate, write_saft
from ledger.saft.write import _analysis_types
from ledger.books.store import Books


def small_ledger(books: Books, dims: dict | None = None) -> None:
    """Opening balance, pay with withheld tax, an invoice with dimensions, and its payment."""
    opening = Voucher("IB2024", dt.date(2024, 1, 1), [Line("1940", -50000), Line("2400", -20000),
                                                       Line("6730", 70000)])
    books.post(batch(opening, source="opening", kind="opening"))
    books.post(batch_from_vouchers([
        voucher("L1", ("5000", 100000, "0670.01"), ("1940", -70000), ("2600", -30000)),
        Voucher("F1", dt.date(2024, 3, 5), [
            Line("6730", 10000, dimensions=dims or {"prosjekt": "P1", "avdeling": "12"},
                 text="Konsulent <&> «æøå»"),
            Line("2400", -10000, text="Leverandør")]),
        Voucher("B1", dt.date(2024, 4, 1), [
            Line("2400", 10000, "0670.01", "673", text="Betaling"), Line("1940", -10000)]),
    ], source="journal"))


def same_books(original: Books, copy: Books, year: int) -> None:
    """Same trial balance and vouchers (dimension names as SAF-T analysis types)."""
    assert original.trial_balance(year).equals(copy.trial_balance(year))
    columns = ["voucher", "date", "account", "amount", "statskonto", "artskonto", "text", "dims"]

    def vouchers(books):
        lines = books.lines(year)
        return lines[lines["kind"] != "opening"][columns].reset_index(drop=True)

    before = vouchers(original)
    parsed = [json.loads(d) for d in before["dims"]]
    types = _analysis_types({name for d in parsed for name in d})
    before["dims"] = [json.dumps({types[k]: v for k, v in d.items()}, ensure_ascii=False, sort_keys=True)
                      for d in parsed]
    assert before.equals(vouchers(copy))


def test_export_is_valid_130_and_round_trips(books, tmp_path):
    small_ledger(books)
    out = tmp_path / "saft.xml"
    counts = write_saft(out, 2024, books.accounts(), books.lines(2024), Company("974760673", "Testdirektoratet"))
    assert counts == {"accounts": len(SMALL_CHART), "transactions": 3, "lines": 7, "shares": 7}
    validate(out, "1.30")
    batches, violations, findings = read_saft(out)
    assert violations == [] and findings == []
    with Books.create(tmp_path / "copy.sqlite", SMALL_CHART, SMALL_BUDGET) as copy:
        for b in batches:
            copy.post(b)
        same_books(books, copy, 2024)


def test_long_dimension_names_get_short_types(books, tmp_path):
    small_ledger(books, {"prosjekt": "P1", "avdelingsnummer": "12"})
    out = tmp_path / "saft.xml"
    write_saft(out, 2024, books.accounts(), books.lines(2024))
    text = out.read_text(encoding="utf-8")
    assert "<n1:AnalysisType>D00</n1:AnalysisType>" in text and "avdelingsnummer" in text
    batches, _, _ = read_saft(out, SaftOptions())
    lines = batches[1].lines
    assert lines.loc[lines["voucher"] == "F1", "dims"].iloc[0] == '{"D00": "12", "prosjekt": "P1"}'


@pytest.mark.slow
def test_2024_example_books_export_valid(tmp_path, imdi_2024_template):
    # the example as `ledger init --example 2024` makes it: IMDi's own accounts (its agency
    # folder) are in its chart, so the copy is made with the same chart
    shutil.copyfile(imdi_2024_template, tmp_path / "b.sqlite")
    with Books.open(tmp_path / "b.sqlite") as books:
        out = tmp_path / "saft.xml"
        write_saft(out, 2024, books.accounts(), books.lines(2024))
        validate(out, "1.30")
        batches, violations, _ = read_saft(out)
        assert violations == []
        with create_books(tmp_path / "copy.sqlite", reference_of(books, REFERENCE)) as copy:
            for b in batches:
                copy.post(b)
            same_books(books, copy, 2024)
