"""What the SRS statements share: the closed view of a year and mapping-driven tables.

**Before and after close give the same figures.**  Every SRS statement reads
:func:`closed_lines`: the year's lines *without* any closing batch, plus the closing
entries computed here by :func:`ledger.close.closing_lines` from those very lines.  The
posted closing batch (``ledger close``) is made by the same function from the same
lines, so whether or not the year is closed, and however often it was reopened, the
statements see one close (tested in ``tests/test_srs_close.py``).

Views (all DataFrames of lines, ``account`` as text, ``amount`` int64 øre, debit +):

- :func:`opening`: the opening batch(es) of the year: the 01.01 column;
- :func:`movements`: the year's journal lines (neither opening nor closing);
- :func:`close_lines`: the computed closing entries (with ``purpose``);
- :func:`closed_lines`: opening + movements + closing: the 31.12 balances.

Every function is pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from ledger import close as yearend
from ledger.layout import Layout, aggregate, evaluate
from statements.inputs import YearData

try:  # the cash statements' error type, so callers catch one kind of statement error
    from statements.cashbase import StatementError
except ImportError:  # pragma: no cover - cashbase is built concurrently
    class StatementError(ValueError):
        """The books or inputs cannot give the statement (a data error, clearly named)."""

BALANCE_KINDS = ("opening", "closing")


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["account"] = frame["account"].astype(str).str.strip()
    frame["amount"] = frame["amount"].astype("int64")
    for column in ("statskonto", "artskonto"):
        if column in frame:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str).str.strip()
    return frame


def opening(data: YearData) -> pd.DataFrame:
    """The year's opening batch(es): the balance at 01.01."""
    return _clean(data.lines[data.lines["kind"] == "opening"])


def movements(data: YearData) -> pd.DataFrame:
    """The year's lines outside opening and closing batches."""
    return _clean(data.lines[~data.lines["kind"].isin(BALANCE_KINDS)])


def close_lines(data: YearData) -> pd.DataFrame:
    """The closing entries computed from the year's lines (``voucher, purpose, account, amount``)."""
    base = data.lines[data.lines["kind"] != "closing"]
    return yearend.closing_lines(base, data.chart, data.year)


def closed_lines(data: YearData) -> pd.DataFrame:
    """Opening + movements + the computed close (``kind`` ``closing`` on the close)."""
    base = _clean(data.lines[data.lines["kind"] != "closing"])
    computed = close_lines(data).assign(kind="closing", statskonto="", artskonto="", dims="{}")
    return pd.concat([base, computed], ignore_index=True)


def year_lines(data: YearData) -> pd.DataFrame:
    """Movements + the computed close: what the income statement sums."""
    lines = closed_lines(data)
    return lines[lines["kind"] != "opening"]


def balances(lines: pd.DataFrame) -> pd.DataFrame:
    """``account, amount`` per account (int64 øre)."""
    if lines.empty:
        return pd.DataFrame({"account": pd.Series([], dtype=object), "amount": pd.Series([], dtype="int64")})
    return lines.groupby("account", sort=True)["amount"].sum().reset_index().astype({"amount": "int64"})


def layout(data: YearData, name: str) -> Layout:
    """The layout ``name`` (StatementError if missing)."""
    try:
        return data.layouts[name]
    except KeyError:
        raise StatementError(f"no layout {name!r}") from None


def mapped(data: YearData, name: str, frames: Mapping[str, pd.DataFrame], strict: bool = False,
           mapping: str | None = None) -> dict[tuple[str, str], int]:
    """Sum each column's lines onto the detail lines of ``name`` via its account mapping."""
    rows = data.mappings.get(mapping or name, ())
    amounts: dict[tuple[str, str], int] = {}
    for column, frame in frames.items():
        amounts.update(aggregate(balances(frame), rows, column, strict=strict))
    return amounts


def evaluate_with(data: YearData, name: str, amounts: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """The evaluated layout ``name``; amounts for lines or columns it lacks are refused."""
    return evaluate(layout(data, name), amounts)


def dims(lines: pd.DataFrame) -> pd.Series:
    """The ``dims`` JSON of each line as dicts."""
    if "dims" not in lines or lines.empty:
        return pd.Series([{}] * len(lines), index=lines.index, dtype=object)
    return lines["dims"].map(lambda text: json.loads(text) if isinstance(text, str) and text else {})


def dim(lines: pd.DataFrame, name: str) -> pd.Series:
    """One dimension of each line ('' where absent)."""
    return dims(lines).map(lambda d: str(d.get(name, "")).strip())


def accounts_with_roles(data: YearData, *roles: str) -> frozenset[str]:
    """Bookkeeping accounts with one of ``roles``."""
    return frozenset(c for c, a in data.chart.accounts.items() if a.role in roles)


def line_accounts(data: YearData, mapping: str, line_id: str) -> frozenset[str]:
    """The chart's accounts that mapping ``mapping`` puts on ``line_id``."""
    rows = [r for r in data.mappings.get(mapping, ()) if r.line_id == line_id]
    return frozenset(c for c in data.chart.accounts if any(r.covers(c) for r in rows))


def total(lines: pd.DataFrame, accounts) -> int:
    """Σ amount of the lines on ``accounts``."""
    return int(lines.loc[lines["account"].isin(set(accounts)), "amount"].sum())


def comparative(data: YearData, statement: str, column: str) -> dict[str, int]:
    """Last year's figures of ``statement`` (presented; øre or hundredths) by line id."""
    frame = data.comparatives
    rows = frame[(frame["statement"] == statement) & (frame["column"].astype(str) == column)]
    return {str(r.line_id): int(r.amount) for r in rows.itertuples()}


def presented_to_ledger(lay: Layout, figures: Mapping[str, int], column: str) -> dict[tuple[str, str], int]:
    """Presented detail figures → ledger-signed amounts for the evaluator."""
    signs = {ln.line_id: ln.sign for ln in lay.lines if ln.kind == "detail"}
    return {(line_id, column): signs[line_id] * int(v) for line_id, v in figures.items() if line_id in signs}
