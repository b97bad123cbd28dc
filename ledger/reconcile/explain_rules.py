"""The arithmetic of the figures a statement computes by a rule rather than a mapping.

Each function answers one kind of rule with ``(basis, parts, lines)`` as
:func:`ledger.reconcile.explain.explain` does: the rule written out, its terms as
:class:`~ledger.reconcile.explain.Part` (a term whose ``ref`` names another figure, which
``ledger explain`` explains in turn) and the posted lines behind it.  The rules are the
reference data the statements apply: ``derived_columns.csv`` (a column from other columns
of the line), ``note_7a_items.csv`` (note 7A's items and its residual),
``rollforward_lines.csv`` (notes 3 and 4), the lease-term and grant-scheme dimensions
(note 5's rent table, note 9), ``key_figures.csv`` (the key figures) and the year's
inputs.  Every figure is taken from the statement tables or recomputed by the statement's
own functions, never typed in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd

from ledger.core.money import format_decimal, format_kroner
from ledger.core.units import present
from ledger.reconcile.explain_parts import Part, empty_lines, select
from ledger.statements import base, srs_assets, srs_keyfigures, srs_treasury
from ledger.statements.note_b import merinntekter
from ledger.statements.registry import statements_for
from ledger.statements.year_data import YearData


class StatementTables(Mapping):
    """The statement tables at hand, computing a missing one when a term refers to it."""

    def __init__(self, data: YearData, tables: Mapping[str, pd.DataFrame]):
        self._data, self._tables = data, dict(tables)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = statements_for(self._data.reference)[name](self._data)
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def figure_of(tables: Mapping[str, pd.DataFrame], statement: str, line_id: str, column: str) -> int:
    """One figure of a statement table (øre or hundredths, as the table holds it)."""
    table = tables[statement]
    return int(table.loc[table["line_id"] == line_id, column].iloc[0])


def term(tables, data: YearData, statement: str, line_id: str, column: str, sign: int = 1, name: str = "") -> Part:
    """A part that is another figure (``sign`` × it), explainable in turn."""
    label = name or data.layouts[statement].line(line_id).label
    return Part("term", f"{statement}:{line_id}:{column}", label, sign * figure_of(tables, statement, line_id, column),
                ref=f"{statement} {line_id} {column}")


def derived_column(data, tables, statement, line, column, rule):
    """A column computed from other columns of the same line (``derived_columns.csv``)."""
    parts = tuple(term(tables, data, statement, line.line_id, col, sign, f"{line.label} [{col}]")
                  for sign, col in rule.terms)
    terms = " ".join(f"{'+' if s > 0 else '−'} {c}" for s, c in rule.terms).lstrip("+ ")
    return f"{column} = {terms} of the same line (derived_columns.csv: {rule.source})", parts, empty_lines()


def unfed_column(data, statement, line, column):
    """A mapped line with no mapping row for this column: nothing feeds it, 0."""
    rows = [r for r in data.mappings.get(statement, ()) if r.line_id == line.line_id]
    if not rows:
        return None
    fed = sorted({r.column or "every column" for r in rows})
    return (f"no row of {rows[0].file} puts an account on this line in column {column} (its rows feed "
            f"{', '.join(fed)}): 0"), (), empty_lines()


# -- note 7A ------------------------------------------------------------------------

def _walk(data: YearData) -> pd.DataFrame:
    closing = base.close_lines(data)
    return pd.concat([base.movements(data), closing[closing["purpose"] != "kk"]], ignore_index=True)


def _by_account(data: YearData, lines: pd.DataFrame, sign: int) -> tuple[Part, ...]:
    sums = lines.groupby("account")["amount"].sum()
    names = {c: a.name for c, a in data.chart.accounts.items()}
    return tuple(Part("account", str(k), names.get(str(k), ""), sign * int(v)) for k, v in sums.items() if v)


def _collection_split(data: YearData, item) -> tuple[pd.DataFrame, pd.Series]:
    """The year's collection lines and whether each is in a voucher with a line on the item's accounts (KK in)."""
    moves = base.movements(data)
    collection = base.in_class(data, moves, "collection")
    base.require_whole(data, set(collection["account"]), "note 7A's collection through KK")
    accounts = frozenset(item.accounts) | base.accounts_with_roles(data, *item.roles)
    with_kk = set(moves.loc[moves["account"].isin(accounts), "voucher"])
    return collection, collection["voucher"].isin(with_kk)


def note_7a(data, tables, statement, line, column):
    """Note 7A: each item by its measure (``note_7a_items.csv``), the residual as the change in
    avregnet less the other items, the top row from the balance sheet."""
    items = {item.line_id: item for item in data.reference.note_7a_items}
    item = items.get(line.line_id)
    if item is None:
        return None
    lay = data.layouts[statement]
    end, start, change = lay.columns[:3]
    what = f"note_7a_items.csv {item.measure}: {item.source}"
    if item.measure == "balance":
        balance, _, balance_line = item.accounts[0].partition(":")
        return (f"{balance} {balance_line} at {column} ({what})",
                (term(tables, data, balance, balance_line, column),), empty_lines())
    if column != change:
        return f"a change of the year, shown in column {change} only: no figure at {column} ({what})", (), empty_lines()
    if item.measure == "residual":
        return _residual(data, tables, statement, line, items, what)
    if item.measure == "collection_through_kk":
        collection, through = _collection_split(data, item)
        chosen = collection[through]
        return (f"collection lines in vouchers with a line on {', '.join(item.roles + item.accounts)} ({what})",
                _by_account(data, chosen, line.sign), select(chosen, pd.Series(True, index=chosen.index), line.sign))
    walk = _walk(data)
    accounts = frozenset(item.accounts) | base.accounts_with_roles(data, *item.roles)
    hit = walk["account"].isin(accounts)
    parts, lines = _by_account(data, walk[hit], line.sign), select(walk, hit, line.sign)
    if item.measure == "grants_with_set_off":
        kk_item = next(i for i in items.values() if i.measure == "collection_through_kk")
        collection, through = _collection_split(data, kk_item)
        set_off = collection[~through]
        parts += (Part("term", "set_off", "collection set off in grant payments (vouchers without KK in)",
                       line.sign * int(set_off["amount"].sum())),)
        lines = pd.concat([lines, select(set_off, pd.Series(True, index=set_off.index), line.sign)],
                          ignore_index=True)
    return f"the year's movements on {', '.join(sorted(accounts))} with the close ({what})", parts, lines


def _residual(data, tables, statement, line, items, what):
    """The residual item: the change in avregnet (ledger sign) less every other item of the walk."""
    balance = next(i for i in items.values() if i.measure == "balance")
    change = data.layouts[statement].columns[2]
    top = data.layouts[statement].line(balance.line_id)
    parts = [term(tables, data, statement, balance.line_id, change, line.sign * top.sign,
                  f"{top.label} (change, debit +)")]
    for other in items.values():
        if other.measure not in ("balance", "residual"):
            sign = -line.sign * data.layouts[statement].line(other.line_id).sign
            parts.append(term(tables, data, statement, other.line_id, change, sign))
    names = " − ".join(p.key.split(":")[1] for p in parts[1:])
    return (f"residual: change in {balance.line_id} − {names} ({what})", tuple(parts), empty_lines())


# -- notes 3, 4 and the projects ---------------------------------------------------

def _traced(data, trace, line, column, sign, basis):
    """Parts by account and the posted lines of a traced (line, column): (voucher, account) → amount."""
    found = trace.get((line.line_id, column), {})
    by_account: dict[str, int] = {}
    for (_, account), value in found.items():
        by_account[account] = by_account.get(account, 0) + value
    names = {c: a.name for c, a in data.chart.accounts.items()}
    parts = tuple(Part("account", a, names.get(a, "sale proceeds (SKP 380)" if a == "sale_proceeds" else ""),
                       sign * v) for a, v in sorted(by_account.items()) if v)
    moves, opening = base.movements(data), base.opening(data)
    pairs = {(str(v), str(a)) for v, a in found}
    opening_accounts = {a for v, a in pairs if v == ""}
    hit = pd.Series([(str(v), str(a)) in pairs for v, a in zip(moves["voucher"], moves["account"])],
                    index=moves.index, dtype=bool)
    frames = [select(moves, hit, sign), select(opening, opening["account"].isin(opening_accounts), sign)]
    sales = {v for v, a in pairs if a == "sale_proceeds"}
    if sales:
        proceeds = base.in_class(data, moves, "sale_proceeds")
        frames.append(select(proceeds, proceeds["voucher"].astype(str).isin(sales), sign))
    return basis, parts, pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(
        not f.empty for f in frames) else empty_lines()


def rollforward(data, tables, statement, line, column):
    """A line of note 3 or 4: the roll-forward event of ``rollforward_lines.csv`` in the group's column."""
    events = [e for e, ln in data.reference.rollforward.items() if ln == line.line_id]
    if not events:
        return None
    groups = [g for g, a in data.asset_groups.items() if a.statement == statement and a.column == column]
    trace = srs_assets.rollforward_sources(data, statement)
    basis = (f"roll-forward event {', '.join(events)} (rollforward_lines.csv) on the accounts of asset group "
             f"{', '.join(groups) or column} (accounts.csv asset_group)")
    return _traced(data, trace, line, column, line.sign, basis)


