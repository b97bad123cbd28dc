"""Account mappings as data: which accounts feed which detail line of a statement.

``*_map.csv`` map accounts (or account ranges) to detail lines:
``statement,account_from,account_to,column,line_id,source``; an empty ``account_to``
means a single account, an empty ``column`` every column of the statement.  A range
only matches codes with as many digits as its ends, so ``100-139`` never matches ``1040``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.core.problems import Problems
from ledger.reference.layout import Layout
from ledger.reference.tables import ChartError, read_table, resolve_data_dir, table_rows


@attrs.frozen
class MappingRow:
    """Accounts ``account_from``..``account_to`` (same number of digits) -> ``line_id``."""

    statement: str
    account_from: str
    account_to: str
    line_id: str
    column: str | None = None
    source: str = ""
    file: str = ""
    row: int = 0

    def covers(self, account: str) -> bool:
        """Whether ``account`` is in this row's range (codes of other lengths never are)."""
        # Digit strings of one length compare as their numbers do.
        return (len(account) == len(self.account_from) and account.isdigit()
                and self.account_from <= account <= self.account_to)

    def applies_to(self, column: str | None) -> bool:
        """Whether the row feeds ``column`` (a row without column feeds all)."""
        return self.column is None or column is None or self.column == column


Mappings = Mapping[str, tuple[MappingRow, ...]]


def read_mapping_rows(path: Path, problems: Problems, content: bytes | None = None) -> list[MappingRow]:
    """The rows of one mapping table (bad ranges recorded in ``problems`` and left out)."""
    found = []
    path = Path(path)
    for row_no, row in table_rows(path, content):
        lo, hi = row.get("account_from", ""), row.get("account_to") or row.get("account_from", "")
        if not (lo.isdigit() and hi.isdigit() and len(lo) == len(hi) and int(lo) <= int(hi)):
            problems.add(path, row_no, "account-range", f"bad account range {lo!r}-{hi!r}")
            continue
        found.append(MappingRow(row["statement"], lo, hi, row["line_id"], row.get("column") or None,
                                row.get("source", ""), path.name, row_no))
    return found


def load_mappings(data_dir: str | Path | None = None) -> dict[str, tuple[MappingRow, ...]]:
    """Mapping rows of every ``*_map.csv``, grouped by statement (every problem reported)."""
    grouped: dict[str, list[MappingRow]] = defaultdict(list)
    problems = Problems()
    for path in sorted(resolve_data_dir(data_dir).glob("*_map.csv")):
        for row in read_mapping_rows(path, problems):
            grouped[row.statement].append(row)
    problems.raise_if_any(ChartError.of)
    return {k: tuple(v) for k, v in grouped.items()}


def lines_of(account: str, rows: Iterable[MappingRow], column: str | None = None) -> list[MappingRow]:
    """The mapping rows that put ``account`` on a line (in ``column``)."""
    return [r for r in rows if r.covers(account) and r.applies_to(column)]


def accounts_on(rows: Iterable[MappingRow], line_id: str, accounts: Iterable[str]) -> frozenset[str]:
    """The codes of ``accounts`` that ``rows`` put on ``line_id``."""
    on_line = [r for r in rows if r.line_id == line_id]
    return frozenset(c for c in accounts if any(r.covers(c) for r in on_line))


