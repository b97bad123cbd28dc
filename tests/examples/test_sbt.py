"""The hand-worked second agency (``ledger init --example sbt``) verifies exact.

Its expected figures (``fixtures/sbt-2024/published``) were worked by hand from its 84
vouchers (``fixtures/sbt-2024/worksheets.md``), never produced by the engine: every
figure must be exact, with nothing documented away.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from tests.support.examples import init_example


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return init_example(tmp_path_factory, "sbt")


def test_every_hand_worked_figure_is_exact(books):
    result = CliRunner().invoke(cli, ["--books", str(books), "verify", "2024", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["check_counts"]["FAIL"] == 0 and report["warnings"] == []
    assert report["published_counts"] == {"exact": 424, "rounding": 0, "documented": 0, "FAIL": 0}


@pytest.mark.parametrize("line, column, kroner", [
    ("0345.01", "maks", 2_070_000),      # (30 000 000 − 600 000) × 5 % + 600 000
    ("0345.01", "merinntekter", 120_000),  # 3345.02: 520 000 received − 400 000 budgeted
    ("0345.21", "maks", 4_400_000),      # two-year cap: 2 400 000 + 2 000 000
    ("0345.21", "avgitte_fullmakter", -300_000),
    ("0345.45", "omdisponering", 150_000),
])
def test_note_b_rules_it_was_made_for(books, line, column, kroner):
    result = CliRunner().invoke(cli, ["--books", str(books), "show", "note_b", "2024", "--format", "json"])
    rows = {(r["line_id"], r["column"]): r["amount_kr"] for r in json.loads(result.output)}
    assert rows[(line, column)] == kroner
