"""The reconciliation: every published figure against the computed one.

Inputs: a folder of published figures (``<statement>.csv`` with
``statement,line_id,label,column,amount,unit,seed_line``) and, beside them,
``contradictions.csv`` (``statement,line_id,column,reason``): figures the
publication contradicts itself on, with the reason.  Each published figure is
classed as

- ``exact``: the computed value, presented in the figure's unit, equals it;
- ``rounding``: a ``kr`` figure within :data:`ROUNDING_KR` kroner (each printed
  line is rounded on its own, so printed totals drift by a krone or two);
- ``documented``: it differs and ``contradictions.csv`` gives the reason;
- ``FAIL``: anything else, also a figure whose statement, line or column is not computed.

Only this module (and the tests) read published figures; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ledger.core.units import present

ROUNDING_KR = 2
CONTRADICTIONS = "contradictions.csv"
STATUSES = ("exact", "rounding", "documented", "FAIL")
COLUMNS = ["statement", "line_id", "label", "column", "unit", "published", "computed", "difference",
           "status", "reason", "seed_line"]


def load_published(folder: Path) -> pd.DataFrame:
    """Every published figure in ``folder`` (amount as int), in file-name order."""
    frames = [pd.read_csv(path, dtype=str, keep_default_na=False)
              for path in sorted(Path(folder).glob("*.csv")) if path.name != CONTRADICTIONS]
    if not frames:
        raise FileNotFoundError(f"no published figures in {folder}")
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["amount"].str.strip() != ""].copy()
    frame["amount"] = frame["amount"].str.replace(" ", "").astype("int64")
    frame["unit"] = frame["unit"].replace("", "kr")
    return frame.reset_index(drop=True)


def load_contradictions(folder: Path) -> dict[tuple[str, str, str], str]:
    """(statement, line_id, column) → reason, from ``contradictions.csv`` if present."""
    path = Path(folder) / CONTRADICTIONS
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {(r.statement, r.line_id, r.column): r.reason for r in table.itertuples(index=False)}


def _computed(tables: Mapping[str, pd.DataFrame], statement: str, line_id: str, column: str) -> int | str:
    table = tables.get(statement)
    if table is None:
        return f"statement {statement} not computed"
    rows = table.loc[table["line_id"] == line_id]
    if rows.empty:
        return f"{statement} has no line {line_id}"
    if column not in table.columns:
        return f"{statement} has no column {column}"
    return int(rows.iloc[0][column])


def classify(published: int, computed: int, unit: str, reason: str | None) -> str:
    """The class of one figure (see the module docstring)."""
    difference = computed - published
    if difference == 0:
        return "exact"
    if unit == "kr" and abs(difference) <= ROUNDING_KR:
        return "rounding"
    return "documented" if reason else "FAIL"


def reconcile(tables: Mapping[str, pd.DataFrame], published: pd.DataFrame,
              contradictions: Mapping[tuple[str, str, str], str]) -> pd.DataFrame:
    """One row per published figure: its computed value (in its unit), difference and class."""
    rows = []
    for fig in published.itertuples(index=False):
        key = (fig.statement, fig.line_id, fig.column)
        value = _computed(tables, *key)
        row = {"statement": fig.statement, "line_id": fig.line_id, "label": fig.label, "column": fig.column,
               "unit": fig.unit, "published": int(fig.amount), "seed_line": getattr(fig, "seed_line", "")}
        if isinstance(value, str):
            row.update(computed=None, difference=None, status="FAIL", reason=value)
        else:
            computed = present(value, fig.unit)
            reason = contradictions.get(key)
            status = classify(int(fig.amount), computed, fig.unit, reason)
            row.update(computed=computed, difference=computed - int(fig.amount), status=status,
                       reason=reason if status == "documented" else "")
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def counts(result: pd.DataFrame) -> dict[str, int]:
    """How many figures fell in each class."""
    found = result["status"].value_counts()
    return {status: int(found.get(status, 0)) for status in STATUSES}