def projects(data, tables, statement, line, column):
    """A project under construction: its lines by the ``project`` dimension, in the column's event."""
    if line.kind != "detail":
        return None
    trace: dict = {}
    srs_assets.note_3_prosjekter(data, trace)
    dimension = data.reference.parameter(statement, "project_dimension")
    return _traced(data, trace, line, column, line.sign,
                   f"lines on the cost accounts under construction whose '{dimension}' dimension names this project "
                   f"(column {column}: ib the opening balance, aktivert the transfers out, tilgang the rest)")


# -- note 5's rent table, note 9, table 4.3 ----------------------------------------

def rent_term(data, tables, statement, line, column):
    """Note 5 husleie: the rent lines whose lease-term dimension names this line."""
    rent, line_of = srs_treasury.rent_lines(data)
    hit = line_of == line.line_id
    dimension = data.reference.parameter(statement, "lease_term_dimension")
    return (f"rent (the accounts of note_5 husleie) whose '{dimension}' dimension names this term",
            _by_account(data, rent[hit], line.sign), select(rent, hit, line.sign))


def grant_scheme(data, tables, statement, line, column):
    """Note 9: the grant lines whose scheme (statskonto, else the ``ordning`` dimension) is this line."""
    grants, scheme, line_of = srs_treasury.grant_lines(data)
    hit = line_of == line.line_id
    sums = grants[hit].groupby(scheme[hit])["amount"].sum()
    parts = tuple(Part("statskonto", str(k), "grant scheme", line.sign * int(v)) for k, v in sums.items() if v)
    return ("grant lines (class grant) whose statskonto, or 'ordning' dimension, names this scheme "
            "(grant_schemes.csv)"), parts, select(grants, hit, line.sign)


