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


def crashing(books: Path, kill_at: int, count_file: Path, *args: str) -> subprocess.CompletedProcess:
    """``ledger`` that SIGKILLs itself at its ``kill_at``-th step (tests.support.crashing)."""
    # Chunks of 2^16 lines: the large file streams in four, and half-way is between two.
    return subprocess.run([sys.executable, "-m", "tests.support.crashing", str(kill_at), str(count_file),
                           "--books", str(books), *args], capture_output=True,
                          env={**os.environ, "CRASH_CHUNK_LINES": str(1 << 16)})


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_import_keeps_the_previous_state(tmp_path):
    """The import is killed at steps across its write (half-way, and at the commit)."""
    books = tmp_path / "b.sqlite"
    assert ledger(books, "init").wait() == 0
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_payroll_journal(small, 1_000, "S")
    write_payroll_journal(large, LINES, "L")
    assert ledger(books, "import", str(small)).wait() == 0
    with Books.open(books) as b:
        before = (b.counts(), b.head_hash(), b.trial_balance(2024).to_dict())
    counted, count_file = tmp_path / "counted.sqlite", tmp_path / "steps"
    counted.write_bytes(books.read_bytes())
    assert crashing(counted, 0, count_file, "import", str(large)).returncode == 0
    steps = int(count_file.read_text())
    for kill_at in sorted({steps // 2, steps - 2}):
        killed = tmp_path / f"killed-{kill_at}.sqlite"
        killed.write_bytes(books.read_bytes())
        assert crashing(killed, kill_at, tmp_path / "unused", "import", str(large)).returncode == -signal.SIGKILL
        with Books.open(killed) as b:
            assert (b.counts(), b.head_hash(), b.trial_balance(2024).to_dict()) == before, kill_at
        audit = ledger(killed, "audit")
        assert audit.wait() == 0, audit.stderr.read()
