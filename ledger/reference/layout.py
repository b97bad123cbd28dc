"""Statement layouts as data, and the one evaluator every statement uses.

- ``layouts/statements.csv`` indexes the statements (publication order, title,
  ``|``-separated columns and their printed labels);
- ``layouts/<statement>.csv`` holds the lines in printed order:
  ``line_id,label,kind,sum_of,sign,note_ref,seed_line[,source]`` with ``kind`` in
  ``heading|detail|sum`` and ``sum_of`` like ``a+b-c`` (sums of sums allowed);
  ``seed_line`` is where IMDi's publication prints the line, ``source`` where a standard
  line comes from when IMDi does not print it (SRS 1 / DFØ's templates);
- ``line_units.csv`` names the lines whose unit is not kroner.

Amounts are ledger-signed (debit +).  A detail line presents ``sign × amount``; a sum
presents ``sign × Σ(±presented value of the lines it names)``.  Headings carry 0: the
``kind`` column tells them apart (int64 everywhere keeps arithmetic simple).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.core.problems import Problems
from ledger.core.units import UNITS
from ledger.reference.tables import ChartError, read_table, resolve_data_dir, table_rows

KINDS = ("heading", "detail", "sum", "rows")
"""``rows`` is a placeholder for lines made for the year: its ``source`` names where they come
from (``posts:expense`` … the year's budget catalogue, ``schemes:note_9`` the agency's grant
schemes); a sum that names the placeholder adds every line made for it."""
THIS_YEAR, LAST_YEAR = "aar", "aar-1"
"""Column ids relative to the year of the accounts: ``aar`` this year, ``aar-1`` last year
(``aar-2`` … earlier years), ``ub`` 31.12 of this year, ``ib`` 01.01 of this year."""
CLOSING_DATE, OPENING_DATE = "ub", "ib"
_YEAR_PLACEHOLDER = re.compile(r"\{aar(?:-(\d))?\}")
_YEAR_COLUMN = re.compile(r"^aar(?:-(\d))?$")


def years_back(column: str) -> int | None:
    """How many years before the accounts' year a column id stands (``aar`` 0, ``aar-2`` 2), else None."""
    match = _YEAR_COLUMN.match(column)
    return int(match.group(1) or 0) if match else None


def year_column(back: int) -> str:
    """The column id ``back`` years before the accounts' year (0: ``aar``)."""
    return THIS_YEAR if back == 0 else f"{THIS_YEAR}-{back}"


def render_year(text: str, year: int) -> str:
    """A label with ``{aar}`` / ``{aar-1}`` … placeholders, for the accounts of ``year``."""
    return _YEAR_PLACEHOLDER.sub(lambda m: str(year - int(m.group(1) or 0)), text)
_TERM = re.compile(r"\s*([+-]?)\s*([^+\-\s]+)")


@attrs.frozen
class LayoutLine:
    """One printed line: ``sum_of`` is ((+1|-1, line_id), ...) for a sum, empty otherwise.

    ``unit`` is how its figures are printed (``kr`` unless ``line_units.csv`` says otherwise).
    """

    line_id: str
    label: str
    kind: str
    sum_of: tuple[tuple[int, str], ...] = ()
    sign: int = 1
    note_ref: str = ""
    seed_line: str = ""
    unit: str = "kr"
    source: str = ""


@attrs.frozen
class Layout:
    """A statement: its lines in printed order, its columns (ids and printed labels), its place
    in the publication (``order``)."""

    statement: str
    title: str
    columns: tuple[str, ...]
    column_labels: tuple[str, ...]
    lines: tuple[LayoutLine, ...]
    order: float = float("inf")

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

    @property
    def detail_ids(self) -> tuple[str, ...]:
        """The ids of the detail lines, in printed order."""
        return tuple(line.line_id for line in self.lines if line.kind == "detail")

    def for_year(self, year: int) -> Layout:
        """The layout with its title, column labels and line labels rendered for ``year``."""
        return attrs.evolve(
            self, title=render_year(self.title, year),
            column_labels=tuple(render_year(label, year) for label in self.column_labels),
            lines=tuple(attrs.evolve(line, label=render_year(line.label, year)) for line in self.lines))

    def unit_of(self, line_id: str) -> str:
        """The unit of a line (``kr`` for a line the layout does not have)."""
        try:
            return self.line(line_id).unit
        except KeyError:
            return "kr"