def konsulent(data, tables, statement, line, column):
    """Table 4.3: capitalised consultancy (its change column is a ``derived_columns.csv`` rule)."""
    this = data.layouts[statement].columns[0]
    if column == this and line.line_id in data.reference.external_lines.get(statement, {}):
        lines = srs_keyfigures.capitalised_consultancy_lines(data)
        return (f"consultancy capitalised: {data.reference.external_lines[statement][line.line_id]}",
                _by_account(data, lines, line.sign), select(lines, pd.Series(True, index=lines.index), line.sign))
    return None


# -- Note B, inputs, key figures -----------------------------------------------------

def note_b_merinntekter(data, tables, statement, line, column):
    """Note B merinntekter: the linked income post's merinntekt (``merinntektsfullmakt_mot``)."""
    if column != "merinntekter":
        return None
    linked = base.appropriation_text(data, line.line_id, "merinntektsfullmakt_mot")
    if not linked:
        return ("no merinntektsfullmakt for this post (appropriations.csv merinntektsfullmakt_mot is empty): 0",
                (), empty_lines())
    value = merinntekter(data, line.line_id)
    return (f"merinntekt of the linked income post {linked} (appropriations.csv merinntektsfullmakt_mot): "
            f"regnskap − samlet tildeling of {linked}",
            (Part("term", f"bevilgning:{linked}:avvik", f"merinntekt {linked}", value,
                  ref=f"bevilgning {linked} avvik"),), empty_lines())


