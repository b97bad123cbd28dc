"""The annual accounts as one tidy table: ``statement, line_id, label, column, amount_ore, amount_kr``.

One row per figure (headings carry none), statements in publication order.
``amount_kr`` is whole kroner, half away from zero, as in the workbook; for lines in
another unit (:mod:`ledger.core.units`) ``amount_ore`` holds the table value and
``amount_kr`` the printed figure in that unit, named in ``unit``.
"""

from __future__ import annotations

import json

import pandas as pd

from ledger.export.accounts import AnnualAccounts
from ledger.export.neutral import neutral_frame
from ledger.core.units import present

COLUMNS = ["statement", "line_id", "label", "column", "amount_ore", "amount_kr", "unit"]


def tidy_table(accounts: AnnualAccounts) -> pd.DataFrame:
    """Every figure of ``accounts`` as one long table."""
    frames = []
    for layout in accounts.layouts:
        table = accounts.tables[layout.statement]
        long = table.melt(id_vars=["line_id", "label", "kind"], value_vars=list(layout.columns),
                          var_name="column", value_name="amount_ore")
        long = long[long["kind"] != "heading"].drop(columns="kind")
        # keep printed line order within each column block: line order, then column order
        long["_line"] = long["line_id"].map({lid: i for i, lid in enumerate(table["line_id"])})
        long["_col"] = long["column"].map({c: i for i, c in enumerate(layout.columns)})
        long = long.sort_values(["_line", "_col"], kind="stable").drop(columns=["_line", "_col"])
        long.insert(0, "statement", layout.statement)
        long["unit"] = [layout.unit_of(lid) for lid in long["line_id"]]
        long["amount_kr"] = [present(v, u) for v, u in zip(long["amount_ore"], long["unit"])]
        frames.append(long)
    if not frames:
        return pd.DataFrame(columns=COLUMNS).astype({"amount_ore": "int64", "amount_kr": "int64"})
    frame = pd.concat(frames, ignore_index=True)[COLUMNS]
    return frame.astype({"amount_ore": "int64", "amount_kr": "int64"})


def to_csv(accounts: AnnualAccounts) -> str:
    """The tidy table as CSV (UTF-8 text, header row); no field a spreadsheet would run as a formula."""
    return neutral_frame(tidy_table(accounts)).to_csv(index=False, lineterminator="\n")


def to_json(accounts: AnnualAccounts) -> str:
    """The tidy table as JSON: a list of figure records (the same rows as the CSV)."""
    records = tidy_table(accounts).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1, default=int) + "\n"