def parse_sum(text: str) -> tuple[tuple[int, str], ...]:
    """``'a+b-c'`` -> ((1, 'a'), (1, 'b'), (-1, 'c')); ``|`` also separates terms."""
    terms = []
    for sign, line_id in _TERM.findall(text.replace("|", "+")):
        terms.append((-1 if sign == "-" else 1, line_id))
    return tuple(terms)


_SIGNS = {"": 1, "1": 1, "+1": 1, "+": 1, "-1": -1, "-": -1}


def read_layout(path: Path, statement: str, title: str = "", columns: tuple[str, ...] = ("amount",),
                column_labels: tuple[str, ...] = (), units: Mapping[str, str] | None = None,
                order: float = float("inf"), problems: Problems | None = None,
                content: bytes | None = None) -> Layout:
    """Read and validate one layout file, or ``content`` named ``path`` (every problem reported,
    :class:`ChartError`)."""
    own = problems is None
    problems = problems if problems is not None else Problems()
    lines: list[LayoutLine] = []
    seen: dict[str, int] = {}
    for row_no, row in table_rows(path, content):
        line_id, kind = row.get("line_id", ""), row.get("kind", "")
        sign = _SIGNS.get(row.get("sign", ""))
        rows_source = row.get("sum_of", "") if kind == "rows" else ""
        sum_of = parse_sum(row.get("sum_of", "")) if kind != "rows" else ()
        found = [
            (not line_id, "line-id-empty", "empty line_id"),
            (line_id in seen, "line-id-duplicate", f"{line_id!r} already on row {seen.get(line_id)}"),
            (kind not in KINDS, "kind", f"{line_id}: kind {kind!r} not in {KINDS}"),
            (sign is None, "sign", f"{line_id}: sign {row.get('sign')!r} is not 1 or -1"),
            (kind in ("heading", "detail", "sum") and (kind == "sum") != bool(sum_of), "sum-of",
             f"{line_id}: a {kind} line " + ("needs a sum_of formula" if kind == "sum" else "takes no sum_of")),
            (kind == "rows" and not rows_source, "rows-source", f"{line_id}: a rows line names its source in sum_of"),
        ]
        broken = [(r, m) for failed, r, m in found if failed]
        for r, m in broken:
            problems.add(path, row_no, r, m)
        if broken:
            continue
        seen[line_id] = row_no
        lines.append(LayoutLine(line_id, row.get("label", ""), kind, sum_of, sign,
                                row.get("note_ref", ""), row.get("seed_line", ""),
                                (units or {}).get(line_id, "kr"), rows_source or row.get("source", "")))
    layout = Layout(statement, title, columns, column_labels or columns, tuple(lines), order)
    _check_sums(layout, path, seen, problems)
    if own:
        problems.raise_if_any(ChartError.of)
    return layout


def _check_sums(layout: Layout, path: Path, rows: Mapping[str, int], problems: Problems) -> None:
    kinds = {line.line_id: line.kind for line in layout.lines}
    broken = False
    for line in layout.lines:
        for _, ref in line.sum_of:
            if ref not in kinds:
                problems.add(path, rows[line.line_id], "sum-unknown-line",
                             f"{line.line_id} sums {ref!r}, which is not a line of {layout.statement}")
                broken = True
            elif kinds[ref] == "heading":
                problems.add(path, rows[line.line_id], "sum-of-heading",
                             f"{line.line_id} sums heading {ref!r}, which has no amount")
    if broken:
        return
    try:
        evaluation_order(layout)
    except ValueError as exc:
        problems.add(path, rows[str(exc)], "sum-cycle", f"sum cycle through {exc}")


