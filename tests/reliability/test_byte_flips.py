"""Random byte flips on a copy of the books: each is detected (``ledger audit`` exits 1
with a message, or the books are refused) or harmless (every table row and the schema
read back as before).  Never silently different, never a traceback."""

from __future__ import annotations

import random
import shutil
from collections import Counter

import pytest

from ledger.books.store import Books
from tests.reliability.conftest import closable, dump, run

FAST_FLIPS = 40
SLOW_FLIPS = 2000


@pytest.fixture(scope="module")
def flip_books(tmp_path_factory):
    """Closed small books with a document, checkpointed into one file."""
    folder = tmp_path_factory.mktemp("flips")
    path = closable(folder / "books.sqlite", folder)
    with Books.open(path) as books:
        books.add_document(2024, "appropriations.csv", b"kapittel,post,tildeling\n0670,01,1000\n")
    assert run(path, "close", "2024").exit_code == 0
    return path


def flip_one(source, target, rng) -> str:
    """Flip one random bit of a copy of ``source``; classify the outcome."""
    shutil.copy(source, target)
    data = bytearray(target.read_bytes())
    offset = rng.randrange(len(data))
    data[offset] ^= 1 << rng.randrange(8)
    target.write_bytes(bytes(data))
    try:
        after = dump(target)
    except Exception:  # unreadable: the audit must say so
        after = None
    result = run(target, "audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), (offset, result.output)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.output.startswith("Error: "), result.output
        return "detected"
    assert after == dump(source), f"byte {offset}: the data changed and audit said ok"
    return "harmless"


def _flips(flip_books, tmp_path, count, seed):
    rng = random.Random(seed)
    outcomes = Counter(flip_one(flip_books, tmp_path / f"flip.sqlite", rng) for _ in range(count))
    for leftover in tmp_path.glob("flip.sqlite*"):
        leftover.unlink()
    return outcomes


def test_byte_flips_are_detected_or_harmless(flip_books, tmp_path):
    outcomes = _flips(flip_books, tmp_path, FAST_FLIPS, seed=18)
    assert outcomes["detected"] + outcomes["harmless"] == FAST_FLIPS


@pytest.mark.slow
def test_byte_flips_sweep(flip_books, tmp_path, capsys):
    outcomes = _flips(flip_books, tmp_path, SLOW_FLIPS, seed=2024)
    with capsys.disabled():
        print(f"\nbyte flips: {SLOW_FLIPS} tried, {dict(outcomes)}")
    assert outcomes["detected"] + outcomes["harmless"] == SLOW_FLIPS