def validate_mapping(rows: Iterable[MappingRow], layout: Layout, accounts: Iterable[str],
                     require_fed: bool = True, external: Iterable[str] = (),
                     problems: Problems | None = None) -> None:
    """Check one statement's mapping against its layout and the known account codes.

    Finds a row naming an unknown account, line or column, a line that is not a detail
    line, an account on two lines of one column, and (``require_fed``) a detail line that
    no account feeds (unless named in ``external``: fed from elsewhere).  The problems go
    to ``problems``; without a collector the first raises :class:`ChartError`.
    """
    own = problems is None
    problems = problems if problems is not None else Problems()
    rows, known = tuple(rows), set(accounts)
    details = set(layout.detail_ids)
    for r in rows:
        if r.line_id not in layout.line_ids:
            problems.add(r.file, r.row, "line-unknown", f"{r.line_id!r} is not a line of {layout.statement}")
        elif r.line_id not in details:
            problems.add(r.file, r.row, "line-not-detail", f"{r.line_id!r} is a {layout.line(r.line_id).kind} line")
        if r.column is not None and r.column not in layout.columns:
            problems.add(r.file, r.row, "column-unknown", f"{r.column!r} is not a column of {layout.statement}")
        # a range may be empty (it reserves the place of future sub-accounts); one account may not
        if r.account_from == r.account_to and r.account_from not in known:
            problems.add(r.file, r.row, "account-unknown", f"account {r.account_from} is not in the chart")
    covering = _rows_covering(rows, known)
    for column in layout.columns:
        for account, found in covering.items():
            hits = [r for r in found if r.applies_to(column)]
            if len(hits) > 1:  # two lines, or the same line twice (counted double)
                first, second = hits[0], hits[1]
                problems.add(second.file, second.row, "account-on-two-lines",
                             f"account {account} is on {first.line_id} ({first.file}:{first.row}) "
                             f"and {second.line_id} in {layout.statement} column {column}")
    if require_fed:
        fed = {r.line_id for r in rows} | set(external)
        for line in layout.lines:
            if line.kind == "detail" and line.line_id not in fed:
                problems.add(f"layouts/{layout.statement}.csv", None, "line-not-fed",
                             f"detail line {line.line_id!r} of {layout.statement} is fed by no account")
    if own:
        problems.raise_if_any(ChartError.of)


def _rows_covering(rows: tuple[MappingRow, ...], accounts: set[str]) -> dict[str, list[MappingRow]]:
    """Each of ``accounts`` that some row covers, with those rows in their order.

    Found from the rows' side, each range cut out of the sorted codes of its length, not by
    asking every row about every account: the state's statements have hundreds of rows and
    the chart thousands of accounts, and this runs in every command."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for account in sorted(a for a in accounts if a.isdigit()):
        by_length[len(account)].append(account)
    covering: dict[str, list[MappingRow]] = defaultdict(list)
    for r in rows:
        codes = by_length.get(len(r.account_from), [])
        for account in codes[bisect.bisect_left(codes, r.account_from):bisect.bisect_right(codes, r.account_to)]:
            covering[account].append(r)
    return {account: covering[account] for account in sorted(covering)}


def aggregate(trial_balance: pd.DataFrame, rows: Iterable[MappingRow], column: str,
              strict: bool = False) -> dict[tuple[str, str], int]:
    """Sum a trial balance (``account, amount`` in øre) onto detail lines of ``column``.

    Accounts no row maps are skipped, or raise :class:`ChartError` when ``strict`` and
    their amount is not 0.
    """
    rows = tuple(r for r in rows if r.applies_to(column))
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for account, amount in trial_balance.groupby("account")["amount"].sum().items():
        hits = lines_of(str(account), rows)
        if len(hits) > 1:
            raise ChartError(hits[1].file, hits[1].row, "account-on-two-lines",
                             f"account {account} is on {hits[0].line_id} and {hits[1].line_id}")
        if hits:
            totals[(hits[0].line_id, column)] += int(amount)
        elif strict and amount:
            raise ChartError("mapping", None, "account-unmapped", f"account {account} maps to no line")
    return dict(totals)


def load_external_lines(layouts: Mapping[str, Layout], data_dir: str | Path | None = None,
                        problems: Problems | None = None) -> dict[str, dict[str, str]]:
    """Detail lines fed from outside the account mappings (``external_lines.csv``):
    statement → {line_id: what feeds it}."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    path = resolve_data_dir(data_dir) / "external_lines.csv"
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row_no, row in read_table(path):
        layout = layouts.get(row["statement"])
        if layout is None or row["line_id"] not in layout.line_ids:
            problems.add(path, row_no, "line-unknown", f"{row['statement']}:{row['line_id']} is no layout line")
        elif layout.line(row["line_id"]).kind != "detail":
            problems.add(path, row_no, "line-not-detail", f"{row['line_id']} is not a detail line")
        else:
            found[row["statement"]][row["line_id"]] = row.get("fed_by", "")
    if own:
        problems.raise_if_any(ChartError.of)
    return dict(found)
