"""The rules of the close and of the statements, as data (tables of ``chart_of_accounts/``).

Which accounts form a class (``account_classes.csv``), which ranges the close settles
against which Treasury account (``close_rules.csv``), what is carried into the next
year (``carry_forward.csv``), the items of note 7A (``note_7a_items.csv``), the capital
lines of the appropriation report (``capital_lines.csv``), the lines of the asset
roll-forward (``rollforward_lines.csv``) and the scalar parameters of single statements
(``statement_parameters.csv``).  Each row carries its ``source``; the code that applies
the rules lives with the close and the statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.budget import RELATIONS
from ledger.reference.tables import read_table, table_rows


def account_number(code: object) -> int:
    """A four-digit bookkeeping account as a number (-1 for anything else)."""
    text = str(code)
    return int(text) if len(text) == 4 and text.isdigit() else -1


@attrs.frozen
class AccountRange:
    """The bookkeeping accounts ``low``..``high`` (four digits, inclusive)."""

    low: int
    high: int

    def holds(self, code: object) -> bool:
        """Whether the four-digit account ``code`` is in the range."""
        return self.low <= account_number(code) <= self.high


@attrs.frozen
class AccountClasses:
    """Named classes of accounts (``balance``, ``operating``, ``collection`` …), each a union of ranges."""

    ranges: Mapping[str, tuple[AccountRange, ...]]

    def holds(self, name: str, code: object) -> bool:
        """Whether ``code`` is in class ``name`` (KeyError for an unknown class)."""
        return any(r.holds(code) for r in self.ranges[name])

    def members(self, name: str, codes: Iterable[str]) -> frozenset[str]:
        """The codes of ``codes`` in class ``name``."""
        return frozenset(c for c in codes if self.holds(name, c))


@attrs.frozen
class CloseRule:
    """One row of ``close_rules.csv``: accounts (a range or a role) whose net closes on
    ``closes_on`` (empty: each account on itself) against ``against``, in voucher ``purpose``."""

    purpose: str
    accounts: AccountRange | None
    role: str | None
    closes_on: str | None
    against: str
    source: str = ""


@attrs.frozen
class CarryRule:
    """One row of ``carry_forward.csv``: a range carried as it is, or a role carried to ``carried_to``."""

    accounts: AccountRange | None
    role: str | None
    carried_to: str | None
    source: str = ""


@attrs.frozen
class Note7AItem:
    """One line of note 7A: how it is measured (``movement``, ``collection_through_kk``,
    ``grants_with_set_off``, ``residual``, ``balance``) over which accounts or roles."""

    line_id: str
    measure: str
    accounts: tuple[str, ...]
    roles: tuple[str, ...]
    source: str = ""


NOTE_7A_MEASURES = ("movement", "collection_through_kk", "grants_with_set_off", "residual", "balance")


def _range(row: Mapping[str, str], path: Path, line: int, problems: Problems) -> AccountRange | None:
    low, high = row.get("account_from", ""), row.get("account_to", "")
    if not low and not high:
        return None
    if not (low.isdigit() and high.isdigit() and len(low) == len(high) == 4 and low <= high):
        problems.add(path, line, "account-range", f"not a range of four-digit accounts: {low}-{high}")
        return None
    return AccountRange(int(low), int(high))


def load_account_classes(folder: Path, problems: Problems) -> AccountClasses:
    """``account_classes.csv``."""
    path = folder / "account_classes.csv"
    found: dict[str, list[AccountRange]] = {}
    for line, row in read_table(path):
        span = _range(row, path, line, problems)
        if span is not None:
            found.setdefault(row["class"], []).append(span)
    return AccountClasses({k: tuple(v) for k, v in found.items()})


def load_close_rules(folder: Path, roles: Iterable[str], problems: Problems) -> tuple[CloseRule, ...]:
    """``close_rules.csv``: every row a range or a role; one counter account per purpose."""
    path = folder / "close_rules.csv"
    rules, against = [], {}
    for line, row in read_table(path):
        span, role = _range(row, path, line, problems), row.get("role") or None
        if (span is None) == (role is None):
            problems.add(path, line, "close-rule", "give either an account range or a role")
            continue
        if role is not None and role not in roles:
            problems.add(path, line, "role-unknown", f"role {role!r} is no account role")
            continue
        if against.setdefault(row["purpose"], row["against"]) != row["against"]:
            problems.add(path, line, "close-rule", f"purpose {row['purpose']} closes against two accounts")
            continue
        rules.append(CloseRule(row["purpose"], span, role, row.get("closes_on") or None, row["against"],
                               row.get("source", "")))
    return tuple(rules)


def load_carry_rules(folder: Path, problems: Problems) -> tuple[CarryRule, ...]:
    """``carry_forward.csv``."""
    path = folder / "carry_forward.csv"
    rules = []
    for line, row in read_table(path):
        span, role = _range(row, path, line, problems), row.get("role") or None
        if (span is None) == (role is None) or (role is not None and not row.get("carried_to")):
            problems.add(path, line, "carry-rule", "give an account range, or a role with carried_to")
            continue
        rules.append(CarryRule(span, role, row.get("carried_to") or None, row.get("source", "")))
    return tuple(rules)


def load_note_7a_items(folder: Path, problems: Problems) -> tuple[Note7AItem, ...]:
    """``note_7a_items.csv``."""
    path = folder / "note_7a_items.csv"
    items = []
    for line, row in read_table(path):
        if row["measure"] not in NOTE_7A_MEASURES:
            problems.add(path, line, "measure", f"measure {row['measure']!r} not in {NOTE_7A_MEASURES}")
            continue
        split = lambda text: tuple(t for t in text.split("|") if t)  # noqa: E731
        items.append(Note7AItem(row["line_id"], row["measure"], split(row.get("accounts", "")),
                                split(row.get("roles", "")), row.get("source", "")))
    return tuple(items)


def load_keyed(path: Path, key_columns: tuple[str, ...], value_column: str) -> dict[tuple[str, ...], str]:
    """A table as {(key columns...): value}."""
    return {tuple(row[k] for k in key_columns): row[value_column] for _, row in read_table(path)}


def load_whole_voucher_accounts(folder: Path, problems: Problems) -> tuple[tuple[str, str], ...]:
    """Account ranges whose vouchers the statements read whole (``whole_vouchers.csv``).

    The statements read every other line only in sums per account, statskonto,
    artskonto and dimensions (:meth:`ledger.books.store.Books.compact_lines`).  A
    statement that looks at vouchers (which lines share one) names its accounts here.
    """
    path = folder / "whole_vouchers.csv"
    ranges = []
    for line, row in read_table(path):
        low, high = row["from"], row["to"]
        if not (low.isdigit() and high.isdigit() and len(low) == len(high) == 4 and low <= high):
            problems.add(path, line, "account-range", f"not a range of four-digit accounts: {low}-{high}")
            continue
        ranges.append((low, high))
    return tuple(ranges)


def load_by_statement(path: Path, key: str, value: str) -> dict[str, dict[str, str]]:
    """A table keyed by statement: statement → {row[key]: row[value]}.

    ``capital_lines.csv`` (line → role), ``statement_parameters.csv`` (parameter → value).
    """
    found: dict[str, dict[str, str]] = {}
    for _, row in read_table(path):
        found.setdefault(row["statement"], {})[row[key]] = row[value]
    return found


def number_range(text: str) -> tuple[int, int]:
    """``'01-29'`` → (1, 29); ``'01'`` → (1, 1)."""
    low, _, high = text.partition("-")
    return int(low), int(high or low)


@attrs.frozen
class DerivedColumn:
    """A row of ``derived_columns.csv``: ``column`` of ``statement`` is ``terms`` (sign, column)
    of the same line, on ``line_id`` (empty: every detail line of the statement)."""

    statement: str
    line_id: str
    column: str
    terms: tuple[tuple[int, str], ...]
    source: str

    def applies_to(self, line_id: str) -> bool:
        """Whether the rule gives the column of ``line_id``."""
        return not self.line_id or self.line_id == line_id


def signed_terms(text: str) -> tuple[tuple[int, str], ...] | None:
    """``+avregnet|-mellomvaerende`` → ((1, 'avregnet'), (-1, 'mellomvaerende')); None if a term lacks its sign."""
    terms = []
    for term in (t.strip() for t in text.split("|")):
        if len(term) < 2 or term[0] not in "+-":
            return None
        terms.append((1 if term[0] == "+" else -1, term[1:]))
    return tuple(terms)


def load_derived_columns(folder: Path, layouts: Mapping, problems: Problems,
                         content: bytes | None = None) -> tuple[DerivedColumn, ...]:
    """``derived_columns.csv`` of ``folder`` (or ``content``, an agency's table of that name), each
    statement and column checked against ``layouts``."""
    path = folder / "derived_columns.csv" if content is None else Path("derived_columns.csv")
    if content is None and not path.exists():
        return ()
    rules = []
    for line, row in table_rows(path, content):
        terms = signed_terms(row.get("terms", ""))
        lay = layouts.get(row["statement"])
        if terms is None:
            problems.add(path, line, "terms", f"terms {row.get('terms')!r}: '|'-separated columns, each with + or -")
        elif lay is None:
            problems.add(path, line, "statement-unknown", f"no statement {row['statement']!r}")
        elif unknown := [c for c in (row["column"], *(t for _, t in terms)) if c not in lay.columns]:
            problems.add(path, line, "column-unknown", f"{row['statement']} has no column {unknown[0]!r}")
        elif row.get("line_id") and row["line_id"] not in lay.line_ids:
            problems.add(path, line, "line-unknown", f"{row['statement']} has no line {row['line_id']!r}")
        else:
            rules.append(DerivedColumn(row["statement"], row.get("line_id", ""), row["column"], terms,
                                       row.get("source", "")))
    return tuple(rules)


KEY_FIGURE_TERMS = ("agency", "posts", "line")


@attrs.frozen
class KeyFigureTerm:
    """A numerator or denominator of a key figure (``key_figures.csv``), by its ``kind``:

    - ``agency:KEY`` — a fact of the year's ``agency.toml`` (employees, FTEs), in hundredths;
    - ``posts:COLUMN:RELATIONS:POSTS`` — the appropriation report's ``COLUMN`` (``regnskap``,
      ``samlet_tildeling``) summed over the expense posts ``POSTS`` (``01-29``) of the budget
      relations ``RELATIONS`` (``own|belastningsfullmakt``);
    - ``line:STATEMENT:LINE`` — a line of an accrual statement (``resultat``, ``balanse``, a
      note), this year's column, or a key figure above it (``line:nokkeltall:utforte_arsverk``).
    """

    kind: str
    args: tuple[str, ...]
    text: str

    @property
    def post_range(self) -> tuple[int, int]:
        """The posts of a ``posts`` term as numbers, inclusive."""
        return number_range(self.args[2])


@attrs.frozen
class KeyFigure:
    """One key figure: ``numerator × factor ÷ denominator`` (no denominator: the numerator), rounded half away."""

    line_id: str
    name: str
    numerator: KeyFigureTerm
    denominator: KeyFigureTerm | None
    factor: int
    source: str


def key_figure_term(text: str) -> KeyFigureTerm | None:
    """A term of ``key_figures.csv`` parsed, or None when it is not one of :data:`KEY_FIGURE_TERMS`."""
    kind, *args = text.split(":")
    shape = {"agency": 1, "posts": 3, "line": 2}
    if kind not in shape or len(args) != shape[kind] or not all(args):
        return None
    term = KeyFigureTerm(kind, tuple(args), text)
    if kind == "posts":
        try:
            term.post_range
        except ValueError:
            return None
    return term


KEY_FIGURES_STATEMENT = "nokkeltall"
"""The statement whose lines the key figures are."""
POST_COLUMNS = ("regnskap", "samlet_tildeling")
"""The appropriation report's columns a ``posts`` term can sum."""
AGENCY_FIGURES = ("employees", "agreed_fte", "performed_fte")
"""The numeric facts of the year's ``agency.toml`` a key figure can read."""


