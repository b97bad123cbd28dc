"""Internal checks that are not linear identities (so not rows of ``identities.csv``).

Each check is a pure function of the computed tables returning
:class:`~ledger.reconcile.identities.CheckResult` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ledger.reconcile.identities import CheckResult

Tables = Mapping[str, pd.DataFrame]


def note_b_mulig(tables: Tables) -> list[CheckResult]:
    """Note B: mulig overførbart = grunnlag, capped by maks overførbart, and at least the
    pay compensation (footnote ***, per statskonto)."""
    description = ("Note B: mulig overførbart = min(sum grunnlag, maks overførbart), at least "
                   "kompensasjon for lønnsoppgjøret")
    table = tables.get("note_b")
    if table is None:
        return [CheckResult("note_b_mulig", description, "skipped", detail="not computed: note_b")]
    results = []
    for row in table.loc[table["kind"] == "detail"].itertuples(index=False):
        capped = min(int(row.grunnlag), int(row.maks))
        # The floor (note_b_rules.csv ``floor``) lifts an overspend to the compensation;
        # books whose rules have no floor print the capped grunnlag.
        floored = max(capped, int(row.lonnskompensasjon))
        expected = int(row.mulig) if int(row.mulig) in (capped, floored) else floored
        results.append(CheckResult(f"note_b_mulig[{row.line_id}]", description,
                                   "ok" if int(row.mulig) == expected else "FAIL", int(row.mulig), expected))
    return results


def sums_are_sums(tables: Tables) -> list[CheckResult]:
    """Every table's headings carry no amount (a heading with a figure is a statement bug)."""
    results = []
    for name, table in tables.items():
        amounts = table.drop(columns=["line_id", "label", "kind", "note_ref"], errors="ignore")
        headings = amounts[table["kind"] == "heading"]
        bad = headings.index[(headings != 0).any(axis=1)] if not headings.empty else []
        if len(bad):
            results.append(CheckResult(f"headings_empty[{name}]", "Headings carry no amount", "FAIL",
                                       detail=", ".join(table.loc[bad, "line_id"])))
    return results


CHECKS: tuple[Callable[[Tables], list[CheckResult]], ...] = (note_b_mulig, sums_are_sums)


def run_checks(tables: Tables) -> list[CheckResult]:
    """Every non-linear check."""
    return [result for check in CHECKS for result in check(tables)]