def expand_rows(layout: Layout, rows: Mapping[str, Iterable[LayoutLine]]) -> Layout:
    """The layout with each ``rows`` placeholder replaced by the lines made for its source.

    ``rows`` maps a placeholder's ``source`` to its lines (a source without lines gives
    none); a sum naming the placeholder (``+@utgiftsposter``) adds each of them with the
    placeholder's sign in the sum.
    """
    made = {line.line_id: tuple(rows.get(line.source, ())) for line in layout.lines if line.kind == "rows"}
    if not made:
        return layout
    lines: list[LayoutLine] = []
    for line in layout.lines:
        if line.kind == "rows":
            lines.extend(made[line.line_id])
            continue
        if line.sum_of and any(ref in made for _, ref in line.sum_of):
            terms = tuple((sign, child.line_id) for sign, ref in line.sum_of
                          for child in (made[ref] if ref in made else (LayoutLine(ref, "", "detail"),)))
            line = attrs.evolve(line, sum_of=terms)
        lines.append(line)
    return attrs.evolve(layout, lines=tuple(lines))


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


def load_line_units(data_dir: str | Path | None = None, problems: Problems | None = None
                    ) -> dict[tuple[str, str], str]:
    """(statement, line_id) → unit for the lines that are not ``kr`` (``line_units.csv``)."""
    path = resolve_data_dir(data_dir) / "line_units.csv"
    units = {}
    for row_no, row in read_table(path):
        if row["unit"] not in UNITS:
            if problems is not None:
                problems.add(path, row_no, "unit", f"unknown unit {row['unit']!r}")
            continue
        units[(row["statement"], row["line_id"])] = row["unit"]
    return units


def load_layouts(data_dir: str | Path | None = None) -> dict[str, Layout]:
    """Every layout named in ``layouts/statements.csv``, in index order, with line units.

    Every problem of the index, the layouts and the units table is reported at once.
    """
    folder = resolve_data_dir(data_dir)
    index = folder / "layouts" / "statements.csv"
    problems = Problems()
    units = load_line_units(folder, problems)
    layouts: dict[str, Layout] = {}
    for row_no, row in read_table(index):
        name = row["statement"]
        columns = tuple(c for c in row["columns"].split("|") if c)
        labels = tuple(row.get("column_labels", "").split("|")) if row.get("column_labels") else columns
        if name in layouts:
            problems.add(index, row_no, "statement-duplicate", f"statement {name!r} listed twice")
            continue
        if not columns or len(labels) != len(columns):
            problems.add(index, row_no, "columns", f"{name}: columns and column_labels do not match")
            continue
        try:
            order = float(row.get("order") or "inf")
        except ValueError:
            problems.add(index, row_no, "order", f"{name}: order {row.get('order')!r} is not a number")
            order = float("inf")
        path = folder / "layouts" / f"{name}.csv"
        if not path.exists():
            problems.add(index, row_no, "missing-file", f"layouts/{name}.csv does not exist")
            continue
        own_units = {line: unit for (statement, line), unit in units.items() if statement == name}
        layouts[name] = read_layout(path, name, row.get("title", ""), columns, labels, own_units, order, problems)
    for (statement, line), _ in units.items():
        if statement in layouts and line not in layouts[statement].line_ids:
            problems.add("line_units.csv", None, "line-unknown", f"{statement}:{line} is no layout line")
    problems.raise_if_any(ChartError.of)
    return layouts


def publication_order(layouts: Mapping[str, Layout]) -> list[Layout]:
    """The layouts in the publication's order (``statements.csv``'s ``order``; index order breaks ties)."""
    position = {name: i for i, name in enumerate(layouts)}
    return sorted(layouts.values(), key=lambda lay: (lay.order, position[lay.statement]))


def evaluate(layout: Layout, amounts: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """The presented statement: ``line_id, label, kind, note_ref`` and one int64 column per layout column.

    ``amounts`` maps (detail line_id, column) to ledger-signed øre; a missing key is 0.
    """
    details = set(layout.detail_ids)
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
