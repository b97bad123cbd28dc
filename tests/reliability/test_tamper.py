"""Tampering with a copy of the books below the store (triggers dropped, the change made,
the triggers put back): every case of the issue is found by ``ledger audit``, and a
rewrite of the whole chain by ``ledger audit --expect``."""

from __future__ import annotations

import sqlite3

import pytest

from ledger.books.store import Books
from tests.reliability.conftest import closable, run
from tests.support.tamper import tamper

DOC = "appropriations.csv"

CASES = {
    # lines: every column, and the additive trick (+x on one line, -x on another)
    "amount moved between lines": ["UPDATE lines SET amount = amount + 100 WHERE id = 3",
                                   "UPDATE lines SET amount = amount - 100 WHERE id = 4"],
    "line date": ["UPDATE lines SET date = '2024-01-26' WHERE id = 3"],
    "line text": ["UPDATE lines SET text = 'Lønn februar' WHERE id = 3"],
    "line voucher id": ["UPDATE lines SET voucher = 'X1' WHERE voucher = 'L2024-01'"],
    "line account": ["UPDATE lines SET account = '5010' WHERE id = 3",
                     "UPDATE totals SET account = '5010' WHERE account = '5000' AND batch_id = 2"],
    "line statskonto": ["UPDATE lines SET statskonto = '0671.01' WHERE id = 3"],
    "line dimensions": ["UPDATE lines SET dims = '{\"project\":\"P9\"}' WHERE id = 3"],
    "line src_line": ["UPDATE lines SET src_line = 99 WHERE id = 3"],
    "line deleted": ["DELETE FROM lines WHERE id = (SELECT max(id) FROM lines)"],
    "line inserted": ["INSERT INTO lines (batch_id, voucher, date, year, account, amount, statskonto, artskonto,"
                      " text, dims, src_line) SELECT batch_id, voucher, date, year, account, 0, statskonto,"
                      " artskonto, text, dims, src_line FROM lines WHERE id = 3"],
    "batch posted_at": ["UPDATE batches SET posted_at = '2023-01-01T00:00:00+00:00' WHERE id = 2"],
    "batch source": ["UPDATE batches SET source = 'other.csv' WHERE id = 2"],
    "batch range": ["UPDATE batch_ranges SET last_line = last_line - 1 WHERE batch_id = 2"],
    "line moved to another batch": ["UPDATE lines SET batch_id = 1 WHERE voucher = 'L2024-01'"],
    "voucher split in two": ["UPDATE lines SET voucher = 'GHOST' WHERE id = 3"],
    # the segments themselves (the lines' blobs)
    "segment byte flipped": ["UPDATE segments SET data = CAST(substr(data, 1, 200) || X'00' || substr(data, 202)"
                             " AS BLOB) WHERE batch_id = 2"],
    "segment deleted": ["DELETE FROM segments WHERE batch_id = 2"],
    "segment moved to another batch": ["UPDATE segments SET batch_id = 1 WHERE batch_id = 2"],
    "segment years": ["UPDATE segments SET min_year = 2025, max_year = 2025 WHERE batch_id = 2"],
    "total changed": ["UPDATE totals SET amount = amount + 1 WHERE rowid = 1"],
    # the inputs: an edited appropriation changes samlet tildeling
    "document content": [f"UPDATE documents SET content = CAST('kapittel,post\n0670,01' AS BLOB) WHERE name = '{DOC}'"],
    "document and its sha256": [f"UPDATE documents SET content = CAST('x' AS BLOB),"
                                f" sha256 = '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'"
                                f" WHERE name = '{DOC}'"],
    "document deleted": [f"DELETE FROM documents WHERE name = '{DOC}'"],
    # the year status: UPDATE years needs no trigger dropped
    "year reopened": ["UPDATE years SET status = 'open' WHERE year = 2024"],
    "year changed_at": ["UPDATE years SET changed_at = '2020-01-01' WHERE year = 2024"],
    # the chart and catalogues
    "account renamed": ["UPDATE accounts SET name = 'Lønn til styret' WHERE code = '5000'"],
    "account added": ["INSERT INTO accounts VALUES ('5999', 'Ny', '599', NULL)"],
    "account deleted": ["DELETE FROM accounts WHERE code = '8480'"],
    "statskonto added": ["INSERT INTO statskontoer VALUES (2024, '9999.99')"],
    "meta added": ["INSERT INTO meta VALUES ('owner', 'someone')"],
    # the chain itself
    "event detail": ["UPDATE events SET detail = replace(detail, 'first posting', 'x') WHERE kind = 'year'"],
    "event deleted": ["DELETE FROM events WHERE id = 2"],
    "last event dropped": ["DELETE FROM events WHERE id = (SELECT max(id) FROM events)"],
}


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory):
    """The small example with an input document, closed."""
    folder = tmp_path_factory.mktemp("tamper")
    path = closable(folder / "books.sqlite", folder)
    with Books.open(path) as books:
        books.add_document(2024, DOC, b"kapittel,post,tildeling\n0670,01,1000\n")
    assert run(path, "close", "2024").exit_code == 0
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampering_is_found(case, closed_books, tmp_path):
    path = tmp_path / "b.sqlite"
    path.write_bytes(closed_books.read_bytes())
    assert run(path, "audit").exit_code == 0
    db = sqlite3.connect(path, isolation_level=None)
    tamper(db, *CASES[case])
    db.close()
    result = run(path, "audit")
    assert result.exit_code == 1, (case, result.output)
    assert "audit FAILED" in result.output and "Traceback" not in result.output


