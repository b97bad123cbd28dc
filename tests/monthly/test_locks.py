"""Month locks: stored as events of the chain, refusing back-dated postings, covered by the audit."""

from __future__ import annotations

from ledger.books.store import Books
from ledger.journal import posting_rules
from ledger.journal.reader import read_journal
from tests.monthly.conftest import HEADER
from tests.reliability.conftest import run

FEBRUARY = HEADER + "2024-02-27,K1,6730,80.00,0670.01,,late invoice\n2024-02-27,K1,1940,-80.00,,,late invoice\n"


def test_lock_refuses_a_back_dated_posting(three_months, tmp_path):
    assert run(three_months, "lock", "2024-02").exit_code == 0
    (tmp_path / "late.csv").write_text(FEBRUARY, encoding="utf-8")
    result = run(three_months, "import", tmp_path / "late.csv")
    assert result.exit_code == 1
    assert "late.csv:2: voucher K1 [month-locked] 2024-02-27 lies in a locked month: 2024 is locked through " \
           "2024-02" in result.output
    assert "post the correction in an open month" in result.output
    # the correction goes into March, which is open
    (tmp_path / "march.csv").write_text(FEBRUARY.replace("2024-02-27", "2024-03-01"), encoding="utf-8")
    assert run(three_months, "import", tmp_path / "march.csv").exit_code == 0


def test_lock_and_unlock_are_events_the_audit_shows(three_months):
    assert run(three_months, "lock", "2024-03").output.startswith("locked 2024-01 to 2024-03")
    assert "already locked through 2024-03" in run(three_months, "lock", "2024-02").output
    refused = run(three_months, "unlock", "2024-02")
    assert refused.exit_code == 2 and "--reason" in refused.output
    assert run(three_months, "unlock", "2024-02", "--reason", "correction").exit_code == 0
    with Books.open(three_months) as books:
        assert books.locked_through(2024) == 1
        kinds = [kind for _, kind, _, _, _ in books.events()]
        assert kinds[-2:] == ["month", "month"]
    audit = run(three_months, "audit")
    assert audit.exit_code == 0, audit.output
    assert "lock 2024-03: locked through 2024-03 (reported to statsregnskapet)" in audit.output
    assert "unlock 2024-02: locked through 2024-01 (correction)" in audit.output


def test_a_month_is_needed(three_months):
    result = run(three_months, "lock", "2024")
    assert result.exit_code == 1 and "give a month" in result.output


def test_close_locks_every_month_and_reopen_gives_back_the_earlier_lock(three_months):
    assert run(three_months, "lock", "2024-02").exit_code == 0
    closed = run(three_months, "close", "2024")
    assert closed.exit_code == 0, closed.output
    with Books.open(three_months) as books:
        assert books.locked_through(2024) == 12
    assert "is closed" in run(three_months, "unlock", "2024-05", "--reason", "x").output
    assert run(three_months, "reopen", "2024", "--reason", "audit remark").exit_code == 0
    with Books.open(three_months) as books:
        assert books.locked_through(2024) == 2
    assert run(three_months, "audit").exit_code == 0


def test_audit_finds_a_batch_posted_into_a_locked_month(three_months, tmp_path, monkeypatch):
    assert run(three_months, "lock", "2024-02").exit_code == 0
    (tmp_path / "late.csv").write_text(FEBRUARY, encoding="utf-8")
    batch, violations = read_journal(tmp_path / "late.csv")
    assert not violations
    # past the posting rules, as a rewrite of the file would be
    monkeypatch.setattr(posting_rules.BatchCheck, "finish", lambda self, existing, lines_of: ([], 1))
    with Books.open(three_months) as books:
        books.post(batch)
        result = books.audit()
    assert not result.ok
    assert "was posted into 2024-02 while 2024 was locked through 2024-02" in result.problem


def test_a_forged_lock_event_fails_the_audit(three_months):
    assert run(three_months, "lock", "2024-02").exit_code == 0
    with Books.open(three_months) as books:
        books._db.execute("DROP TRIGGER events_no_update")
        books._db.execute("UPDATE events SET detail = replace(detail, '\"locked_through\":2', '\"locked_through\":0')"
                          " WHERE kind = 'month'")
        books._db.execute("CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, "
                          "'events are append-only: post a correction instead'); END")
        result = books.audit()
    assert not result.ok and "hash chain broken" in result.problem


def test_books_before_month_locks_are_migrated_and_can_lock(tmp_path):
    """Books written before month locks (schema 2, built with its SQL) migrate through
    schema 4 (month_locks) and 5 (segments), and take a lock."""
    from ledger.books.schema import SCHEMA_VERSION
    from tests.support.legacy import legacy_books
    from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch, voucher

    jan = batch(voucher("L1", ("5000", 100_000, "0670.01"), ("1940", -70_000), ("2600", -30_000)), source="jan.csv")
    path = legacy_books(tmp_path / "v2.sqlite", 2, SMALL_CHART, SMALL_BUDGET, [jan])
    with Books.open(path) as books:
        assert books._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert books.audit().ok and books.month_locks() == {}
    assert run(path, "lock", "2024-01").exit_code == 0
    assert run(path, "audit").exit_code == 0


def test_dropping_the_lock_event_fails_the_audit(three_months):
    assert run(three_months, "lock", "2024-02").exit_code == 0
    with Books.open(three_months) as books:
        books._db.execute("DROP TRIGGER events_no_delete")
        books._db.execute("DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
        result = books.audit()
    assert not result.ok and "month_locks" in result.problem
