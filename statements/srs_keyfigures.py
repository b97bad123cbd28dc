"""Key figures (nøkkeltall) and table 4.3, consultancy bought (konsulent).

**Key figures**, this year's column (earlier years are last year's comparatives as
printed).  Table values: money in øre, per cent and FTEs in hundredths (``line_units.csv``).

==========================  ==================================================================
line                        formula
==========================  ==================================================================
antall_ansatte, *_arsverk   agency facts ``employees``, ``agreed_fte``, ``performed_fte``
samlet_tildeling            Σ samlet tildeling (overført fra i fjor + årets tildelinger) of
                            the agency's own expense posts 01-99
utnyttelsesgrad             Σ regnskap of expense posts 01-29, own *and received charge
                            authorisations*, ÷ Σ samlet tildeling of own posts 01-29
driftsutgifter              regnskap of own post 01 (driftsutgifter)
lonnsandel                  SRS lønnskostnader ÷ SRS sum driftskostnader (resultatregnskapet)
lonnsutgifter_per_arsverk   SRS lønnskostnader ÷ utførte årsverk
==========================  ==================================================================

Which formula IMDi used was checked on its own 2024 figures (published/README.md,
contradiction 7): 98 % needs the received authorisations in the numerator (97 % without);
55 % and 1 031 178 kr need the SRS pay costs (the cash basis gives 58 %); 388 810 is
0670.01 alone.  Regnskap is the appropriation report's (reported lines outside opening and
closing batches, :func:`ledger.statements.base.regnskap_by_statskonto`).  The posts and
artskonto ranges are ``statement_parameters.csv`` rows.  Each formula is a row of
``chart_of_accounts/key_figures.csv`` (numerator, denominator, factor), which
``ledger explain nokkeltall LINE`` writes out with its terms.

**Table 4.3**: consultancy expensed (``note_map.csv`` rows of ``konsulent``: the note 5
consultancy accounts) and capitalised (additions to the note 3 asset accounts on lines
marked as consultancy: artskonto 670-673 or dimension ``innkjop=konsulent``), this year;
last year from the comparatives; ``endring`` the agency's ``derived_columns.csv`` row
(this year − last year on every line).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pandas as pd

from ledger.core.money import round_half_away
from ledger.core.units import to_hundredths
from ledger.reference.layout import THIS_YEAR
from ledger.reference.rules import KeyFigure, KeyFigureTerm, number_range
from ledger.statements import base, srs_accounts, srs_assets
from ledger.statements.year_data import YearData

@attrs.frozen
class Term:
    """One addend of a key figure's numerator or denominator: what it is (``name``), where it
    comes from (``statement``, ``line_id``, ``column``; ``agency.toml`` for a fact) and its value
    in table units (øre, or hundredths for a fact)."""

    name: str
    statement: str
    line_id: str
    column: str
    value: int


def _posts(data: YearData, relations: tuple[str, ...], lo: int = 1, hi: int = 99):
    return [p for p in base.catalogue(data) if p.side == "expense" and p.relation in relations
            and lo <= int(p.post) <= hi]


def term_values(data: YearData, term: KeyFigureTerm, figures: Mapping[str, int],
                tables: dict[str, pd.DataFrame]) -> tuple[Term, ...]:
    """The addends of ``term`` (``key_figures.csv``); ``figures`` the key figures computed above it,
    ``tables`` the statements computed so far (filled as needed)."""
    if term.kind == "agency":
        value = data.agency.get(term.args[0])
        return () if value is None else (Term(term.args[0], "agency.toml", term.args[0], "", to_hundredths(value)),)
    if term.kind == "posts":
        column, relations, _ = term.args
        spent = base.regnskap_by_statskonto(data) if column == "regnskap" else {}
        return tuple(Term(f"{p.statskonto} {p.post_text}", "bevilgning", p.statskonto, column,
                          spent.get(p.statskonto, 0) if column == "regnskap" else base.samlet_tildeling(data, p))
                     for p in _posts(data, tuple(relations.split("|")), *term.post_range))
    statement, line_id = term.args
    if statement == "nokkeltall":
        label = base.layout(data, statement).line(line_id).label
        return (Term(label, statement, line_id, THIS_YEAR, figures[line_id]),) if line_id in figures else ()
    if statement not in tables:  # an accrual statement of srs_accounts (resultat, balanse, the notes)
        tables[statement] = getattr(srs_accounts, statement)(data)
    table, lay = tables[statement], base.layout(data, statement)
    row = table.loc[table["line_id"] == line_id]
    label = lay.line(line_id).label
    return (Term(label, statement, line_id, lay.columns[0], int(row[lay.columns[0]].iloc[0])),)


def key_figure_value(figure: KeyFigure, numerator: tuple[Term, ...], denominator: tuple[Term, ...] | None):
    """The figure from its terms (None when a term is missing or the denominator is 0)."""
    if not numerator or (denominator is not None and not sum(t.value for t in denominator)):
        return None
    top = sum(t.value for t in numerator)
    if denominator is None:
        return top * figure.factor
    return round_half_away(top * figure.factor, sum(t.value for t in denominator))


def key_figures(data: YearData, tables: dict[str, pd.DataFrame] | None = None) -> dict[str, int]:
    """This year's key figures as table values, each by its formula in ``key_figures.csv``."""
    figures: dict[str, int] = {}
    tables = {} if tables is None else dict(tables)
    for figure in data.reference.key_figures:
        numerator = term_values(data, figure.numerator, figures, tables)
        denominator = None if figure.denominator is None else term_values(data, figure.denominator, figures, tables)
        value = key_figure_value(figure, numerator, denominator)
        if value is not None:
            figures[figure.line_id] = value
    return figures


