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
    keep = ~((table["kind"] == "detail") & zero & ~table["line_id"].isin(set(always)))
    kinds, kept = list(table["kind"]), list(keep)
    _hide_empty_sums(table, layout, kept, zero, set(always))
    _hide_empty_headings(table, layout, kinds, kept)
    return table[pd.Series(kept, index=table.index)]


def _hide_empty_sums(table: pd.DataFrame, layout: Layout, kept: list[bool], zero: pd.Series, always: set[str]) -> None:
    """Leave out (in ``kept``) each zero sum whose every term is left out, sums of sums too."""
    position = {line_id: i for i, line_id in enumerate(table["line_id"])}
    terms = {line.line_id: [ref for _, ref in line.sum_of] for line in layout.lines if line.kind == "sum"}
    zeros = list(zero)
    changed = True
    while changed:
        changed = False
        for line_id, refs in terms.items():
            i = position.get(line_id)
            if i is None or not kept[i] or not zeros[i] or line_id in always:
                continue
            if refs and all(ref in position and not kept[position[ref]] for ref in refs):
                kept[i] = False
                changed = True


def _hide_empty_headings(table: pd.DataFrame, layout: Layout, kinds: list[str], kept: list[bool]) -> None:
    """Leave out each heading that no longer introduces anything: the detail lines right under
    it are all left out; or (bottom up, so nested headings follow their sub-headings) the next
    printed line is a sum of nothing printed under the heading.  A heading that ends the table
    stays: it introduces the note's text (``Avskrivningssatser (levetider)``)."""
    ids = list(table["line_id"])
    position = {line_id: i for i, line_id in enumerate(ids)}
    for i, kind in enumerate(kinds):  # a heading over detail lines that are all left out
        if kind == "heading":
            run = range(i + 1, next((j for j in range(i + 1, len(kinds)) if kinds[j] != "detail"), len(kinds)))
            if len(run) and not any(kept[j] for j in run):
                kept[i] = False
    terms = {line.line_id: [ref for _, ref in line.sum_of] for line in layout.lines if line.kind == "sum"}
    for i in range(len(kinds) - 1, -1, -1):
        if kinds[i] != "heading" or not kept[i]:
            continue
        following = next((j for j in range(i + 1, len(kinds)) if kept[j]), None)
        if following is not None and kinds[following] == "sum":
            below = [position[ref] for ref in terms.get(ids[following], ()) if ref in position]
            kept[i] = any(j > i and kept[j] for j in below)
