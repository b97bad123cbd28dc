"""What makes up a figure of a statement: accounts, statskontoer, terms, inputs, vouchers.

:func:`explain` answers for one (statement, line, column):

- a **sum** line: its terms with their figures (explain each term in turn);
- an **account-fed** line (``*_map.csv``): the accounts (for ``artskonto``: the
  artskonto codes of the reported lines) with their amounts, presented with the
  line's sign;
- a **statskonto-fed** line (the appropriation report, note 9's overview): the
  lines coded with that statskonto; the capital-account lines: the KK and
  mellomværende accounts; samlet tildeling: the appropriations input;
- last year's column: the comparatives input.

It also selects the posted lines behind the figure (``Explanation.lines``), so an
auditor gets from any number to its vouchers.  Where the statement computes a figure
in a way this module cannot retrace (roll-forwards, the 7A walk), it says so and
lists what it can; ``complete`` tells whether the parts add up to the figure.
Pure: everything comes in as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs
import numpy as np
import pandas as pd

from ledger.books.store import SUMMED_ROW_KEYS
from ledger.core.money import format_kroner
from ledger.reconcile.explain_parts import LINE_COLUMNS, Part, empty_lines, select
from ledger.core.records import BatchKind
from ledger.reconcile import explain_rules
from ledger.reconcile.explain_rules import StatementTables
from ledger.reference.layout import OPENING_DATE, THIS_YEAR, years_back
from ledger.reference.mapping import lines_of
from ledger.statements import base
from ledger.statements.artskonto import artskonto_codes
from ledger.statements.registry import CASH_STATEMENTS
from ledger.statements.year_data import YearData

_STATSKONTO = re.compile(r"\b(\d{4}\.\d{2})\b")


@attrs.frozen(eq=False)
class Explanation:
    """The parts of one figure and the posted lines behind it (``lines``, with ``presented``)."""

    statement: str
    line_id: str
    column: str
    label: str
    kind: str
    figure: int
    basis: str
    parts: tuple[Part, ...]
    lines: pd.DataFrame
    unit: str = "kr"
    computed: int | None = None

    @property
    def formula(self) -> bool:
        """Whether the parts are a formula's terms (a key figure's numerator and denominator), not addends."""
        return self.computed is not None

    @property
    def complete(self) -> bool:
        """Whether the parts add up to the figure (a 0 with no parts does); for a formula,
        whether its terms give the figure."""
        if self.formula:
            return self.computed == self.figure
        return sum(p.amount for p in self.parts) == self.figure

    @property
    def line_count(self) -> int:
        """How many posted lines are behind the figure (a summed row of ``lines`` stands for its
        ``line_count`` lines)."""
        if "line_count" not in self.lines:
            return len(self.lines)
        return int(self.lines["line_count"].fillna(1).astype("int64").sum())

    def pages(self, page_size: int = 40) -> int:
        """How many pages of ``page_size`` the posted lines behind the figure fill (at least one)."""
        return max(1, -(-self.line_count // page_size))


_empty_lines, _select = empty_lines, select


def posted_lines(result: Explanation, data: YearData, books, page: int = 1, page_size: int = 40) -> pd.DataFrame:
    """Page ``page`` (1-based) of the posted lines behind ``result``, in the order they were
    posted, each with its ``presented`` amount.

    A summed row of ``result.lines`` (id -1: the lines of a batch with one key outside the
    vouchers read whole) stands for the lines it sums: their ids are found in ``books``
    (:meth:`ledger.books.store.Books.line_ids_of_keys`, less the lines ``data`` read whole),
    and only the lines of the page are read (:meth:`~ledger.books.store.Books.lines_with_ids`).
    ``books`` is not used when ``data`` holds every line.  A line behind two terms of a sum is
    listed under each.
    """
    rows = result.lines
    start, end = (page - 1) * page_size, page * page_size
    if "id" not in rows or not (rows["id"] < 0).any():
        listed = rows.sort_values("id", kind="stable") if "id" in rows else rows
        return _shown(listed.iloc[start:end])
    # Rows with no id are the close's entries computed again (not posted yet): listed as they are.
    summed, posted = rows.loc[rows["id"] < 0], rows.loc[~(rows["id"] < 0)]
    whole = data.lines["id"] if "id" in data.lines else pd.Series([], dtype="int64")
    whole = whole.loc[whole >= 0].to_numpy()
    order = [pd.DataFrame({"id": posted["id"], "sign": posted["sign"], "row": np.arange(len(posted))})]
    by_sign = list(summed.groupby("sign", sort=False))
    # How many ids each sign's keys stand for: a summed row counts its lines (those of a key
    # named twice under one sign are listed once).
    counted = "line_count" in summed
    total = len(posted) + sum(int(keys.drop_duplicates(list(SUMMED_ROW_KEYS))["line_count"].sum())
                              for _, keys in by_sign) if counted else 0
    # A page in the latter half is read from the end: the last `total - start` ids of each sign
    # suffice, as the first `end` do for a page in the first half.
    from_end = counted and start > total // 2
    for sign, keys in by_sign:
        ids = books.line_ids_of_keys(data.year, keys, whole, total - start if from_end else end, from_end=from_end)
        order.append(pd.DataFrame({"id": ids, "sign": sign, "row": -1}))
    merged = pd.concat(order, ignore_index=True).sort_values("id", kind="stable")
    if from_end:   # the candidates end with the same `total - start` rows as the whole list
        merged = merged.iloc[max(len(merged) - (total - start), 0):]
        start, end = 0, end - start
    on_page = merged.iloc[start:end]
    if on_page.empty:
        return _shown(posted.iloc[0:0])
    # The page's rows in their order (`_at`): those at hand taken from `posted`, the others read.
    at, rows_at = np.arange(len(on_page)), on_page["row"].to_numpy()
    held = rows_at >= 0
    pieces = [posted.iloc[rows_at[held]].assign(_at=at[held])] if held.any() else []
    if not held.all():
        ids, signs = on_page["id"].to_numpy()[~held], on_page["sign"].to_numpy()[~held]
        found = books.lines_with_ids(data.year, ids).set_index("id")
        lines = found.loc[ids].reset_index()
        pieces.append(lines.assign(sign=signs, presented=signs * lines["amount"].astype("int64").to_numpy(),
                                   _at=at[~held]))
    page_lines = pd.concat(pieces, ignore_index=True).sort_values("_at", kind="stable")
    return _shown(page_lines.drop(columns="_at"))


def _shown(lines: pd.DataFrame) -> pd.DataFrame:
    """The columns of posted lines a reader sees: LINE_COLUMNS and ``presented``."""
    return lines[[c for c in (*LINE_COLUMNS, "presented") if c in lines.columns]].reset_index(drop=True)


def _period_lines(data: YearData, statement: str, column: str) -> pd.DataFrame:
    """The opening-balance column (``ib``) sees only the opening batch; cash statements
    no closing batch; others the whole year."""
    if column == OPENING_DATE:
        return base.opening(data)
    if statement in CASH_STATEMENTS:
        return base.year_end_lines(data)
    return base.clean(data.lines)


def _by_key(data: YearData, lines: pd.DataFrame, keys: pd.Series, kind: str, sign: int) -> tuple[Part, ...]:
    sums = lines.assign(_key=keys).groupby("_key")["amount"].sum()
    names = {**{c: a.name for c, a in data.chart.skp_accounts.items()}} if kind == "artskonto" else {
        c: a.name for c, a in data.chart.accounts.items()}
    return tuple(Part(kind, str(k), names.get(str(k), ""), sign * int(v)) for k, v in sums.items() if v)


def _mapped(data: YearData, statement: str, line_id: str, column: str, sign: int):
    rows = [r for r in data.mappings.get(statement, ()) if r.line_id == line_id and r.applies_to(column)]
    if not rows:
        return None
    lines = _period_lines(data, statement, column)
    if statement == "artskonto":
        lines = base.reported(data)
        keys = artskonto_codes(data, lines)
        kind = "artskonto"
    else:
        keys, kind = lines["account"], "account"
    # the mapping is asked once per distinct key, not once per row
    hit = keys.isin([code for code in keys.unique() if lines_of(str(code), rows, column)])
    ranges = ", ".join(f"{r.account_from}" + (f"-{r.account_to}" if r.account_to != r.account_from else "")
                       for r in rows)
    basis = f"{'artskonto' if kind == 'artskonto' else 'accounts'} {ranges} ({rows[0].file})"
    return basis, _by_key(data, lines[hit], keys[hit], kind, sign), _select(lines, hit.astype(bool), sign)


def _statskonto_fed(data: YearData, statskonto: str, sign: int, what: str, statement: str = "bevilgning"):
    lines = base.reported(data) if statement in CASH_STATEMENTS else base.clean(data.lines)
    hit = lines["statskonto"] == statskonto
    total = int(lines.loc[hit, "amount"].sum())
    parts = (Part("statskonto", statskonto, what, sign * total),) if total else ()
    return f"lines coded with statskonto {statskonto}", parts, _select(lines, hit, sign)


# appropriation-input columns by statement column (Note A, Note B, the appropriation report)
INPUT_COLUMNS = {
    "samlet_tildeling": ("overfort_fra_i_fjor", "arets_tildelinger"),
    "overfort": ("overfort_fra_i_fjor",), "tildelinger": ("arets_tildelinger",),
    "lonnskompensasjon": ("lonnskompensasjon",), "avgitte_fullmakter": ("avgitt_belastningsfullmakt",),
    "omdisponering": ("omdisponering",), "innsparinger": ("innsparinger",),
}


def _appropriation(data: YearData, statskonto: str, column: str) -> tuple[str, tuple[Part, ...]]:
    table = data.appropriations
    row = table.loc[table["statskonto"] == statskonto]
    if row.empty:
        return "appropriations input: no row for this statskonto", ()
    fields = INPUT_COLUMNS[column]
    parts = tuple(Part("input", f"appropriations.csv:{c}", c, int(row.iloc[0][c])) for c in fields
                  if int(row.iloc[0][c]))
    return f"appropriations input: {' + '.join(fields)}", parts


# Note B columns that add other columns of the same line
NOTE_B_COLUMNS = {"etter_avgitte": ("avvik", "avgitte_fullmakter"),
                  "grunnlag": ("etter_avgitte", "merinntekter", "omdisponering", "innsparinger")}


def _avvik(data: YearData, statskonto: str, sign: int):
    """Merutgift/mindreutgift: samlet tildeling − regnskap (own posts with an appropriation)."""
    if (data.appropriations["statskonto"] != statskonto).all():
        return "no appropriation for this statskonto: no merutgift/mindreutgift", (), _empty_lines()
    _, granted = _appropriation(data, statskonto, "samlet_tildeling")
    _, spent, lines = _statskonto_fed(data, statskonto, -sign, "− regnskap")
    return ("samlet tildeling (appropriations input) − regnskap (lines coded with the statskonto)",
            granted + spent, lines)


def _capital(data: YearData, statement: str, line_id: str, column: str, sign: int):
    roles = (data.reference.capital_lines[statement][line_id],)
    codes = base.accounts_with_roles(data, *roles)
    if column not in ("regnskap", "endring", THIS_YEAR):
        return "no figure in this column", (), _empty_lines()
    # the year's movements, or (the holding at 31.12) the balance before closing
    lines = _period_lines(data, "bevilgning", column) if column == THIS_YEAR else base.movements(data)
    hit = lines["account"].isin(codes)
    basis = f"accounts with role {', '.join(roles)}"
    return basis, _by_key(data, lines[hit], lines.loc[hit, "account"], "account", sign), _select(lines, hit, sign)


def _comparative(data: YearData, statement: str, line_id: str, column: str):
    comp = data.comparatives
    row = comp.loc[(comp["statement"] == statement) & (comp["line_id"] == line_id) & (comp["column"] == column)]
    parts = tuple(Part("input", f"comparatives:{statement}:{line_id}:{column}", "last year's closed figure",
                       int(r.amount)) for r in row.itertuples(index=False))
    return "comparatives input (last year's closed accounts)", parts


def explain(data: YearData, tables: Mapping[str, pd.DataFrame], statement: str, line_id: str,
            column: str | None = None) -> Explanation:
    """The explanation of one figure; ``column`` defaults to this year's (``aar``), else the layout's first.

    Lines fed from outside the mappings are described by ``external_lines.csv``
    (``data.reference.external_lines``).  Raises KeyError for an unknown statement, line or column.
    """
    layout = data.layouts[statement]
    line = layout.line(line_id)
    column = column or (THIS_YEAR if THIS_YEAR in layout.columns else layout.columns[0])
    if column not in layout.columns:
        raise KeyError(f"{statement} has no column {column!r}; columns: {', '.join(layout.columns)}")
    tables = StatementTables(data, tables)
    table = tables[statement]
    figure = int(table.loc[table["line_id"] == line_id, column].iloc[0])
    fed_by = {(s, line_id): text for s, lines in data.reference.external_lines.items()
              for line_id, text in lines.items()}
    basis, parts, lines, *computed = _explain_line(data, tables, statement, line, column,
                                                   fed_by)
    return Explanation(statement, line_id, column, line.label, line.kind, figure, basis, parts,
                       lines.reset_index(drop=True), layout.unit_of(line_id), computed[0] if computed else None)


def _explain_line(data, tables, statement, line, column, fed_by):
    sign, line_id = line.sign, line.line_id
    if line.kind == "heading":
        return "a heading carries no amount", (), _empty_lines()
    if line.kind == "sum":
        return _explain_sum(data, tables, statement, line, column, fed_by)
    if (years_back(column) or 0) > 0:
        basis, parts = _comparative(data, statement, line_id, column)
        return basis, parts, _empty_lines()
    derived = data.reference.derived(statement, line_id, column)
    if derived is not None:
        return explain_rules.derived_column(data, tables, statement, line, column, derived)
    mapped = _mapped(data, statement, line_id, column, sign)
    if mapped is not None:
        return mapped
    if line_id in data.reference.capital_lines.get(statement, {}):
        return _capital(data, statement, line_id, column, sign)
    found = _STATSKONTO.fullmatch(line_id) or _STATSKONTO.search(fed_by.get((statement, line_id), ""))
    statskonto = found.group(1) if found else None
    if statskonto and column in INPUT_COLUMNS:
        basis, parts = _appropriation(data, statskonto, column)
        return basis, parts, _empty_lines()
    if statskonto and column == "avvik":
        return _avvik(data, statskonto, sign)
    if statskonto and statement not in ("note_a", "note_b") and column not in ("samlet_tildeling", "avvik"):
        return _statskonto_fed(data, statskonto, sign, line.label, statement)
    if statement == "note_b" and column in NOTE_B_COLUMNS:
        row = tables[statement].loc[tables[statement]["line_id"] == line_id].iloc[0]
        parts = tuple(Part("term", f"{line_id}:{c}", c, int(row[c])) for c in NOTE_B_COLUMNS[column])
        return f"Note B: {' + '.join(NOTE_B_COLUMNS[column])} (same line)", parts, _empty_lines()
    if statement == "note_b" and column in ("maks", "mulig"):
        basis, parts = _note_b_rule(data, tables, line_id, column)
        return basis, parts, _empty_lines()
    found = explain_rules.explain_rule(data, tables, statement, line, column)
    if found is not None:
        return found
    unfed = explain_rules.unfed_column(data, statement, line, column)
    if unfed is not None:
        return unfed
    if (statement, line_id) in fed_by and not explain_rules.figure_of(tables, statement, line_id, column):
        return f"fed by nothing in these books (external_lines.csv): {fed_by[(statement, line_id)]}", (), _empty_lines()
    return "not retraceable from a mapping: computed by the statement from movements and inputs", (), _empty_lines()


def _kr(ore: int) -> str:
    return format_kroner(ore)


def _note_b_rule(data: YearData, tables, statskonto: str, column: str) -> tuple[str, tuple[Part, ...]]:
    """Note B's maks or mulig written out with this year's figures (note_b_rules.csv, the inputs)."""
    from ledger.statements import note_b as rule

    post = base.catalogue(data).get(statskonto)
    rules = base.catalogue(data).note_b or data.reference.note_b_rules
    row = tables["note_b"].loc[tables["note_b"]["line_id"] == statskonto].iloc[0]
    figure = int(row[column])
    lonn = base.appropriation(data, statskonto, "lonnskompensasjon")
    if column == "mulig":
        grunnlag, maks = int(row["grunnlag"]), int(row["maks"])
        floor = rule.floor_of(rules, lonn)
        binding = "grunnlag" if figure == grunnlag else "maks" if figure == maks else "lonnskompensasjon"
        basis = (f"mulig = sum grunnlag for overføring {_kr(grunnlag)}, at most maks {_kr(maks)}"
                 + (f", at least the floor ({rules.floor}) {_kr(floor)}" if floor is not None else "")
                 + f" = {_kr(figure)} (note_b_rules.csv floor; R-2 footnote ***); "
                 f"explain note_b {statskonto} {binding} for the term")
        return basis, (Part("term", f"{statskonto}:{binding}", binding, figure),)
    arets = base.appropriation(data, statskonto, "arets_tildelinger")
    if post is not None and post.kan_overfores:
        previous, _ = rule.previous_appropriation(data, statskonto)
        years = rules.kan_overfores_cap_years
        if years == 1 or previous is None:
            what = "årets tildelinger" if years == 1 else "samlet tildeling (last year's appropriation unknown)"
            return (f"maks = {what} {_kr(figure)} («kan overføres»: the last {years} years' appropriation, "
                    "note_b_rules.csv kan_overfores_cap_years)"), (Part("input", f"{statskonto}:arets_tildelinger",
                                                                         what, figure),)
        return (f"maks = årets tildelinger {_kr(arets)} + last year's appropriation {_kr(previous)} = {_kr(figure)} "
                f"(«kan overføres»: the last {years} years' appropriation, note_b_rules.csv)"), (
            Part("input", f"{statskonto}:arets_tildelinger", "årets tildelinger (appropriations.csv)", arets),
            Part("input", f"{statskonto}:forrige_ars_bevilgning", "last year's appropriation", previous))
    if post is not None and rules.subject_to_five_percent(post):
        share = rule.five_percent_max(arets, lonn, rules.rate_percent) - lonn
        return (f"maks = (årets tildelinger {_kr(arets)} − lønnskompensasjon {_kr(lonn)}) × {rules.rate_percent} % "
                f"+ lønnskompensasjon {_kr(lonn)} = {_kr(share)} + {_kr(lonn)} = {_kr(figure)} "
                "(note_b_rules.csv, R-2 footnote **)"), (
            Part("term", f"{statskonto}:{rules.rate_percent}%", f"{rules.rate_percent} % of (årets tildelinger − "
                 "lønnskompensasjon), appropriations.csv", share),
            Part("input", f"{statskonto}:lonnskompensasjon", "lønnskompensasjon (appropriations.csv)", lonn))
    return f"maks = 0: no maximum rule of note_b_rules.csv applies to post {statskonto}", ()


def _explain_sum(data, tables, statement, line, column, fed_by):
    table = tables[statement]
    parts, frames = [], []
    for term_sign, ref in line.sum_of:
        value = int(table.loc[table["line_id"] == ref, column].iloc[0])
        ref_line = data.layouts[statement].line(ref)
        parts.append(Part("term", ref, ref_line.label, line.sign * term_sign * value))
        _, _, lines = _explain_line(data, tables, statement, ref_line, column, fed_by)
        if not lines.empty:
            lines = lines.assign(presented=line.sign * term_sign * lines["presented"],
                                 sign=line.sign * term_sign * lines["sign"])
            frames.append(lines)
    terms = " ".join(f"{'+' if s > 0 else '-'} {ref}" for s, ref in line.sum_of)
    selected = pd.concat(frames, ignore_index=True) if frames else _empty_lines()
    return f"sum: {terms.lstrip('+ ')}", tuple(parts), selected
