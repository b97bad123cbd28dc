"""The non-linear checks of the reconciliation (``ledger/reconcile/rules.py``)."""

from __future__ import annotations

import pandas as pd

from ledger.reconcile.rules import note_b_mulig


def note_b(*rows: tuple[str, int, int, int, int]) -> dict[str, pd.DataFrame]:
    """A Note B table of (line_id, grunnlag, maks, lonnskompensasjon, mulig) detail rows."""
    frame = pd.DataFrame(rows, columns=["line_id", "grunnlag", "maks", "lonnskompensasjon", "mulig"])
    return {"note_b": frame.assign(kind="detail")}


def outcomes(tables) -> dict[str, str]:
    return {r.id.split("[")[1].rstrip("]"): r.status for r in note_b_mulig(tables)}


def test_mulig_is_grunnlag_capped_by_maks():
    tables = note_b(("a", 100, 60, 0, 60), ("b", 40, 60, 0, 40), ("c", 40, 60, 0, 41))
    assert outcomes(tables) == {"a": "ok", "b": "ok", "c": "FAIL"}


def test_an_overspend_is_lifted_to_the_pay_compensation():
    """Footnote ***: at least kompensasjon for lønnsoppgjøret (the generated books overspend)."""
    tables = note_b(("a", -500, 60, 20, 20), ("b", -500, 60, 0, 0), ("c", -500, 60, 20, -500),
                    ("d", -500, 60, 20, 7))
    assert outcomes(tables) == {"a": "ok", "b": "ok", "c": "ok", "d": "FAIL"}