def agency_fact(data, tables, statement, line, column):
    """A line that is a fact of the year's ``agency.toml`` (note 2's FTEs)."""
    key = data.reference.parameters.get(statement, {}).get("fte_agency_key")
    if key is None:
        return None
    value = figure_of(tables, statement, line.line_id, column)
    return (f"input: agency.toml {key} of {data.year} (statement_parameters.csv {statement} fte_agency_key)",
            (Part("input", f"agency.toml:{key}", key, value),) if value else (), empty_lines())


def _show(value: int, unit: str) -> str:
    if unit in ("kr", "kr_1000"):
        return f"{format_kroner(value)} kr"
    return f"{format_decimal(value).rstrip('0').rstrip('.').replace('.', ',')}"


def key_figure(data, tables, statement, line, column):
    """A key figure: its formula of ``key_figures.csv`` with every term named and valued."""
    figure = next((f for f in data.reference.key_figures if f.line_id == line.line_id), None)
    if figure is None:
        return None
    tables = StatementTables(data, tables)
    figures = {f.line_id: figure_of(tables, statement, f.line_id, column) for f in data.reference.key_figures}
    numerator = srs_keyfigures.term_values(data, figure.numerator, figures, tables)
    denominator = (None if figure.denominator is None
                   else srs_keyfigures.term_values(data, figure.denominator, figures, tables))
    parts = tuple(_key_part(kind, t) for kind, terms in (("numerator", numerator), ("denominator", denominator or ()))
                  for t in terms)
    unit = data.layouts[statement].unit_of(line.line_id)
    value = srs_keyfigures.key_figure_value(figure, numerator, denominator)
    top = " + ".join(_term_text(data, t) for t in numerator) or "(missing)"
    text = top if len(numerator) <= 1 else f"({top})"
    if denominator is not None:
        bottom = " + ".join(_term_text(data, t) for t in denominator) or "(missing)"
        scale = {10000: " × 100", 100: ""}.get(figure.factor, f" × {figure.factor}")
        text = f"{text}{scale} / {bottom if len(denominator) <= 1 else '(' + bottom + ')'}"
    shown = "no figure" if value is None else (f"{format_kroner(value)} kr" if unit == "kr" else
                                               f"{present(value, unit):,}".replace(",", " ")
                                               + {"pct": " %", "kr_1000": " (1 000 kr)"}.get(unit, ""))
    return (f"{figure.name} = {text} = {shown} (key_figures.csv: {figure.source})", parts, empty_lines(), value)


def _term_unit(data: YearData, t) -> str:
    if t.statement == "agency.toml":
        return "fte"
    if t.statement in data.layouts and t.column:
        return data.layouts[t.statement].unit_of(t.line_id)
    return "kr"


def _term_text(data: YearData, t) -> str:
    return f"{t.name} {_show(t.value, _term_unit(data, t))}"


def _key_part(kind: str, t) -> Part:
    if t.statement == "agency.toml":
        return Part(kind, f"agency.toml:{t.line_id}", t.name, t.value)
    return Part(kind, f"{t.statement}:{t.line_id}:{t.column}", t.name, t.value,
                ref=f"{t.statement} {t.line_id} {t.column}")


RULES = {"note_7a": note_7a, "note_3": rollforward, "note_4": rollforward, "note_3_prosjekter": projects,
         "note_5_husleie": rent_term, "note_9": grant_scheme, "konsulent": konsulent,
         "note_b": note_b_merinntekter, "note_2": agency_fact, "nokkeltall": key_figure}
"""The rule each statement computes its unmapped figures by."""


def explain_rule(data: YearData, tables, statement: str, line, column: str):
    """``(basis, parts, lines)`` of a figure a statement computes by a rule, or None when none applies."""
    found = RULES.get(statement)
    return found(data, tables, statement, line, column) if found else None
