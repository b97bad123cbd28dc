"""Books of the previous schemas (1 and 2, built with their SQL) open, join the event chain
and audit clean; tampering with what they held before the migration is found."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.books.schema import APPLICATION_ID, SCHEMA_VERSION
from ledger.books.store import Books
from tests.reliability.conftest import run, sqlite_file
from tests.support.legacy import legacy_books
from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch, voucher
from tests.support.tamper import tamper

JAN = batch(voucher("L1", ("5000", 100_000, "0670.01"), ("1940", -70_000), ("2600", -30_000)), source="jan.csv")
FEB = batch(voucher("L2", ("2600", 30_000), ("1940", -30_000), date=dt.date(2024, 2, 1)), source="feb.csv")
DOCS = [(2024, "appropriations.csv", b"kapittel,post,tildeling\n0670,01,1000\n")]


@pytest.fixture(params=[1, 2])
def old_books(request, tmp_path):
    path = legacy_books(tmp_path / f"v{request.param}.sqlite", request.param, SMALL_CHART, SMALL_BUDGET,
                        [JAN, FEB], DOCS, closed=[2024])
    return path


def test_old_books_are_migrated_and_audit_clean(old_books):
    with Books.open(old_books) as books:
        assert books._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert books._db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        result = books.audit()
        assert result.ok, result.problem
        kinds = [kind for _, kind, *_ in books.events()]
        assert kinds == ["migrate", "document", "batch", "batch"]
        assert books.year_status(2024) == "closed" and books.document(2024, "appropriations.csv") == DOCS[0][2]
        assert books.trial_balance(2024).set_index("key")["amount"].to_dict()["1940"] == -100_000
    assert run(old_books, "audit").exit_code == 0
    assert run(old_books, "balance", "2024").exit_code == 0


def test_old_books_take_new_postings(old_books):
    with Books.open(old_books) as books:
        books.post(batch(voucher("M1", ("2600", 1), ("1940", -1), date=dt.date(2025, 1, 5)), source="mar.csv"))
        assert books.audit().ok


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET detail = 'edited' WHERE id = 1",
    "UPDATE years SET status = 'open' WHERE year = 2024",
    "UPDATE lines SET text = 'edited' WHERE id = 1",
    "UPDATE documents SET content = CAST('x' AS BLOB)",
    "UPDATE accounts SET name = 'x' WHERE code = '5000'",
])
def test_what_old_books_held_is_covered_after_the_migration(old_books, sql):
    with Books.open(old_books) as books:
        assert books.audit().ok
        tamper(books._db, sql)
        assert not books.audit().ok


def test_a_foreign_file_that_looks_like_old_books_is_not_migrated(tmp_path):
    path = sqlite_file(tmp_path / "half.sqlite", "CREATE TABLE batches (id)", "PRAGMA user_version = 2")
    result = run(path, "audit")
    assert result.exit_code == 1 and "not ledger books" in result.output