def key_figure_term_problems(term: KeyFigureTerm, layouts: Mapping, above: Iterable[str]) -> list[str]:
    """What is wrong with ``term`` against the layouts: an unknown statement, line, column or relation,
    an agency fact that is not a figure, a key figure that is not computed above this one (``above``)."""
    if term.kind == "agency":
        key = term.args[0]
        return [] if key in AGENCY_FIGURES else [f"{term.text}: agency.toml has no figure {key!r} "
                                                 f"(known: {', '.join(AGENCY_FIGURES)})"]
    if term.kind == "posts":
        column, relations, _ = term.args
        found = []
        report = layouts.get("bevilgning")
        if column not in POST_COLUMNS or (report is not None and column not in report.columns):
            found.append(f"{term.text}: the appropriation report has no column {column!r} a key figure can sum "
                         f"(known: {', '.join(POST_COLUMNS)})")
        found += [f"{term.text}: unknown relation {r!r} (known: {', '.join(RELATIONS)})"
                  for r in relations.split("|") if r not in RELATIONS]
        low, high = term.post_range
        if not 1 <= low <= high <= 99:
            found.append(f"{term.text}: posts {term.args[2]} are not a range within 01-99")
        return found
    statement, line_id = term.args
    layout = layouts.get(statement)
    if layout is None:
        return [f"{term.text}: no statement {statement!r}"]
    if line_id not in layout.line_ids:
        return [f"{term.text}: {statement} has no line {line_id!r}"]
    if layout.line(line_id).kind == "heading":
        return [f"{term.text}: {statement} {line_id} is a heading, which carries no amount"]
    if statement == KEY_FIGURES_STATEMENT and line_id not in set(above):
        return [f"{term.text}: key figure {line_id!r} is not computed above this one (the file's order)"]
    return []


