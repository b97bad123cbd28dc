"""The reconciliation: every published figure against the computed one.

Inputs: a folder of published figures (``<statement>.csv`` with
``statement,line_id,label,column,amount,unit,seed_line``) and, beside them,
``contradictions.csv`` (``statement,line_id,column,expected,reason``): figures the
publication gets wrong, each with the value the books must give instead (in the
figure's unit) and the reason.  Each published figure is classed as

- ``exact``: the computed value, presented in the figure's unit, equals it;
- ``rounding``: a ``kr`` figure on a sum line within :data:`ROUNDING_KR` kroner
  (each printed line is rounded on its own, so a printed total drifts by a krone
  or two from the rounding of the exact total); a detail line must be exact;
- ``documented``: ``contradictions.csv`` lists it and the computed value is the
  ``expected`` one there;
- ``FAIL``: anything else: a difference nobody explained, a contradiction whose
  ``expected`` value the books no longer give, a contradiction listed for a figure
  that is exact (the list is stale), a figure whose statement, line or column is
  not computed, and a contradiction that names no published figure.

A contradiction therefore documents one value, not "any difference": a change in the
books that moves a documented figure fails like any other.

Only this module (and the tests) read published figures; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.core.problems import Problem, ProblemsError
from ledger.core.units import present

ROUNDING_KR = 2
CONTRADICTIONS = "contradictions.csv"
CONTRADICTION_COLUMNS = ("statement", "line_id", "column", "expected", "reason")
STATUSES = ("exact", "rounding", "documented", "FAIL")
COLUMNS = ["statement", "line_id", "label", "column", "unit", "published", "computed", "difference",
           "status", "reason", "seed_line"]


@attrs.frozen
class Contradiction:
    """A published figure the publication gets wrong: the value the books give instead, and why."""

    expected: int
    reason: str


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


def load_contradictions(folder: Path) -> dict[tuple[str, str, str], Contradiction]:
    """(statement, line_id, column) → :class:`Contradiction`, from ``contradictions.csv`` if present.

    Raises :class:`ProblemsError` naming the file and line of a row without a whole-number
    ``expected`` or a reason, or of a figure listed twice."""
    path = Path(folder) / CONTRADICTIONS
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in CONTRADICTION_COLUMNS if c not in table.columns]
    if missing:
        raise ProblemsError([Problem(str(path), 1, "contradictions", f"missing column(s) {', '.join(missing)}; the "
                                                  f"header is {','.join(CONTRADICTION_COLUMNS)}")])
    found: dict[tuple[str, str, str], Contradiction] = {}
    problems = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        key = (row.statement, row.line_id, row.column)
        expected = row.expected.replace(" ", "")
        if not expected.lstrip("-").isdigit():
            problems.append(Problem(str(path), number, "contradictions",
                                    f"expected {row.expected!r} is not a whole number in the figure's unit"))
        elif not row.reason.strip():
            problems.append(Problem(str(path), number, "contradictions", "a contradiction needs its reason"))
        elif key in found:
            problems.append(Problem(str(path), number, "contradictions", f"{':'.join(key)} is listed twice"))
        else:
            found[key] = Contradiction(int(expected), row.reason)
    if problems:
        raise ProblemsError(problems)
    return found


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


def classify(published: int, computed: int, unit: str, sum_line: bool,
             contradiction: Contradiction | None) -> tuple[str, str]:
    """The class of one figure and the reason shown with it (see the module docstring)."""
    if contradiction is not None:
        if computed == published:
            return "FAIL", ("contradictions.csv lists this figure but the books give the published value: "
                            "remove the row")
        if computed != contradiction.expected:
            return "FAIL", (f"contradictions.csv expects {contradiction.expected} here, the books give "
                            f"{computed}: {contradiction.reason}")
        return "documented", contradiction.reason
    difference = computed - published
    if difference == 0:
        return "exact", ""
    if unit == "kr" and sum_line and abs(difference) <= ROUNDING_KR:
        return "rounding", ""
    return "FAIL", ""


def reconcile(tables: Mapping[str, pd.DataFrame], published: pd.DataFrame,
              contradictions: Mapping[tuple[str, str, str], Contradiction]) -> pd.DataFrame:
    """One row per published figure (its computed value in its unit, difference and class), then
    a FAIL row for each contradiction that names no published figure."""
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
            status, reason = classify(int(fig.amount), computed, fig.unit, _is_sum_line(tables, *key[:2]),
                                      contradictions.get(key))
            row.update(computed=computed, difference=computed - int(fig.amount), status=status, reason=reason)
        rows.append(row)
    listed = set(zip(published["statement"], published["line_id"], published["column"]))
    for key, contradiction in contradictions.items():
        if key not in listed:
            rows.append({"statement": key[0], "line_id": key[1], "label": "", "column": key[2], "unit": "",
                         "published": None, "computed": None, "difference": None, "status": "FAIL",
                         "reason": "contradictions.csv names a figure that is not published", "seed_line": ""})
    return pd.DataFrame(rows, columns=COLUMNS)


def _is_sum_line(tables: Mapping[str, pd.DataFrame], statement: str, line_id: str) -> bool:
    table = tables[statement]
    if "kind" not in table.columns:
        return False
    return bool((table.loc[table["line_id"] == line_id, "kind"] == "sum").any())


def counts(result: pd.DataFrame) -> dict[str, int]:
    """How many figures fell in each class."""
    found = result["status"].value_counts()
    return {status: int(found.get(status, 0)) for status in STATUSES}
