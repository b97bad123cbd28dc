"""The bundled 2024 books (fixtures/2024): reproducible, postable, and true to the publication.

- ``build.py`` run into a tmp dir writes exactly the committed opening balance and journal;
- ``ledger init --example 2024`` posts everything with no violation;
- each voucher balances and the opening balance sums to 0.

That the books reproduce the publication is ``ledger verify 2024``'s to say
(tests/reconcile/test_verify.py), with the engine, not with a second implementation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from ledger.books.examples import example
from ledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "2024"


def _files(folder: Path) -> dict[str, bytes]:
    paths = [folder / "opening_balance.csv", *sorted((folder / "journal").glob("*.csv"))]
    return {str(p.relative_to(folder)): p.read_bytes() for p in paths}


def test_build_reproduces_committed_files(tmp_path):
    subprocess.run([sys.executable, str(FIXTURE / "build.py"), str(tmp_path)], check=True, cwd=tmp_path)
    built, committed = _files(tmp_path), _files(FIXTURE)
    assert sorted(built) == sorted(committed)
    different = [name for name in built if built[name] != committed[name]]
    assert not different, f"build.py output differs from the committed files: {different}"


def test_init_example_posts_everything(tmp_path):
    result = CliRunner().invoke(cli, ["--books", str(tmp_path / "b.sqlite"), "init", "--example", "2024"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "violation" not in result.output.lower()
    journal = sorted((FIXTURE / "journal").glob("*.csv"))
    assert result.output.count("posted ") == 1 + len(journal)


def test_settlement_identity_and_balance_per_voucher():
    batches = list(example(2024).year(2024).batches())
    assert all(not violations for _, violations in batches)
    opening, journal = batches[0][0].lines, pd.concat([b.lines for b, _ in batches[1:]], ignore_index=True)
    assert (journal.groupby("voucher")["amount"].sum() == 0).all()
    assert int(opening["amount"].sum()) == 0
    assert len(journal) > 20000
