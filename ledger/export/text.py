"""Plain-text rendering of an evaluated statement, in whole kroner."""

from __future__ import annotations

import json
from collections.abc import Collection

import pandas as pd

from ledger.export.neutral import neutral_frame
from ledger.export.printed import printed_lines
from ledger.reference.layout import Layout
from ledger.core.units import present


def render_statement(table: pd.DataFrame, layout: Layout, fmt: str = "table", always: Collection[str] = ()) -> str:
    """A statement table as aligned text (headings without amounts), CSV or JSON.

    The table format prints the lines :func:`~ledger.export.printed.printed_lines` keeps
    (``always``: the agency's zero lines printed all the same); CSV and JSON give every line.

    Each amount is rounded on its own (half away from zero) to the unit it is
    published in — whole kroner, thousands, per cent or FTEs (:mod:`ledger.core.units`);
    a space separates thousands in the table format.
    """
    units = [layout.unit_of(line_id) for line_id in table["line_id"]]
    columns = list(layout.columns)
    if fmt in ("csv", "json"):
        tidy = table.melt(id_vars=["line_id", "label", "kind"], value_vars=columns,
                          var_name="column", value_name="amount_ore")
        tidy = tidy[tidy["kind"] != "heading"]
        tidy.insert(0, "statement", layout.statement)
        tidy["unit"] = [layout.unit_of(line_id) for line_id in tidy["line_id"]]
        tidy["amount_kr"] = [present(v, u) for v, u in zip(tidy["amount_ore"], tidy["unit"])]
        if fmt == "csv":
            return neutral_frame(tidy).to_csv(index=False, lineterminator="\n")
        return json.dumps(tidy.to_dict(orient="records"), ensure_ascii=False, indent=1, default=int)
    table = printed_lines(table, layout, always)
    units = [layout.unit_of(line_id) for line_id in table["line_id"]]
    headers = list(layout.column_labels) or columns
    width = max([len(str(label)) for label in table["label"]] + [10])
    cells = [[("" if kind == "heading" else f"{present(row[c], unit):,}".replace(",", " ")) for c in columns]
             for kind, unit, (_, row) in zip(table["kind"], units, table.iterrows())]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [layout.title, "", " " * width + "  " + "  ".join(h.rjust(w) for h, w in zip(headers, widths))]
    for label, row in zip(table["label"], cells):
        lines.append(str(label).ljust(width) + "  " + "  ".join(v.rjust(w) for v, w in zip(row, widths)))
    return "\n".join(lines) + "\n"
