"""SIGKILL at chosen points of import, close, export and init: the books (and the export)
are afterwards exactly as before or exactly as after, and audit clean.

The process kills itself (``tests.support.crashing``) at its N-th step: every SQL
statement it runs (each row of an insert too) and every fsync, link and rename.  A dry
run counts the steps; the kill points are spread over all of them.  The default run
tries a few points of each command; ``pytest -m slow`` sweeps many more (the counts of
the last run are in docs/RELIABILITY.md).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ledger.books.store import Books
from tests.reliability.conftest import ROOT, closable, crashing, payroll, run, state

FAST_POINTS = 3
TIMED = False  # set by test_sigkill_at_random_times
# The sweep: every step of the close and the exports (under 100 each), 60 of the others.
SLOW_POINTS = {"close": 100, "export-csv": 100, "export-xlsx": 100, "import": 60, "init": 60}


def kill_points(total: int, count: int, seed: int) -> list[int]:
    """``count`` steps of 1..total: the first, the last and the rest at random."""
    rng = random.Random(seed)
    points = {1, total} | {rng.randint(1, total) for _ in range(max(count - 2, 0))}
    return sorted(points)[:count] if count < total else list(range(1, total + 1))


def steps_of(tmp_path: Path, books: Path, *args: str) -> int:
    """How many steps the command takes to the end (on a copy of the books)."""
    probe = tmp_path / "probe.sqlite"
    shutil.copy(books, probe)
    count = tmp_path / "count.txt"
    done = crashing(probe, 0, count, *args)
    assert done.returncode == 0, done.stderr
    return int(count.read_text())


def _sweep(tmp_path, books, args, points, check):
    if TIMED:
        return _timed_sweep(tmp_path, books, args, points, check)
    total = steps_of(tmp_path, books, *args)
    outcomes = {"old": 0, "new": 0}
    for point in kill_points(total, points, seed=len(args)):
        trial = tmp_path / f"trial-{point}.sqlite"
        shutil.copy(books, trial)
        result = crashing(trial, point, tmp_path / "unused.txt", *args)
        assert result.returncode in (-9, 0), result.stderr
        outcomes[check(trial)] += 1
    return total, outcomes


def _timed_sweep(tmp_path, books, args, kills, check):
    """Kills from outside at random times of the run: inside SQLite's commit too, where
    no step of the process's own is."""
    trial = tmp_path / "trial.sqlite"
    shutil.copy(books, trial)
    started = time.monotonic()
    assert crashing(trial, 0, tmp_path / "unused.txt", *args).returncode == 0
    duration = time.monotonic() - started
    rng, outcomes = random.Random(kills), {"old": 0, "new": 0}
    for _ in range(kills):
        shutil.copy(books, trial)
        process = subprocess.Popen([sys.executable, "-m", "ledger", "--books", str(trial), *args], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.05) * duration)  # the first half is Python starting up
        process.kill()
        process.wait()
        outcomes[check(trial)] += 1
    return round(duration, 2), outcomes


def _import_check(before, after):
    def check(trial):
        found = state(trial)
        assert found["audit"] == (True, None), found
        for name, wanted in (("old", before), ("new", after)):
            if found["counts"] == wanted["counts"] and found["kinds"] == wanted["kinds"]:
                return name
        raise AssertionError(f"mixed state after a kill: {found}")
    return check


def _import(tmp_path, points):
    books = tmp_path / "books.sqlite"
    assert run(books, "init").exit_code == 0
    files = [payroll(tmp_path / "a.csv", 40, "A"), payroll(tmp_path / "b.csv", 40, "B", month=4)]
    before = state(books)
    done = tmp_path / "done.sqlite"
    shutil.copy(books, done)
    assert run(done, "import", *files).exit_code == 0
    return _sweep(tmp_path, books, ["import", *files], points, _import_check(before, state(done)))


def _close_books(tmp_path) -> Path:
    return closable(tmp_path / "books.sqlite", tmp_path)


def _close_check(before):
    def check(trial):
        found = state(trial)
        assert found["audit"] == (True, None), found
        if found["counts"] == before["counts"] and found["years"] == {2024: "open"}:
            return "old"
        assert found["years"] == {2024: "closed", 2025: "open"}, found
        assert found["kinds"][-2:] == ["closing", "opening"], found  # entries and carry-forward
        return "new"
    return check


def _close(tmp_path, points):
    books = _close_books(tmp_path)
    return _sweep(tmp_path, books, ["close", "2024"], points, _close_check(state(books)))


def _export(tmp_path, points, fmt):
    books = _close_books(tmp_path)
    out = tmp_path / f"accounts.{fmt}"
    out.write_bytes(b"the earlier export\n")
    original = out.read_bytes()
    args = ["export-annual", "2024", "--format", fmt, "--out", str(out)]

    def check(trial):
        content = out.read_bytes()
        leftovers = [p for p in tmp_path.glob(f".{out.name}.*.partial")]
        for p in leftovers:  # a killed export may leave its temporary file, never a torn target
            p.unlink()
        if content == original:
            return "old"
        if fmt == "xlsx":
            with zipfile.ZipFile(out) as workbook:
                assert workbook.testzip() is None
        else:
            assert content.decode("utf-8").startswith("statement,line_id")
        out.write_bytes(original)
        return "new"

    return _sweep(tmp_path, books, args, points, check)


def _init(tmp_path, points):
    target = tmp_path / "new.sqlite"
    args = ["init", "--example", "2024"]
    count = tmp_path / "count.txt"
    assert crashing(target, 0, count, *args).returncode == 0
    total = int(count.read_text())
    full = state(target)
    outcomes = {"old": 0, "new": 0}
    for point in kill_points(total, points, seed=7):
        for leftover in [target, *tmp_path.glob(".new.sqlite.init-*")]:
            leftover.unlink(missing_ok=True)
        crashing(target, point, tmp_path / "unused.txt", *args)
        if not target.exists():
            outcomes["old"] += 1
            continue
        found = state(target)
        assert found["audit"] == (True, None) and found["counts"] == full["counts"], found
        outcomes["new"] += 1
    # a killed init never blocks the next one
    target.unlink(missing_ok=True)
    assert run(target, "init").exit_code == 0
    return total, outcomes


CASES = {"import": _import, "close": _close, "init": _init,
         "export-xlsx": lambda t, p: _export(t, p, "xlsx"), "export-csv": lambda t, p: _export(t, p, "csv")}


# The default run: a few kills of each write the issue names (import, close, export);
# init and the CSV export only in the sweep.
FAST = ("import", "close", "export-xlsx")


@pytest.mark.parametrize("command", FAST)
def test_sigkill_leaves_old_or_new(command, tmp_path):
    total, outcomes = CASES[command](tmp_path, FAST_POINTS)
    assert sum(outcomes.values()) >= min(FAST_POINTS, total) - 1


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(CASES))
def test_sigkill_sweep(command, tmp_path, capsys):
    total, outcomes = CASES[command](tmp_path, SLOW_POINTS[command])
    with capsys.disabled():
        print(f"\ncrash sweep {command}: {total} steps, {sum(outcomes.values())} kills, {outcomes}")
    assert outcomes["old"] and outcomes["new"]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "close", "export-xlsx"])
def test_sigkill_at_random_times(command, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "TIMED", True)
    duration, outcomes = CASES[command](tmp_path, 30)
    with capsys.disabled():
        print(f"\ncrash at random times {command}: a run of {duration} s, {sum(outcomes.values())} kills, "
              f"{outcomes}")
    assert sum(outcomes.values()) == 30