def test_a_dropped_trigger_is_found(closed_books, tmp_path):
    path = tmp_path / "b.sqlite"
    path.write_bytes(closed_books.read_bytes())
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER segments_no_update")
    db.close()
    result = run(path, "audit")
    assert result.exit_code == 1 and "segments_no_update is missing" in result.output


def test_a_rewritten_chain_is_found_by_expect(closed_books, tmp_path):
    """Drop the last batch and every trace of it, recompute nothing: the chain is
    consistent again, and only the head recorded elsewhere shows the rewrite."""
    path = tmp_path / "b.sqlite"
    path.write_bytes(closed_books.read_bytes())
    recorded = run(path, "audit").output.split("books hash ")[1].split()[0]
    assert run(path, "audit", "--expect", recorded).exit_code == 0
    with Books.open(path) as books:  # the last events: close entries, carry-forward, year closed, months locked
        last_batch = books._db.execute("SELECT max(id) FROM batches").fetchone()[0]
        first, last = books._db.execute("SELECT first_line, last_line FROM batch_ranges WHERE batch_id = ?",
                                        (last_batch,)).fetchone()
        cut = books._db.execute("SELECT min(id) FROM events WHERE (kind = 'batch' AND json_extract(detail, '$.id') = ?)"
                                " OR (kind = 'year' AND year = 2025)", (last_batch,)).fetchone()[0]
        tamper(books._db, f"DELETE FROM events WHERE id >= {cut}", f"DELETE FROM segments WHERE batch_id = {last_batch}",
               f"DELETE FROM totals WHERE batch_id = {last_batch}",
               f"DELETE FROM batch_ranges WHERE batch_id = {last_batch}", f"DELETE FROM batches WHERE id = {last_batch}",
               "DELETE FROM years WHERE year = 2025", "DELETE FROM month_locks WHERE year = 2024",
               "UPDATE years SET status = 'open', changed_at = (SELECT json_extract(detail, '$.changed_at') FROM events"
               " WHERE kind = 'year' AND year = 2024 ORDER BY id LIMIT 1) WHERE year = 2024")
    assert last > first
    assert run(path, "audit").exit_code == 0  # a consistent, shorter history
    result = run(path, "audit", "--expect", recorded)
    assert result.exit_code == 1 and "not in the chain" in result.output


def test_a_damaged_segment_is_refused_by_every_reader(closed_books, tmp_path):
    """A segment's bytes changed (its SHA-256 not): each command that reads lines stops with a
    message naming the damage, never a traceback or other figures.  (``explain --vouchers`` reads
    only the segments of the lines behind its figure: one of the journal's figures here.)"""
    path = tmp_path / "b.sqlite"
    path.write_bytes(closed_books.read_bytes())
    db = sqlite3.connect(path, isolation_level=None)
    tamper(db, "UPDATE segments SET data = CAST(substr(data, 1, 300) || X'01' || substr(data, 302) AS BLOB)"
               " WHERE batch_id = 2")
    db.close()
    for args in (["balance", "2024-03"], ["export-annual", "2024", "--format", "csv", "--out", tmp_path / "a.csv"],
                 ["explain", "2024", "resultat", "lonnskostnader", "--vouchers"]):
        result = run(path, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "the books are damaged" in result.output and "SHA-256" in result.output, (args, result.output)
        assert "Traceback" not in result.output
