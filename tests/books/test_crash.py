"""A large import killed with SIGKILL mid-way leaves the books as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ledger.books.store import Books

LINES = 240_000  # at least 200 000 lines, as the issue asks


def write_payroll_journal(path: Path, lines: int, prefix: str) -> None:
    """Balanced, valid vouchers of two lines: pay on 0670.01 against KK utbetalinger."""
    with path.open("w", encoding="utf-8") as out:
        out.write("date,voucher,account,amount,statskonto,artskonto,text\n")
        for i in range(lines // 2):
            day = f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            out.write(f"{day},{prefix}{i},5000,{i % 9000 + 100}.{i % 100:02d},0670.01,,lønn\n")
            out.write(f"{day},{prefix}{i},1940,-{i % 9000 + 100}.{i % 100:02d},,,lønn\n")


def ledger(books: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ledger", "--books", str(books), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_import_keeps_the_previous_state(tmp_path):
    books = tmp_path / "b.sqlite"
    assert ledger(books, "init").wait() == 0
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_payroll_journal(small, 1_000, "S")
    write_payroll_journal(large, LINES, "L")
    assert ledger(books, "import", str(small)).wait() == 0
    with Books.open(books) as b:
        before = (b.counts(), b.head_hash(), b.trial_balance(2024).to_dict())

    process = ledger(books, "import", str(large))
    wal = Path(str(books) + "-wal")
    deadline = time.monotonic() + 120
    # Kill once the insert is under way: the write-ahead log is growing.
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 4_000_000:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be killed; raise LINES"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with Books.open(books) as b:
        assert (b.counts(), b.head_hash(), b.trial_balance(2024).to_dict()) == before
    audit = ledger(books, "audit")
    assert audit.wait() == 0, audit.stderr.read()
    # And the same file posts cleanly afterwards.
    assert ledger(books, "import", str(large)).wait() == 0
