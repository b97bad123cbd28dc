"""Internal checks that are not linear identities (so not rows of ``identities.csv``).

Each check is a pure function of the computed tables returning
:class:`~ledger.reconcile.identities.CheckResult` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ledger.core.money import to_kroner
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


def carry_over_within_mulig(tables: Tables, prior: Tables) -> list[CheckResult]:
    """Note A's *overført fra i fjor* of each post is at most last year's Note B *mulig overførbart*.

    The ministry decides what is carried over (this year's appropriations input, whole
    kroner); it cannot carry more than last year's accounts show as possible
    (Bevilgningsreglementet § 5, Note B), which is compared as printed (whole kroner).
    """
    description = "Overført fra i fjor (Note A) is at most last year's mulig overførbart (Note B)"
    note_a, last = tables.get("note_a"), prior.get("note_b")
    if note_a is None or last is None:
        return []
    possible = dict(zip(last.loc[last["kind"] == "detail", "line_id"], last.loc[last["kind"] == "detail", "mulig"]))
    results = []
    for row in note_a.loc[note_a["kind"] == "detail"].itertuples(index=False):
        carried = int(row.overfort)
        limit = to_kroner(int(possible.get(row.line_id, 0))) * 100
        if carried == 0 and row.line_id not in possible:
            continue
        results.append(CheckResult(f"overfort_innenfor_mulig[{row.line_id}]", description,
                                   "ok" if carried <= max(limit, 0) else "FAIL", carried, limit,
                                   "" if carried <= max(limit, 0) else "carried in more than last year allowed"))
    return results


def opening_is_last_closing(tables: Tables, prior: Tables) -> list[CheckResult]:
    """The balance sheet's 01.01 column (``ib``) is last year's 31.12 column (``ub``), line by line."""
    description = "Balanse 01.01 equals last year's balanse 31.12"
    now, last = tables.get("balanse"), prior.get("balanse")
    if now is None or last is None:
        return []
    closing = dict(zip(last["line_id"], last["ub"]))
    return [CheckResult(f"balanse_ib_lik_fjorarets_ub[{row.line_id}]", description,
                        "ok" if int(row.ib) == int(closing.get(row.line_id, 0)) else "FAIL",
                        int(row.ib), int(closing.get(row.line_id, 0)))
            for row in now.loc[now["kind"] != "heading"].itertuples(index=False)]


CHECKS: tuple[Callable[[Tables], list[CheckResult]], ...] = (note_b_mulig, sums_are_sums)
PRIOR_CHECKS: tuple[Callable[[Tables, Tables], list[CheckResult]], ...] = (carry_over_within_mulig,
                                                                           opening_is_last_closing)


def run_checks(tables: Tables, prior: Tables | None = None) -> list[CheckResult]:
    """Every non-linear check; with last year's tables (``prior``), also the checks across the two years."""
    found = [result for check in CHECKS for result in check(tables)]
    if prior is not None:
        found += [result for check in PRIOR_CHECKS for result in check(tables, prior)]
    return found
