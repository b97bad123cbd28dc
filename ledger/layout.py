"""Statement layouts and account mappings as data, and the one evaluator every statement uses.

- ``layouts/statements.csv`` indexes the statements (title, ``|``-separated columns);
  ``layouts/<statement>.csv`` holds the lines in printed order:
  ``line_id,label,kind,sum_of,sign,note_ref,seed_line`` with ``kind`` in
  ``heading|detail|sum`` and ``sum_of`` like ``a+b-c`` (sums of sums allowed).
- ``*_map.csv`` map accounts (or account ranges) to detail lines:
  ``statement,account_from,account_to,column,line_id,source``; an empty ``account_to``
  means a single account, an empty ``column`` every column of the statement.

Amounts are ledger-signed (debit +).  A detail line presents ``sign × amount``; a sum
presents ``sign × Σ(±presented value of the lines it names)``.  Headings carry 0: the
``kind`` column tells them apart (int64 everywhere keeps arithmetic simple).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.chart import Chart, ChartError, resolve_data_dir, load_asset_groups, read_table

KINDS = ("heading", "detail", "sum")
_TERM = re.compile(r"\s*([+-]?)\s*([^+\-\s]+)")


@attrs.frozen
class LayoutLine:
    """One printed line: ``sum_of`` is ((+1|-1, line_id), ...) for a sum, empty otherwise."""

    line_id: str
    label: str
    kind: str
    sum_of: tuple[tuple[int, str], ...] = ()
    sign: int = 1
    note_ref: str = ""
    seed_line: str = ""


@attrs.frozen
class Layout:
    """A statement: its lines in printed order and its columns (ids and printed labels)."""

    statement: str
    title: str
    columns: tuple[str, ...]
    column_labels: tuple[str, ...]
    lines: tuple[LayoutLine, ...]

    def line(self, line_id: str) -> LayoutLine:
        """The line with ``line_id`` (KeyError if none)."""
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    @property
    def line_ids(self) -> tuple[str, ...]:
        """Line ids in printed order."""
        return tuple(line.line_id for line in self.lines)


def parse_sum(text: str) -> tuple[tuple[int, str], ...]:
    """``'a+b-c'`` -> ((1, 'a'), (1, 'b'), (-1, 'c')); ``|`` also separates terms."""
    terms = []
    for sign, line_id in _TERM.findall(text.replace("|", "+")):
        terms.append((-1 if sign == "-" else 1, line_id))
    return tuple(terms)


def _sign(text: str) -> int:
    value = {"": 1, "1": 1, "+1": 1, "+": 1, "-1": -1, "-": -1}.get(text)
    if value is None:
        raise ValueError(text)
    return value


def read_layout(path: Path, statement: str, title: str = "", columns: tuple[str, ...] = ("amount",),
                column_labels: tuple[str, ...] = ()) -> Layout:
    """Read and validate one layout file."""
    lines: list[LayoutLine] = []
    seen: dict[str, int] = {}
    for row_no, row in read_table(path):
        line_id, kind = row["line_id"], row["kind"]
        if not line_id:
            raise ChartError(path, row_no, "line-id-empty", "empty line_id")
        if line_id in seen:
            raise ChartError(path, row_no, "line-id-duplicate", f"{line_id!r} already on row {seen[line_id]}")
        if kind not in KINDS:
            raise ChartError(path, row_no, "kind", f"{line_id}: kind {kind!r} not in {KINDS}")
        try:
            sign = _sign(row.get("sign", ""))
        except ValueError:
            raise ChartError(path, row_no, "sign", f"{line_id}: sign {row['sign']!r} is not 1 or -1") from None
        sum_of = parse_sum(row.get("sum_of", ""))
        if (kind == "sum") != bool(sum_of):
            raise ChartError(path, row_no, "sum-of", f"{line_id}: a {kind} line "
                             + ("needs a sum_of formula" if kind == "sum" else "takes no sum_of"))
        seen[line_id] = row_no
        lines.append(LayoutLine(line_id, row["label"], kind, sum_of, sign,
                                row.get("note_ref", ""), row.get("seed_line", "")))
    layout = Layout(statement, title, columns, column_labels or columns, tuple(lines))
    _check_sums(layout, path, seen)
    return layout


def _check_sums(layout: Layout, path: Path, rows: Mapping[str, int]) -> None:
    kinds = {line.line_id: line.kind for line in layout.lines}
    for line in layout.lines:
        for _, ref in line.sum_of:
            if ref not in kinds:
                raise ChartError(path, rows[line.line_id], "sum-unknown-line",
                                 f"{line.line_id} sums {ref!r}, which is not a line of {layout.statement}")
            if kinds[ref] == "heading":
                raise ChartError(path, rows[line.line_id], "sum-of-heading",
                                 f"{line.line_id} sums heading {ref!r}, which has no amount")
    try:
        evaluation_order(layout)
    except ValueError as exc:
        raise ChartError(path, rows[str(exc)], "sum-cycle", f"sum cycle through {exc}") from None


def evaluation_order(layout: Layout) -> list[LayoutLine]:
    """Lines so that each sum comes after the lines it names (ValueError(line_id) on a cycle)."""
    by_id = {line.line_id: line for line in layout.lines}
    done: dict[str, bool] = {}  # False while on the stack, True when placed
    order: list[LayoutLine] = []

    def visit(line_id: str) -> None:
        if done.get(line_id) is False:
            raise ValueError(line_id)
        if line_id in done:
            return
        done[line_id] = False
        for _, ref in by_id[line_id].sum_of:
            visit(ref)
        done[line_id] = True
        order.append(by_id[line_id])

    for line in layout.lines:
        visit(line.line_id)
    return order


def load_layouts(data_dir: str | Path | None = None) -> dict[str, Layout]:
    """Every layout named in ``layouts/statements.csv``, in index order."""
    folder = resolve_data_dir(data_dir) / "layouts"
    index = folder / "statements.csv"
    layouts: dict[str, Layout] = {}
    for row_no, row in read_table(index):
        name = row["statement"]
        if name in layouts:
            raise ChartError(index, row_no, "statement-duplicate", f"statement {name!r} listed twice")
        columns = tuple(c for c in row["columns"].split("|") if c)
        labels = tuple(row.get("column_labels", "").split("|")) if row.get("column_labels") else columns
        if not columns or len(labels) != len(columns):
            raise ChartError(index, row_no, "columns", f"{name}: columns and column_labels do not match")
        layouts[name] = read_layout(folder / f"{name}.csv", name, row.get("title", ""), columns, labels)
    return layouts


# -- mappings ------------------------------------------------------------------

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
        return (len(account) == len(self.account_from) and account.isdigit()
                and int(self.account_from) <= int(account) <= int(self.account_to))

    def applies_to(self, column: str | None) -> bool:
        """Whether the row feeds ``column`` (a row without column feeds all)."""
        return self.column is None or column is None or self.column == column


def load_mappings(data_dir: str | Path | None = None) -> dict[str, tuple[MappingRow, ...]]:
    """Mapping rows of every ``*_map.csv``, grouped by statement."""
    grouped: dict[str, list[MappingRow]] = defaultdict(list)
    for path in sorted(resolve_data_dir(data_dir).glob("*_map.csv")):
        for row_no, row in read_table(path):
            lo, hi = row["account_from"], row.get("account_to") or row["account_from"]
            if not (lo.isdigit() and hi.isdigit() and len(lo) == len(hi) and int(lo) <= int(hi)):
                raise ChartError(path, row_no, "account-range", f"bad account range {lo!r}-{hi!r}")
            grouped[row["statement"]].append(MappingRow(
                row["statement"], lo, hi, row["line_id"], row.get("column") or None,
                row.get("source", ""), path.name, row_no))
    return {k: tuple(v) for k, v in grouped.items()}


def lines_of(account: str, rows: Iterable[MappingRow], column: str | None = None) -> list[MappingRow]:
    """The mapping rows that put ``account`` on a line (in ``column``)."""
    return [r for r in rows if r.covers(account) and r.applies_to(column)]


def validate_mapping(rows: Iterable[MappingRow], layout: Layout, accounts: Iterable[str],
                     require_fed: bool = True, external: Iterable[str] = ()) -> None:
    """Check one statement's mapping against its layout and the known account codes.

    Raises :class:`ChartError` for a row naming an unknown account, line or column, a line
    that is not a detail line, an account on two lines of one column, and (``require_fed``)
    a detail line that no account feeds (unless named in ``external``: fed from elsewhere).
    """
    rows, known = tuple(rows), set(accounts)
    details = {line.line_id for line in layout.lines if line.kind == "detail"}
    for r in rows:
        where = (r.file, r.row)
        if r.line_id not in layout.line_ids:
            raise ChartError(*where, "line-unknown", f"{r.line_id!r} is not a line of {layout.statement}")
        if r.line_id not in details:
            raise ChartError(*where, "line-not-detail", f"{r.line_id!r} is a {layout.line(r.line_id).kind} line")
        if r.column is not None and r.column not in layout.columns:
            raise ChartError(*where, "column-unknown", f"{r.column!r} is not a column of {layout.statement}")
        # a range may be empty (it reserves the place of future sub-accounts); one account may not
        if r.account_from == r.account_to and r.account_from not in known:
            raise ChartError(*where, "account-unknown", f"account {r.account_from} is not in the chart")
    for column in layout.columns:
        for account in sorted(known):
            hits = lines_of(account, rows, column)
            if len(hits) > 1:  # two lines, or the same line twice (counted double)
                first, second = hits[0], hits[1]
                raise ChartError(second.file, second.row, "account-on-two-lines",
                                 f"account {account} is on {first.line_id} ({first.file}:{first.row}) "
                                 f"and {second.line_id} in {layout.statement} column {column}")
    if require_fed:
        fed = {r.line_id for r in rows} | set(external)
        for line in layout.lines:
            if line.kind == "detail" and line.line_id not in fed:
                raise ChartError(f"layouts/{layout.statement}.csv", None, "line-not-fed",
                                 f"detail line {line.line_id!r} of {layout.statement} is fed by no account")


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


def evaluate(layout: Layout, amounts: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """The presented statement: ``line_id, label, kind, note_ref`` and one int64 column per layout column.

    ``amounts`` maps (detail line_id, column) to ledger-signed øre; a missing key is 0.
    """
    details = {line.line_id for line in layout.lines if line.kind == "detail"}
    for line_id, column in amounts:
        if line_id not in details or column not in layout.columns:
            raise ChartError(f"layouts/{layout.statement}.csv", None, "amount-unknown-line",
                             f"amount for ({line_id!r}, {column!r}), not a detail line and column")
    values: dict[str, dict[str, int]] = {}
    for line in evaluation_order(layout):
        if line.kind == "detail":
            row = {c: line.sign * int(amounts.get((line.line_id, c), 0)) for c in layout.columns}
        elif line.kind == "sum":
            row = {c: line.sign * sum(s * values[ref][c] for s, ref in line.sum_of) for c in layout.columns}
        else:
            row = dict.fromkeys(layout.columns, 0)
        values[line.line_id] = row
    frame = pd.DataFrame(
        [{"line_id": ln.line_id, "label": ln.label, "kind": ln.kind, "note_ref": ln.note_ref,
          **values[ln.line_id]} for ln in layout.lines],
        columns=["line_id", "label", "kind", "note_ref", *layout.columns])
    return frame.astype({c: "int64" for c in layout.columns})


def load_external_lines(layouts: Mapping[str, Layout],
                        data_dir: str | Path | None = None) -> dict[str, frozenset[str]]:
    """Detail lines fed from outside the account mappings (``external_lines.csv``), by statement."""
    path = resolve_data_dir(data_dir) / "external_lines.csv"
    found: dict[str, set[str]] = defaultdict(set)
    for row_no, row in read_table(path):
        layout = layouts.get(row["statement"])
        if layout is None or row["line_id"] not in layout.line_ids:
            raise ChartError(path, row_no, "line-unknown", f"{row['statement']}:{row['line_id']} is no layout line")
        if layout.line(row["line_id"]).kind != "detail":
            raise ChartError(path, row_no, "line-not-detail", f"{row['line_id']} is not a detail line")
        found[row["statement"]].add(row["line_id"])
    return {k: frozenset(v) for k, v in found.items()}


def check_all(chart: Chart, layouts: Mapping[str, Layout],
              mappings: Mapping[str, tuple[MappingRow, ...]],
              data_dir: str | Path | None = None) -> None:
    """Validate every mapping against its layout and the chart, then the coverage rules."""
    from ledger.coverage import check_coverage  # imported late: coverage builds on this module

    external = load_external_lines(layouts, data_dir)
    codes = set(chart.accounts) | set(chart.skp_accounts)
    for statement, rows in mappings.items():
        if statement not in layouts:
            raise ChartError(rows[0].file, rows[0].row, "statement-unknown", f"no layout {statement!r}")
        validate_mapping(rows, layouts[statement], codes, external=external.get(statement, ()))
    check_coverage(chart, layouts, mappings, data_dir)
    _check_asset_groups(chart, layouts, mappings, data_dir)


def _check_asset_groups(chart: Chart, layouts: Mapping[str, Layout],
                        mappings: Mapping[str, tuple[MappingRow, ...]], data_dir: str | Path | None) -> None:
    # each group's accounts must sit on the balance line whose note column explains them
    groups = load_asset_groups(data_dir)
    for code, account in sorted(chart.accounts.items()):
        group = groups.get(account.asset_group) if account.asset_group else None
        if account.asset_group and group is None:
            raise ChartError("accounts.csv", None, "asset-group-unknown",
                             f"account {code}: asset group {account.asset_group!r} not in asset_groups.csv")
        if group is None:
            continue
        note = layouts.get(group.statement)
        if note is None or group.column not in note.columns:
            raise ChartError("asset_groups.csv", None, "asset-group-column",
                             f"{group.name}: {group.statement} has no column {group.column!r}")
        on = {r.line_id for r in lines_of(code, mappings.get("balanse", ()))}
        if on != {group.balance_line}:
            raise ChartError("asset_groups.csv", None, "asset-group-line",
                             f"account {code} ({group.name}) is on balanse {sorted(on)}, not {group.balance_line}")