def load_key_figures(folder: Path, problems: Problems, layouts: Mapping | None = None) -> tuple[KeyFigure, ...]:
    """``key_figures.csv``: each key figure's formula, in the order they are computed; with ``layouts``,
    each line and term checked against them (:func:`key_figure_term_problems`)."""
    path = folder / "key_figures.csv"
    if not path.exists():
        return ()
    figures: list[KeyFigure] = []
    above: list[str] = []  # the key figures of the rows before this one, broken or not
    for line, row in read_table(path):
        numerator = key_figure_term(row.get("numerator", ""))
        denominator = key_figure_term(row["denominator"]) if row.get("denominator") else None
        factor = row.get("factor") or "1"
        if numerator is None or (row.get("denominator") and denominator is None) or not factor.isdigit():
            problems.add(path, line, "key-figure", f"{row.get('line_id')}: numerator and denominator are "
                         f"{', '.join(KEY_FIGURE_TERMS)} terms, factor a whole number")
            continue
        if layouts is not None:
            own = layouts.get(KEY_FIGURES_STATEMENT)
            broken = [] if own is not None and row["line_id"] in own.line_ids else [
                f"{row['line_id']}: {KEY_FIGURES_STATEMENT} has no line {row['line_id']!r}"]
            for term in filter(None, (numerator, denominator)):
                broken += key_figure_term_problems(term, layouts, above)
            for message in broken:
                problems.add(path, line, "key-figure-term", message)
            above.append(row["line_id"])
            if broken:
                continue
        figures.append(KeyFigure(row["line_id"], row.get("name", row["line_id"]), numerator, denominator,
                                 int(factor), row.get("source", "")))
    return tuple(figures)
