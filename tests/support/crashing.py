"""Run the ``ledger`` command line and SIGKILL the process at its N-th step.

``python -m tests.support.crashing N COUNT_FILE ARGS...`` runs ``ledger ARGS...`` (an import
in chunks of ``CRASH_CHUNK_LINES`` lines when that is set).  A
step is an SQL statement about to run (SQLite's trace callback, which sees each row of
an ``executemany`` too), a connection about to be closed (after the last commit), or a
file being moved into place or synced (``os.replace``, ``os.link``, ``os.fsync``).  At step N the process kills itself with SIGKILL, as
SQLite's crash tests and TigerBeetle's simulator do: no handler, no ``finally``, no
flush runs.  With N = 0 it runs to the end and writes the number of steps it took to
COUNT_FILE, so a test can choose kill points across the whole command.
"""

from __future__ import annotations

import atexit
import os
import signal
import sqlite3
import sys
from pathlib import Path


def install(kill_at: int, count_file: Path) -> None:
    """Count steps from now on; kill the process at step ``kill_at`` (0: never)."""
    seen = [0]

    def step(*_args) -> None:
        seen[0] += 1
        if seen[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    real_connect = sqlite3.connect

    class Traced(sqlite3.Connection):
        def close(self) -> None:
            step()
            super().close()

    def connect(*args, **kwargs):
        db = real_connect(*args, factory=Traced, **kwargs)
        db.set_trace_callback(step)
        return db

    sqlite3.connect = connect
    for name in ("replace", "link", "fsync"):
        real = getattr(os, name)

        def wrapped(*args, _real=real, **kwargs):
            step()
            return _real(*args, **kwargs)

        setattr(os, name, wrapped)
    atexit.register(lambda: count_file.write_text(str(seen[0])))


def main() -> None:
    """Entry point: ``N COUNT_FILE ARGS...``."""
    kill_at, count_file, args = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    install(kill_at, count_file)
    from ledger.cli import cli
    from ledger.journal import reader

    # Smaller chunks (CRASH_CHUNK_LINES), so that an import's kills fall between the chunks
    # of one file (written, not yet committed) as they do in a large year.
    reader.JOURNAL_CHUNK_LINES = int(os.environ.get("CRASH_CHUNK_LINES", reader.JOURNAL_CHUNK_LINES))

    cli.main(args, prog_name="ledger", standalone_mode=True)


if __name__ == "__main__":
    main()
