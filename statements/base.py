"""What every statement shares: the views of a year's lines, reported lines, inputs, layouts.

**Views** (DataFrames of lines, ``account``/``statskonto``/``artskonto`` as text, ``''``
where missing; ``amount`` int64 øre, debit +):

- :func:`opening`: the opening batch(es) of the year: the 01.01 column;
- :func:`movements`: the year's lines in batches that are neither opening nor closing
  (:data:`~ledger.core.records.BALANCE_KINDS`);
- :func:`reported`: movements that carry a statskonto (what the cash statements report);
- :func:`year_end_lines`: opening + movements (the accounts at 31.12 before closing);
- :func:`close_lines`: the closing entries computed from those lines (with ``purpose``);
- :func:`closed_lines`: opening + movements + the computed close (the 31.12 balances);
- :func:`year_lines`: movements + the computed close (what the income statement sums).

**Before and after close give the same figures.**  The statements never read the posted
closing batch: they apply :func:`ledger.close.entries.closing_lines` to the year's lines
without it.  The posted closing batch is made by the same function from the same lines,
so whether or not the year is closed, and however often it was reopened, the statements
see one close (tested in ``tests/close/test_close_books.py``).

Every function here is pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import functools
import weakref

import numpy as np
import pandas as pd

from ledger.close.entries import closing_lines
from ledger.core.records import BALANCE_KINDS, BatchKind
from ledger.reference.budget import BudgetCatalogue, BudgetPost
from ledger.reference.layout import LAST_YEAR, THIS_YEAR, Layout, evaluate
from ledger.reference.mapping import aggregate
from ledger.statements.year_data import YearData


class StatementError(ValueError):
    """The books or the inputs cannot give a statement (a data error, clearly named).

    ``document``, ``row`` and ``rule`` locate the problem when it lies in an input
    document or a reference table (``appropriations.csv:4 [appropriation-duplicate] …``).
    """

    def __init__(self, message: str, document: str | None = None, row: int | None = None,
                 rule: str | None = None):
        self.message, self.document, self.row, self.rule = message, document, row, rule
        where = f"{document}:{row}" if document and row is not None else (document or "")
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{f'[{rule}] ' if rule else ''}{message}")


class VouchersNotWhole(Exception):
    """A statement groups by voucher on accounts whose lines were loaded summed: load the year
    with the ranges of ``whole_vouchers.csv`` (the default of
    :func:`ledger.statements.loading.load_year`).  Raised instead of a figure that would be wrong."""


def require_whole(data: YearData, accounts, what: str) -> None:
    """:class:`VouchersNotWhole` unless ``data`` holds every voucher on ``accounts`` line by line."""
    ranges = data.whole_ranges
    if ranges is None:
        return
    summed = sorted(a for a in map(str, accounts) if not any(low <= a <= high for low, high in ranges))
    if summed:
        raise VouchersNotWhole(f"{what} reads the vouchers on {', '.join(summed[:3])} whole; "
                               "they were loaded summed")


def _text(series: pd.Series) -> pd.Series:
    """The values as stripped Python text ("" for a missing value), made once per distinct
    value: a code column has a few hundred values over up to millions of rows, and Python
    text iterates, hashes and compares far faster than Arrow's per-element access."""
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    values = np.array([str(v).strip() for v in distinct] + [""], dtype=object)
    return pd.Series(values[codes], index=series.index, dtype=object)


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with the code columns as stripped text and ``amount`` int64."""
    frame = frame.copy()
    frame["account"] = _text(frame["account"])
    frame["amount"] = frame["amount"].astype("int64")
    for column in ("statskonto", "artskonto"):
        frame[column] = _text(frame[column]) if column in frame else ""
    return frame


# -- views ----------------------------------------------------------------------

def _view(function):
    """``function(data)`` made once per :class:`YearData` (the statements ask for the same
    views of the year's lines dozens of times); each caller gets its own shallow copy, which
    pandas' copy-on-write keeps from changing the one kept."""
    name = function.__name__

    @functools.wraps(function)
    def view(data: YearData) -> pd.DataFrame:
        key = id(data)
        held = _VIEWS.get(key)
        if held is None or held[0]() is not data:
            held = _VIEWS[key] = (weakref.ref(data, lambda _, key=key: _VIEWS.pop(key, None)), {})
        if name not in held[1]:
            held[1][name] = function(data)
        return held[1][name].copy(deep=False)

    return view


# id(YearData) -> (a weak reference to it, {view name: frame}); an entry goes with its data.
_VIEWS: dict[int, tuple] = {}


@_view
def opening(data: YearData) -> pd.DataFrame:
    """The year's opening batch(es): the balance at 01.01."""
    return clean(data.lines[data.lines["kind"] == BatchKind.OPENING])


@_view
def movements(data: YearData) -> pd.DataFrame:
    """The year's lines outside opening and closing batches."""
    return clean(data.lines[~data.lines["kind"].isin(BALANCE_KINDS)])


def reported(data: YearData) -> pd.DataFrame:
    """Movements that carry a statskonto: what is reported to the central government accounts."""
    frame = movements(data)
    return frame[frame["statskonto"] != ""]


@_view
def year_end_lines(data: YearData) -> pd.DataFrame:
    """Opening balance plus the year's movements: what the accounts hold at 31.12 before closing."""
    return clean(data.lines[data.lines["kind"] != BatchKind.CLOSING])


@_view
def close_lines(data: YearData) -> pd.DataFrame:
    """The closing entries computed from the year's lines (``voucher, purpose, account, amount``)."""
    base = data.lines[data.lines["kind"] != BatchKind.CLOSING]
    return closing_lines(base, data.reference.close_rules, data.chart.roles, data.year)


@_view
def closed_lines(data: YearData) -> pd.DataFrame:
    """Opening + movements + the computed close (``kind`` ``closing`` on the close)."""
    computed = close_lines(data).assign(kind=BatchKind.CLOSING, statskonto="", artskonto="", dims="{}")
    return pd.concat([year_end_lines(data), computed], ignore_index=True)


def year_lines(data: YearData) -> pd.DataFrame:
    """Movements + the computed close: what the income statement sums."""
    lines = closed_lines(data)
    return lines[lines["kind"] != BatchKind.OPENING]


def in_class(data: YearData, lines: pd.DataFrame, name: str) -> pd.DataFrame:
    """The lines on accounts of class ``name`` (``account_classes.csv``)."""
    # The distinct accounts by hashing the column (a Python set of it iterates every row).
    codes = data.reference.account_classes.members(name, lines["account"].unique())
    return lines[lines["account"].isin(codes)]


# -- sums -----------------------------------------------------------------------

def balances(frame: pd.DataFrame) -> pd.DataFrame:
    """``account, amount``: the lines of ``frame`` summed per account (int64 øre)."""
    if frame.empty:
        return pd.DataFrame({"account": pd.Series([], dtype=object), "amount": pd.Series([], dtype="int64")})
    return frame.groupby("account", sort=True)["amount"].sum().reset_index().astype({"amount": "int64"})


def total(lines: pd.DataFrame, accounts) -> int:
    """Σ amount (øre, debit +) of the lines on ``accounts``."""
    return int(lines.loc[lines["account"].isin(set(accounts)), "amount"].sum())


def accounts_with_roles(data: YearData, *roles: str) -> frozenset[str]:
    """Bookkeeping accounts of the chart with one of ``roles``."""
    return frozenset(data.chart.accounts_with_role(*roles))


def line_accounts(data: YearData, mapping: str, line_id: str) -> frozenset[str]:
    """The chart's accounts that mapping ``mapping`` puts on ``line_id``."""
    return data.reference.line_accounts(mapping, line_id)


def dims(lines: pd.DataFrame) -> pd.Series:
    """The ``dims`` JSON of each line as dicts."""
    if "dims" not in lines or lines.empty:
        return pd.Series([{}] * len(lines), index=lines.index, dtype=object)
    return lines["dims"].map(lambda text: json.loads(text) if isinstance(text, str) and text else {})


def dim(lines: pd.DataFrame, name: str) -> pd.Series:
    """One dimension of each line ('' where absent)."""
    return dims(lines).map(lambda d: str(d.get(name, "")).strip())


# -- layouts and mappings ---------------------------------------------------------

def layout(data: YearData, name: str) -> Layout:
    """The layout ``name`` (StatementError if missing)."""
    try:
        return data.layouts[name]
    except KeyError:
        raise StatementError(f"no layout {name!r}", "layouts/statements.csv", rule="layout-missing") from None


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


def derive_columns(data: YearData, name: str, amounts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """``amounts`` with the columns ``derived_columns.csv`` computes from other columns of the same
    line (note 7B's *forskjell* = avregnet − mellomværende) filled in on every detail line."""
    lay = layout(data, name)
    for line in (ln.line_id for ln in lay.lines if ln.kind == "detail"):
        for column in lay.columns:
            rule = data.reference.derived(name, line, column)
            if rule is not None:
                amounts[(line, column)] = sum(sign * amounts.get((line, term), 0) for sign, term in rule.terms)
    return amounts


WARNINGS = "warnings"
"""The key of a statement table's ``attrs`` holding what the statement notes about its own
figures (a missing optional dimension shown as *ikke spesifisert*, an estimated cap): text
for a person, printed by ``show``, counted by ``verify``, listed on the workbook's front page."""


def with_warnings(table: pd.DataFrame, warnings: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """``table`` carrying ``warnings`` (added to any it carries already)."""
    table.attrs[WARNINGS] = tuple(table.attrs.get(WARNINGS, ())) + tuple(warnings)
    return table


def warnings_of(table: pd.DataFrame) -> tuple[str, ...]:
    """What the statement noted about its own figures (empty when nothing)."""
    return tuple(table.attrs.get(WARNINGS, ()))


def statement_warnings(tables: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """Every statement's warnings, each prefixed by its statement (``note_5_husleie: …``)."""
    return tuple(f"{name}: {text}" for name, table in tables.items() for text in warnings_of(table))


def year_columns(data: YearData, lay: Layout) -> tuple[str, str]:
    """The layout's column ids for this year and last year (StatementError if missing)."""
    this, last = THIS_YEAR, LAST_YEAR
    missing = [c for c in (this, last) if c not in lay.columns]
    if missing:
        raise StatementError(f"layout {lay.statement} has columns {list(lay.columns)}, not {missing}",
                             "layouts/statements.csv", rule="layout-columns")
    return this, last


# -- inputs -----------------------------------------------------------------------

def catalogue(data: YearData) -> BudgetCatalogue:
    """The year's budget catalogue (StatementError if the year has none)."""
    if data.budget is None:
        raise StatementError(f"no budget catalogue for {data.year}: the statement needs one",
                             f"budget_{data.year}.csv", rule="budget-missing")
    return data.budget


def regnskap_by_statskonto(data: YearData) -> dict[str, int]:
    """Σ reported lines per statskonto (øre, debit +); unknown statskontoer raise."""
    lines = reported(data)
    sums = {str(k): int(v) for k, v in lines.groupby("statskonto")["amount"].sum().items()}
    unknown = sorted(set(sums) - {p.statskonto for p in catalogue(data)})
    if unknown:
        raise StatementError(f"lines carry statskontoer not in the {data.year} budget catalogue: {unknown}",
                             f"budget_{data.year}.csv", rule="statskonto-unknown")
    return sums


def appropriation(data: YearData, statskonto: str, column: str) -> int:
    """One amount (øre) of ``appropriations`` for ``statskonto``; 0 when there is no row."""
    frame = data.appropriations
    rows = frame[frame["statskonto"] == statskonto]
    if len(rows) > 1:
        raise StatementError(f"{statskonto} listed {len(rows)} times", "appropriations.csv",
                             int(rows.index[1]) + 2, "appropriation-duplicate")
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
    total_ = appropriation(data, post.statskonto, "overfort_fra_i_fjor") + appropriation(
        data, post.statskonto, "arets_tildelinger")
    if post.relation != "own" and total_:
        frame = data.appropriations
        row = int(frame.index[frame["statskonto"] == post.statskonto][0]) + 2
        raise StatementError(f"{post.statskonto} is a {post.relation} post but has an allotment; "
                             "only own posts are allotted", "appropriations.csv", row, "allotment-not-own")
    return total_


def comparative(data: YearData, statement: str, column: str) -> dict[str, int]:
    """Last year's figures of ``statement`` (presented; øre or hundredths) by line id ({} if none)."""
    frame = data.comparatives
    rows = frame[(frame["statement"] == statement) & (frame["column"].astype(str) == column)]
    return {str(r.line_id): int(r.amount) for r in rows.itertuples()}


def presented_to_ledger(lay: Layout, figures: Mapping[str, int], column: str) -> dict[tuple[str, str], int]:
    """Presented detail figures → ledger-signed amounts for :func:`ledger.reference.layout.evaluate`."""
    signs = {ln.line_id: ln.sign for ln in lay.lines if ln.kind == "detail"}
    return {(line_id, column): signs[line_id] * int(v) for line_id, v in figures.items() if line_id in signs}


def keep_printed(table: pd.DataFrame, figures: Mapping[str, int], column: str) -> pd.DataFrame:
    """Set ``column`` to last year's printed figures wherever they give a line (sums included).

    Last year's column is evaluated from the comparatives' detail lines, so sums the
    comparatives leave out are still filled; a sum they do give is kept as printed (a
    printed total may differ by a krone or two from its printed, separately rounded lines).
    """
    table = table.copy()
    for line_id, amount in figures.items():
        table.loc[(table["line_id"] == line_id) & (table["kind"] != "heading"), column] = amount
    return table
