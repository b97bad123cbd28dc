"""Which lines of a statement are printed: the publication's practice, as one rule.

A detail line that is zero in every column is left out of the printed statement, as
the publication does (DFØ's templates carry every standard line; an agency prints the
ones it has).  The agency names the zero lines it prints all the same (its
``always_printed.csv``, e.g. IMDi's "Sum finansielle anleggsmidler 0").  A sum that is
zero and whose every term is left out is left out with them, and so is a heading that
no longer introduces anything (the next printed line is a sum of nothing printed under
the heading).

Only what a person reads is thinned: ``show --format csv|json`` and the statements
themselves keep every line, so ``explain`` and ``verify`` see them all.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from ledger.reference.layout import Layout


def printed_lines(table: pd.DataFrame, layout: Layout, always: Collection[str] = ()) -> pd.DataFrame:
    """The rows of ``table`` (an evaluated ``layout``) that are printed; ``always`` holds the
    line ids printed even when zero."""
    columns = list(layout.columns)
    zero = (table[columns] == 0).all(axis=1) if columns else pd.Series(True, index=table.index)
    always = set(always)
    keep = ~((table["kind"] == "detail") & zero & ~table["line_id"].isin(always))
    ids, kinds, kept = list(table["line_id"]), list(table["kind"]), list(keep)
    position = {line_id: i for i, line_id in enumerate(ids)}
    # row of each sum → the rows of its terms (None when a term is not in the table)
    terms = {position[line.line_id]: [position.get(ref) for _, ref in line.sum_of]
             for line in layout.lines if line.kind == "sum" and line.line_id in position}
    may_go = [zero_row and line_id not in always for zero_row, line_id in zip(zero, ids)]
    _hide_empty_sums(terms, kept, may_go)
    _hide_empty_headings(terms, kinds, kept)
    return table[pd.Series(kept, index=table.index)]


def _hide_empty_sums(terms: dict[int, list[int | None]], kept: list[bool], may_go: list[bool]) -> None:
    """Leave out (in ``kept``) each zero sum (``may_go``) whose every term is left out, sums of sums too."""
    changed = True
    while changed:
        changed = False
        for i, refs in terms.items():
            if kept[i] and may_go[i] and refs and all(j is not None and not kept[j] for j in refs):
                kept[i] = False
                changed = True


def _hide_empty_headings(terms: dict[int, list[int | None]], kinds: list[str], kept: list[bool]) -> None:
    """Leave out each heading that no longer introduces anything: the detail lines right under
    it are all left out; or (bottom up, so nested headings follow their sub-headings) the next
    printed line is a sum of nothing printed under the heading.  A heading that ends the table
    stays: it introduces the note's text (``Avskrivningssatser (levetider)``)."""
    for i, kind in enumerate(kinds):  # a heading over detail lines that are all left out
        if kind == "heading":
            run = range(i + 1, next((j for j in range(i + 1, len(kinds)) if kinds[j] != "detail"), len(kinds)))
            if len(run) and not any(kept[j] for j in run):
                kept[i] = False
    for i in range(len(kinds) - 1, -1, -1):
        if kinds[i] != "heading" or not kept[i]:
            continue
        following = next((j for j in range(i + 1, len(kinds)) if kept[j]), None)
        if following is not None and kinds[following] == "sum":
            kept[i] = any(j is not None and j > i and kept[j] for j in terms.get(following, ()))
