"""Not-books refused without a write; every error path a message and exit 1: a busy,
read-only, damaged or full books file, a missing folder, a bad --out."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading

import pytest

from ledger.books.store import Books, BooksError
from tests.reliability.conftest import ROOT, SMALL, payroll, run, sqlite_file, state
from tests.support.small import SMALL_BUDGET, SMALL_CHART


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_message(result, *words):
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") or "Error: " in result.output, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


# -- not books -------------------------------------------------------------
def test_another_applications_sqlite_file_is_refused_untouched(tmp_path):
    other = sqlite_file(tmp_path / "other.sqlite", "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    before = digest(other)
    for args in (["balance", "2024"], ["audit"], ["import", str(SMALL)], ["close", "2024"]):
        assert_message(run(other, *args), "not ledger books")
    assert digest(other) == before and not (tmp_path / "other.sqlite-wal").exists()


def test_an_sqlite_file_with_another_application_id_is_refused(tmp_path):
    other = sqlite_file(tmp_path / "app.db", "PRAGMA application_id = 1234", "CREATE TABLE t (x)")
    assert_message(run(other, "audit"), "another application")


@pytest.mark.parametrize("content, words", [(b"", "empty (0 bytes)"), (b"hello" * 100, "not an SQLite database")])
def test_empty_and_foreign_files_are_refused(tmp_path, content, words):
    path = tmp_path / "b.sqlite"
    path.write_bytes(content)
    assert_message(run(path, "audit"), words)
    assert path.read_bytes() == content


def test_a_folder_and_a_missing_folder(tmp_path):
    assert_message(run(tmp_path, "audit"), "is a folder")
    assert_message(run(tmp_path / "no" / "b.sqlite", "audit"), "does not exist")
    assert_message(run(tmp_path / "no" / "b.sqlite", "init"), "does not exist")


def test_a_failed_init_leaves_nothing_and_the_next_one_works(tmp_path):
    path = tmp_path / "b.sqlite"

    def fail(books):
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        Books.create(path, SMALL_CHART, SMALL_BUDGET, fill=fail)
    assert list(tmp_path.iterdir()) == []
    assert run(path, "init").exit_code == 0
    assert_message(run(path, "init"), "already exists")


# -- busy, read-only, damaged, full -----------------------------------------
def test_a_second_writer_waits_then_says_the_books_are_busy(books_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_BUSY_TIMEOUT", "0.5")
    holder = sqlite3.connect(books_copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(books_copy, "import", payroll(tmp_path / "p.csv", 3, "P"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_message(result, "another process is using the books", "waited 0.5 s")


def test_a_waiting_writer_goes_on_when_the_first_finishes(books_copy, tmp_path):
    holder = sqlite3.connect(books_copy, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: holder.execute("ROLLBACK")).start()
    result = run(books_copy, "import", payroll(tmp_path / "p.csv", 3, "P"))
    holder.close()
    assert result.exit_code == 0, result.output


def test_read_only_books_give_a_message(books_copy, tmp_path, monkeypatch):
    """As root a chmod does not stop a write: the read-only open is simulated."""
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda path, *a, **k: real(
        f"{os.path.abspath(path)}" if "mode=ro" in str(path) else f"file:{os.path.abspath(path)}?mode=ro",
        *a, **{**k, "uri": True}))
    result = run(books_copy, "import", payroll(tmp_path / "p.csv", 3, "P"))
    assert_message(result, "read-only")


def _limited(limit: int):
    """A child that cannot write files past ``limit`` bytes (a full disk, EFBIG)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _ledger(books, *args, limit=None):
    return subprocess.run([sys.executable, "-m", "ledger", "--books", str(books), *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=_limited(limit) if limit else None)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as a full disk")
def test_a_full_disk_is_a_message_and_changes_nothing(books_copy, tmp_path):
    before = state(books_copy)
    big = payroll(tmp_path / "big.csv", 200_000, "Z")  # segments are compressed: enough lines to pass the limit
    size = books_copy.stat().st_size
    result = _ledger(books_copy, "import", big, limit=size + 200_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "disk is full" in result.stderr or "cannot write" in result.stderr, result.stderr
    assert state(books_copy) == before
    out = tmp_path / "accounts.csv"
    out.write_text("earlier\n")
    result = _ledger(books_copy, "export-annual", "2024", "--format", "csv", "--out", out, limit=4_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert out.read_text() == "earlier\n" and not list(tmp_path.glob(".accounts.csv.*"))
    fresh = tmp_path / "fresh.sqlite"
    result = _ledger(fresh, "init", limit=50_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert not fresh.exists()


def test_damaged_books_give_a_message_naming_the_damage(books_copy):
    data = bytearray(books_copy.read_bytes())
    page = 4096
    data[2 * page: 3 * page] = b"\xff" * page  # a page of the books overwritten
    books_copy.write_bytes(bytes(data))
    assert_message(run(books_copy, "audit"), "damaged")
    for args in (["balance", "2024"], ["close", "2024"], ["import", str(SMALL)]):
        result = run(books_copy, *args)  # what does not read the damaged page may work
        assert result.exit_code in (0, 1) and (result.exception is None or isinstance(result.exception, SystemExit))


# -- output paths ------------------------------------------------------------
@pytest.mark.parametrize("command", [["export-annual", "2024"], ["close", "2024", "--export"],
                                     ["export", "saft", "2024"]])
def test_out_never_overwrites_the_books(books_copy, tmp_path, command):
    before = digest(books_copy)
    link = tmp_path / "link.xlsx"
    link.symlink_to(books_copy)
    other = tmp_path / "other.sqlite"
    shutil.copy(books_copy, other)
    for target, words in ((books_copy, "is the books"), (link, "is the books"), (other, "SQLite database"),
                          (tmp_path / "missing" / "a.xlsx", "does not exist"), ("/dev/full", "not a regular file")):
        result = run(books_copy, *command, "--out", target)
        assert_message(result, words)
    assert digest(books_copy) == before
    assert run(books_copy, "audit").exit_code == 0
    assert state(books_copy)["years"] == {2024: "open"}  # close --export refused before closing


def test_errors_of_commands_on_a_year(books_copy):
    assert_message(run(books_copy, "close", "0"), "outside 2000-2099")
    assert_message(run(books_copy, "explain", "2023", "bevilgning", "0670.01"))
    assert_message(run(books_copy, "show", "balanse", "1999"), "outside")


def test_a_batch_posted_while_a_reader_holds_the_books_is_atomic(books_copy, tmp_path):
    with Books.open(books_copy) as reader:
        reader._db.execute("BEGIN")
        reader._db.execute("SELECT count(*) FROM segments").fetchone()
        assert run(books_copy, "import", payroll(tmp_path / "p.csv", 3, "P")).exit_code == 0
        assert reader.counts()[2] == 16  # its snapshot
        reader._db.execute("COMMIT")
        assert reader.counts()[2] == 22


def test_books_error_is_raised_by_the_api(tmp_path):
    with pytest.raises(BooksError, match="no books"):
        Books.open(tmp_path / "none.sqlite")
