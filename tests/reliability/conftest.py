"""Shared pieces of the reliability suite: small books, running the CLI, a state of the books."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.books.store import Books
from ledger.cli import cli
from tests.support.inputs import add_inputs

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "small-2024.csv"
HEADER = "date,voucher,account,amount,statskonto,artskonto,text\n"


def run(books: Path, *args: str):
    """``ledger --books BOOKS ARGS`` in process; the click result."""
    return CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])


def crashing(books: Path, kill_at: int, count_file: Path, *args: str, cwd: Path | None = None):
    """``ledger`` in a subprocess that SIGKILLs itself at step ``kill_at`` (tests.support.crashing)."""
    # Chunks of 16 lines: the payroll files of the sweeps are 80 lines, five chunks each.
    return subprocess.run([sys.executable, "-m", "tests.support.crashing", str(kill_at), str(count_file),
                           "--books", str(books), *map(str, args)], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "CRASH_CHUNK_LINES": "16"})


def payroll(path: Path, vouchers: int, prefix: str, month: int = 3) -> Path:
    """A valid journal file of ``vouchers`` two-line salary vouchers."""
    rows = [HEADER]
    for i in range(vouchers):
        rows.append(f"2024-{month:02d}-{i % 28 + 1:02d},{prefix}{i},5000,{100 + i}.25,0670.01,,lønn {i}\n")
        rows.append(f"2024-{month:02d}-{i % 28 + 1:02d},{prefix}{i},1940,-{100 + i}.25,,,lønn {i}\n")
    path.write_text("".join(rows), encoding="utf-8")
    return path


def opening(path: Path) -> Path:
    """An opening balance (01.01.2024) that leaves balances to carry forward at the close."""
    path.write_text(HEADER + "2024-01-01,IB2024,2400,-500.00,,,IB\n2024-01-01,IB2024,1990,500.00,,,IB\n",
                    encoding="utf-8")
    return path


def closable(path: Path, tmp: Path) -> Path:
    """Books at ``path``: the state chart, 2024's inputs, an opening balance and the small 2024 example."""
    assert run(path, "init").exit_code == 0
    with Books.open(path) as books:
        add_inputs(books)
    result = run(path, "import", "--opening", opening(tmp / "opening.csv"))
    assert result.exit_code == 0, result.output
    assert run(path, "import", SMALL).exit_code == 0
    return path


def sqlite_file(path: Path, *sql: str) -> Path:
    """An SQLite file made by ``sql`` (another application's, or one posing as books)."""
    db = sqlite3.connect(path)
    for statement in sql:
        db.execute(statement)
    db.commit()
    db.close()
    return path


def state(path: Path) -> dict:
    """What the books hold, for old-or-new comparisons: counts, years, head, audit."""
    with Books.open(path) as books:
        audit = books.audit()
        years = dict(books._db.execute("SELECT year, status FROM years"))
        kinds = [r[0] for r in books._db.execute("SELECT kind FROM batches ORDER BY id")]
        return {"counts": books.counts(), "years": years, "kinds": kinds, "head": books.head_hash(),
                "audit": (audit.ok, audit.problem)}


def dump(path: Path) -> str:
    """Every row of every table, as JSON (for "silently different?")."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        found = {t: [list(map(repr, row)) for row in db.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}
        found["schema"] = [list(r) for r in db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")]
        return json.dumps(found)
    finally:
        db.close()


@pytest.fixture(scope="session")
def small_books(tmp_path_factory) -> Path:
    """Books with the state chart, 2024's inputs and the small 2024 example posted (not closed)."""
    path = tmp_path_factory.mktemp("small") / "books.sqlite"
    assert run(path, "init").exit_code == 0
    with Books.open(path) as books:
        add_inputs(books)
    result = run(path, "import", SMALL)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def books_copy(small_books, tmp_path) -> Path:
    """A private copy of the small books."""
    target = tmp_path / "books.sqlite"
    shutil.copy(small_books, target)
    return target
