"""Books written by the previous version (schema 4: one SQLite row per line) open in this
one (schema 5: the lines in columnar segments) and keep working.

``tests/data/books_schema_4/books.sqlite`` was written by ledger at schema 4 (commit
9fa7b03): ``ledger init --example sbt``, ``ledger close 2024``, ``ledger lock 2025-01``.
Beside it, the trial balances that version printed (``tb2024.txt``: ``ledger balance
2024``; ``tb2025.txt``: ``ledger balance 2025 --by statskonto``).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ledger.books.schema import SCHEMA_VERSION
from ledger.books.store import Books
from tests.reliability.conftest import run
from tests.support.tamper import tamper

OLD = Path(__file__).parents[1] / "data" / "books_schema_4"
HEAD_AT_SCHEMA_4 = "07dafe8620ebae4da60eed1489dc9652c4fbd80abede62e5f3e32acb0015c046"


@pytest.fixture
def old_books(tmp_path):
    path = tmp_path / "books.sqlite"
    shutil.copyfile(OLD / "books.sqlite", path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4
    assert db.execute("SELECT count(*) FROM lines").fetchone()[0] == 325
    db.close()
    return path


def test_schema_4_books_migrate_with_their_history_intact(old_books):
    result = run(old_books, "audit", "--expect", HEAD_AT_SCHEMA_4)
    assert result.exit_code == 0, result.output
    with Books.open(old_books) as books:
        assert books._version() == SCHEMA_VERSION == 5
        tables = {r[0] for r in books._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "lines" not in tables and "vouchers" not in tables
        assert books.counts()[2] == 325
        # The migration writes no event: the chain, and so the books hash, is the old one.
        assert books.head_hash() == HEAD_AT_SCHEMA_4
        assert books.year_status(2024) == "closed" and books.locked_through(2025) == 1


def test_schema_4_books_print_the_same_trial_balances(old_books):
    assert run(old_books, "balance", "2024").output == (OLD / "tb2024.txt").read_text()
    assert run(old_books, "balance", "2025", "--by", "statskonto").output == (OLD / "tb2025.txt").read_text()


def test_schema_4_books_take_new_postings_and_refuse_the_closed_year(old_books, tmp_path):
    journal = tmp_path / "feb.csv"
    journal.write_text("date,voucher,account,amount,statskonto,artskonto,text\n"
                       "2025-02-10,F1,1500,100.00,,,faktura\n2025-02-10,F1,3100,-100.00,,,faktura\n")
    closed = tmp_path / "dec.csv"
    closed.write_text(journal.read_text().replace("2025-02-10", "2024-12-10").replace("F1", "D1"))
    refused = run(old_books, "import", str(closed))
    assert refused.exit_code == 1 and "year-closed" in refused.output
    posted = run(old_books, "import", str(journal))
    assert posted.exit_code == 0, posted.output
    assert run(old_books, "audit", "--expect", HEAD_AT_SCHEMA_4).exit_code == 0


def test_a_migrated_line_edited_afterwards_is_found(old_books):
    with Books.open(old_books) as books:
        tamper(books._db, "UPDATE lines SET text = 'endret' WHERE id = 20")
        result = books.audit()
        assert not result.ok and "differ from what was posted" in result.problem
