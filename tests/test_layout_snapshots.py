"""Each packaged layout as a readable markdown table: a changed line shows as a one-row diff."""

from __future__ import annotations

import pytest

from ledger.layout import Layout, load_layouts

LAYOUTS = load_layouts()


def as_markdown(layout: Layout) -> str:
    """The layout as a markdown table, one row per line."""
    head = [f"# {layout.statement}: {layout.title}",
            f"columns: {' | '.join(f'{c} ({label})' for c, label in zip(layout.columns, layout.column_labels))}",
            "", "| line_id | label | kind | sum_of | sign | note | seed |", "|---|---|---|---|---|---|---|"]
    body = [f"| {ln.line_id} | {ln.label} | {ln.kind} | "
            f"{' '.join(('+' if s > 0 else '-') + ref for s, ref in ln.sum_of)} | {ln.sign:+d} | "
            f"{ln.note_ref} | {ln.seed_line} |" for ln in layout.lines]
    return "\n".join(head + body) + "\n"


@pytest.mark.parametrize("statement", sorted(LAYOUTS))
def test_layout_snapshot(statement, snapshot):
    assert as_markdown(LAYOUTS[statement]) == snapshot