def nokkeltall(data: YearData) -> pd.DataFrame:
    """Key figures: this year computed, earlier years from the comparatives."""
    lay = base.layout(data, "nokkeltall")
    amounts: dict[tuple[str, str], int] = {}
    for column in lay.columns:
        if column == THIS_YEAR:
            amounts.update(base.presented_to_ledger(lay, key_figures(data), column))
        else:
            amounts.update(base.presented_to_ledger(lay, base.comparative(data, "nokkeltall", column), column))
    return base.evaluate_with(data, "nokkeltall", amounts)


def capitalised_consultancy(data: YearData) -> int:
    """Consultancy added to the note 3 asset cost accounts this year (øre)."""
    return int(capitalised_consultancy_lines(data)["amount"].sum())


def capitalised_consultancy_lines(data: YearData) -> pd.DataFrame:
    """The lines adding consultancy to the note 3 asset cost accounts this year (outside transfers)."""
    groups = {g for g, a in data.asset_groups.items() if a.statement == "note_3"}
    cost = {c for c, a in data.chart.accounts.items() if a.asset_group in groups and a.asset_part == "cost"}
    moves = base.movements(data)
    transfers = srs_assets.transfer_vouchers(data, moves)
    lines = moves[moves["account"].isin(cost) & ~moves["voucher"].astype(str).isin(transfers)]
    arts = pd.to_numeric(lines["artskonto"], errors="coerce")
    parameters = data.reference.parameters.get("konsulent", {})
    name, _, value = parameters["consultancy_dimension"].partition("=")
    marked = (arts.between(*number_range(parameters["consultancy_artskonto"]))
              | (base.dim(lines, name).str.casefold() == value))
    return lines[marked]


def konsulent(data: YearData) -> pd.DataFrame:
    """Table 4.3: consultancy expensed and capitalised, this year, last year and the change."""
    lay = base.layout(data, "konsulent")
    this, last = lay.columns[:2]
    amounts = base.mapped(data, "konsulent", {this: base.year_lines(data)})
    amounts[("immaterielle", this)] = capitalised_consultancy(data)
    amounts.update(base.presented_to_ledger(lay, base.comparative(data, "konsulent", last), last))
    return base.evaluate_with(data, "konsulent", base.derive_columns(data, "konsulent", amounts))
