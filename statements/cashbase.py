"""What the cash statements share: reported lines, settlement movements, balances, checks.

The cash statements (bevilgning, notes A and B, artskonto, the mellomværende overview)
read only the year's *movements*: lines of batches that are neither ``opening`` nor
``closing`` (the batch kinds exempt from the settlement identity).  A *reported* line is
a movement that carries a statskonto.  Every function here is pure.
"""

from __future__ import annotations

import pandas as pd

from ledger.chart import BudgetCatalogue, BudgetPost
from ledger.layout import Layout
from statements.inputs import YearData

# Batch kinds that carry balances, not the year's payments (see ledger.rules).
BALANCE_KINDS = frozenset({"opening", "closing"})


class StatementError(ValueError):
    """The books or the inputs cannot give a cash statement (a data error, clearly named)."""


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def movements(data: YearData) -> pd.DataFrame:
    """The year's lines outside opening and closing batches, ``statskonto`` as text ('' if none)."""
    lines = data.lines
    frame = lines[~lines["kind"].isin(BALANCE_KINDS)].copy()
    frame["account"] = _text(frame["account"])
    frame["statskonto"] = _text(frame["statskonto"])
    frame["artskonto"] = _text(frame["artskonto"]) if "artskonto" in frame else ""
    return frame


def reported(data: YearData) -> pd.DataFrame:
    """Movements that carry a statskonto: what is reported to the central government accounts."""
    frame = movements(data)
    return frame[frame["statskonto"] != ""]


def opening_lines(data: YearData) -> pd.DataFrame:
    """Lines of the year's opening batch(es) (``account`` as text)."""
    frame = data.lines[data.lines["kind"] == "opening"].copy()
    frame["account"] = _text(frame["account"])
    return frame


def accounts_with_roles(data: YearData, *roles: str) -> frozenset[str]:
    """Bookkeeping accounts of the chart with one of ``roles``."""
    return frozenset(c for c, a in data.chart.accounts.items() if a.role in roles)


def total_on(frame: pd.DataFrame, accounts: frozenset[str]) -> int:
    """Σ amount (øre, debit +) of the lines of ``frame`` on ``accounts``."""
    return int(frame.loc[frame["account"].isin(accounts), "amount"].sum())


def balances(frame: pd.DataFrame) -> pd.DataFrame:
    """``account, amount``: the lines of ``frame`` summed per account (int64 øre)."""
    if frame.empty:
        return pd.DataFrame({"account": pd.Series([], dtype=object), "amount": pd.Series([], dtype="int64")})
    out = frame.groupby("account", sort=True)["amount"].sum().reset_index()
    return out.astype({"amount": "int64"})


def year_end_lines(data: YearData) -> pd.DataFrame:
    """Opening balance plus the year's movements: what the accounts hold at 31.12 before closing."""
    lines = data.lines[data.lines["kind"] != "closing"].copy()
    lines["account"] = _text(lines["account"])
    return lines


def catalogue(data: YearData) -> BudgetCatalogue:
    """The year's budget catalogue (StatementError if the year has none)."""
    if data.budget is None:
        raise StatementError(f"no budget catalogue for {data.year}: the cash statements need one")
    return data.budget


def layout(data: YearData, name: str) -> Layout:
    """The layout ``name`` (StatementError if missing)."""
    try:
        return data.layouts[name]
    except KeyError:
        raise StatementError(f"no layout {name!r}") from None


def regnskap_by_statskonto(data: YearData) -> dict[str, int]:
    """Σ reported lines per statskonto (øre, debit +); unknown statskontoer raise."""
    lines = reported(data)
    sums = {str(k): int(v) for k, v in lines.groupby("statskonto")["amount"].sum().items()}
    unknown = sorted(set(sums) - {p.statskonto for p in catalogue(data)})
    if unknown:
        raise StatementError(f"lines carry statskontoer not in the {data.year} budget catalogue: {unknown}")
    return sums


def appropriation(data: YearData, statskonto: str, column: str) -> int:
    """One amount (øre) of ``appropriations`` for ``statskonto``; 0 when there is no row."""
    frame = data.appropriations
    rows = frame[frame["statskonto"] == statskonto]
    if len(rows) > 1:
        raise StatementError(f"appropriations: {statskonto} listed {len(rows)} times")
    return int(rows[column].iloc[0]) if len(rows) else 0


def appropriation_text(data: YearData, statskonto: str, column: str) -> str:
    """A text column of ``appropriations`` ('' when absent)."""
    frame = data.appropriations
    if column not in frame:
        return ""
    rows = frame[frame["statskonto"] == statskonto]
    return str(rows[column].iloc[0]).strip() if len(rows) else ""


def samlet_tildeling(data: YearData, post: BudgetPost) -> int:
    """Overført fra i fjor + årets tildelinger (øre); 0 for received authorisations and common chapters.

    A received charge authorisation is spent but not allotted to the agency (DOMAIN.md
    glossary), and the common chapters carry no allotment: an appropriation row giving
    them an allotment is refused.
    """
    total = appropriation(data, post.statskonto, "overfort_fra_i_fjor") + appropriation(
        data, post.statskonto, "arets_tildelinger")
    if post.relation != "own" and total:
        raise StatementError(f"appropriations: {post.statskonto} is a {post.relation} post "
                             f"but has an allotment; only own posts are allotted")
    return total


def comparative(data: YearData, statement: str, column: str) -> dict[str, int] | None:
    """Last year's figures of ``statement`` (presented, øre) by line id, or None if none."""
    frame = data.comparatives
    rows = frame[(frame["statement"] == statement) & (frame["column"].astype(str) == column)]
    if rows.empty:
        return None
    return {str(r.line_id): int(r.amount) for r in rows.itertuples()}


def year_columns(data: YearData, lay: Layout) -> tuple[str, str]:
    """The layout's column ids for this year and last year (StatementError if missing)."""
    this, last = str(data.year), str(data.year - 1)
    missing = [c for c in (this, last) if c not in lay.columns]
    if missing:
        raise StatementError(f"layout {lay.statement} has columns {list(lay.columns)}, not {missing}")
    return this, last


def presented_to_ledger(lay: Layout, figures: dict[str, int], column: str) -> dict[tuple[str, str], int]:
    """Presented detail figures → ledger-signed amounts for :func:`ledger.layout.evaluate`."""
    details = {ln.line_id: ln.sign for ln in lay.lines if ln.kind == "detail"}
    return {(line_id, column): details[line_id] * amount
            for line_id, amount in figures.items() if line_id in details}


def keep_printed(table: pd.DataFrame, figures: dict[str, int], column: str) -> pd.DataFrame:
    """Set ``column`` to last year's printed figures wherever they give a line (sums included).

    Last year's column is evaluated from the comparatives' detail lines, so sums the
    comparatives leave out are still filled; a sum they do give is kept as printed (a
    printed total may differ by a krone or two from its printed, separately rounded lines).
    """
    table = table.copy()
    for line_id, amount in figures.items():
        table.loc[(table["line_id"] == line_id) & (table["kind"] != "heading"), column] = amount
    return table
