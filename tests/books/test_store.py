"""The books: posting rules, atomic batches, append-only lines, the hash chain."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from tests.support.tamper import tamper

from tests.support.small import batch, voucher
from ledger.books.store import Books, BooksError, PostingRefused

SALARY = voucher("L1", ("5000", 100_000, "0670.01"), ("1940", -70_000), ("2600", -30_000))
TAX_PAID = voucher("L2", ("2600", 30_000), ("1940", -30_000))
AGA = voucher("A1", ("5400", 14_100, "0670.01"), ("1986", -14_100, "5700.72"))
INVOICE = voucher("F1", ("6730", 10_000), ("1987", 2_500), ("2400", -12_500))
INVOICE_PAID = voucher("F2", ("2400", 10_000, "0670.01"), ("2400", 2_500, "1633.01"), ("1940", -12_500))


def rules_broken(books, *vouchers, kind="journal"):
    with pytest.raises(PostingRefused) as refused:
        books.post(batch(*vouchers, kind=kind))
    return sorted({v.rule for v in refused.value.violations})


def test_the_domain_examples_post_and_balance(books):
    posted = books.post(batch(SALARY, TAX_PAID, AGA, INVOICE, INVOICE_PAID))
    assert (posted.line_count, posted.voucher_count) == (13, 5)
    assert posted.debit == posted.credit
    tb = books.trial_balance(2024).set_index("key")["amount"]
    assert tb.sum() == 0
    assert tb["1940"] == -112_500 and tb["2600"] == 0 and tb["2400"] == 0
    by_sk = books.trial_balance(2024, by="statskonto").set_index("key")["amount"]
    assert by_sk.to_dict() == {"": -112_500, "0670.01": 124_100, "1633.01": 2_500, "5700.72": -14_100}


@pytest.mark.parametrize("bad, rule", [
    (voucher("X", ("5000", 100, "0670.01"), ("1940", -99)), "voucher-balance"),
    (voucher("X", ("5000", 0, "0670.01")), "voucher-lines"),
    (voucher("X", ("9999", 100, "0670.01"), ("1940", -100)), "account-unknown"),
    (voucher("X", ("5000", 100, "670.01"), ("1940", -100)), "statskonto-format"),
    (voucher("X", ("5000", 100, "0671.99"), ("1940", -100)), "statskonto-unknown"),
    (voucher("X", ("5000", 100), ("1940", -100)), "settlement-identity"),
    (voucher("X", ("6730", 100, "0670.01"), ("2400", -100)), "settlement-identity"),
])
def test_each_rule(books, bad, rule):
    assert rules_broken(books, bad) == [rule]


def test_all_violations_are_collected_with_locations(books):
    bad = [voucher("B1", ("5000", 100, "0670.01"), ("1940", -99)),
           voucher("B2", ("9999", 100), ("1940", -100))]
    with pytest.raises(PostingRefused) as refused:
        books.post(batch(*bad, source="feb.csv"))
    found = {(v.rule, v.voucher) for v in refused.value.violations}
    assert found == {("voucher-balance", "B1"), ("account-unknown", "B2"), ("settlement-identity", "B2")}
    assert all(str(v.source).startswith("feb.csv:") for v in refused.value.violations)


def test_artskonto_must_be_three_digits(books):
    bad = voucher("X", ("5000", 100, "0670.01"), ("1940", -100))
    b = batch(bad)
    b.lines.loc[0, "artskonto"] = "50"
    with pytest.raises(PostingRefused) as refused:
        books.post(b)
    assert [v.rule for v in refused.value.violations] == ["artskonto-format"]


def test_opening_balance_is_exempt_from_settlement_identity(books):
    opening = voucher("IB", ("6730", 500), ("2600", -500), date=dt.date(2024, 1, 1))
    books.post(batch(opening, kind="opening"))
    assert books.counts() == (1, 1, 2)


def test_refused_batch_leaves_books_unchanged(books):
    books.post(batch(SALARY))
    before = (books.counts(), books.head_hash(), books.trial_balance(2024).to_dict())
    bad = voucher("L9", ("5000", 100, "0670.01"), ("1940", -99))
    rules_broken(books, TAX_PAID, bad)
    assert (books.counts(), books.head_hash(), books.trial_balance(2024).to_dict()) == before


def test_reimport_is_refused_naming_the_batch(books):
    books.post(batch(SALARY, source="jan.csv"))
    with pytest.raises(PostingRefused) as refused:
        books.post(batch(SALARY, source="jan-again.csv"))
    [violation] = refused.value.violations
    assert violation.rule == "batch-duplicate" and "batch 1 (jan.csv)" in violation.message


def test_voucher_ids_are_unique_within_the_books(books):
    books.post(batch(SALARY))
    assert rules_broken(books, voucher("L1", ("2600", 1), ("1940", -1))) == ["voucher-duplicate"]


def test_closed_year_refuses_postings(books):
    books.post(batch(SALARY))
    books.set_year_status(2024, "closed", "test close")
    assert rules_broken(books, TAX_PAID) == ["year-closed"]
    books.post(batch(voucher("N1", ("2600", 1), ("1940", -1), date=dt.date(2025, 1, 5))))


def test_lines_are_append_only(books):
    books.post(batch(SALARY))
    for sql in ("UPDATE segments SET data = X'00'", "DELETE FROM segments", "UPDATE batches SET debit = 0",
                "DELETE FROM totals"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            books._db.execute(sql)


def test_audit_verifies_the_chain_and_detects_tampering(books, tmp_path):
    books.post(batch(SALARY, source="a"))
    books.post(batch(TAX_PAID, source="b"))
    result = books.audit()
    assert result.ok and result.batches == 2 and result.head_hash == books.head_hash()
    # Tamper below the triggers, as an attacker with the file would.
    tamper(books._db, "UPDATE lines SET amount = amount + 1 WHERE voucher = 'L2' AND amount > 0",
           "UPDATE lines SET amount = amount - 1 WHERE voucher = 'L2' AND amount < 0")
    result = books.audit()
    assert not result.ok and "batch 2 (b)" in result.problem


def test_audit_detects_amounts_moved_between_lines(books):
    books.post(batch(SALARY, source="a"))
    tamper(books._db, "UPDATE lines SET amount = -30000 WHERE account = '1940'",
           "UPDATE lines SET amount = -70000 WHERE account = '2600'")
    assert not books.audit().ok


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "b.sqlite"
    Books.create(path, [("1940", "KK", "194", "kk_out")]).close()
    with pytest.raises(BooksError, match="refusing to overwrite"):
        Books.create(path, [])


def test_open_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(BooksError, match="no books"):
        Books.open(tmp_path / "none.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database" * 100)
    with pytest.raises(BooksError):
        Books.open(junk)
