"""Bevilgningsrapportering (appropriation report), the holdings below it, and Note A.

Per statskonto of the budget catalogue: *samlet tildeling* (Note A), *regnskap* (Σ reported
lines, debit +) and *merutgift(−)/mindreutgift* (tildeling − regnskap on own expense posts;
regnskap − tildeling, i.e. merinntekt, on own income posts).  Received charge authorisations
and the common chapters show regnskap only (tildeling and avvik 0, as R-115 prints them).
Below: the capital accounts (KK inn/ut and the change in mellomværende: movements of the year
on the settlement accounts), which with netto rapportert sum to 0 by the settlement identity.
Netto rapportert and the capital section show the regnskap column only (the other columns 0).
"""

from __future__ import annotations

import pandas as pd

from ledger.reference.budget import BudgetPost
from ledger.reference.layout import Layout, evaluate, evaluation_order
from ledger.statements import base
from ledger.statements.base import StatementError
from ledger.statements.year_data import YearData


def capital_lines(data: YearData, statement: str = "bevilgning") -> dict[str, str]:
    """The capital-account lines of ``statement`` and the account role each sums (``capital_lines.csv``)."""
    return dict(data.reference.capital_lines.get(statement, {}))


def post_figures(data: YearData, post: BudgetPost, regnskap: int) -> tuple[int, int, int]:
    """(samlet tildeling, regnskap, avvik) of one post as *presented* (øre).

    Expense: regnskap = Σ lines; avvik = tildeling − regnskap.  Income: regnskap = −Σ lines
    (credits presented positive); avvik = regnskap − tildeling (merinntekt).  Posts that are
    not the agency's own (received authorisations, common chapters): avvik 0.
    """
    tildeling = base.samlet_tildeling(data, post)
    shown = regnskap if post.side == "expense" else -regnskap
    if post.relation != "own":
        return tildeling, shown, 0
    avvik = tildeling - shown if post.side == "expense" else shown - tildeling
    return tildeling, shown, avvik


def capital_movements(data: YearData) -> dict[str, int]:
    """KK innbetalinger, KK utbetalinger and the change in mellomværende: the year's movements (øre)."""
    moves = base.movements(data)
    return {line: base.total(moves, base.accounts_with_roles(data, role)) for line, role in capital_lines(data).items()}


def bevilgning(data: YearData) -> pd.DataFrame:
    """The appropriation report (layout ``bevilgning``, columns samlet_tildeling|regnskap|avvik)."""
    lay = base.layout(data, "bevilgning")
    posts = list(base.catalogue(data))
    capital = capital_lines(data)
    sums = base.regnskap_by_statskonto(data)
    signs = {ln.line_id: ln.sign for ln in lay.lines}
    amounts: dict[tuple[str, str], int] = {}
    for post in posts:
        figures = post_figures(data, post, sums.get(post.statskonto, 0))
        for column, value in zip(("samlet_tildeling", "regnskap", "avvik"), figures):
            amounts[(post.statskonto, column)] = signs[post.statskonto] * value
    for line, value in capital_movements(data).items():
        amounts[(line, "regnskap")] = signs[line] * value
    table = evaluate(lay, amounts)
    only = table["line_id"].isin(regnskap_only_lines(lay, posts, frozenset(capital)))
    for column in lay.columns:
        if column != "regnskap":
            table.loc[only, column] = 0
    return table


def regnskap_only_lines(lay: Layout, posts: list[BudgetPost], capital: frozenset[str]) -> set[str]:
    """Lines that R-115 prints in the regnskap column only: sums netting expense against
    income (netto rapportert) and every line that involves a capital account."""
    kinds: dict[str, set[str]] = {p.statskonto: {p.side} for p in posts}
    kinds.update({line: {"capital"} for line in capital})
    for line in evaluation_order(lay):
        if line.kind == "sum":
            kinds[line.line_id] = set().union(*(kinds.get(ref, set()) for _, ref in line.sum_of))
    return {line for line, found in kinds.items() if "capital" in found or {"expense", "income"} <= found}


def mellomvaerende_holdings(data: YearData) -> tuple[int, int]:
    """(31.12 this year, 31.12 last year) of mellomværende, øre.

    This year: opening balance + the year's movements on the mellomværende accounts.  Last
    year: the opening batch's mellomværende balances when the books have an opening batch,
    else last year's comparatives (``bevilgning_beholdninger``), else 0.
    """
    accounts = base.accounts_with_roles(data, "mellomvaerende")
    this = base.total(base.year_end_lines(data), accounts)
    opening = base.opening(data)
    if not opening.empty:
        return this, base.total(opening, accounts)
    lay = base.layout(data, "bevilgning_beholdninger")
    _, last_column = base.year_columns(data, lay)
    last = base.comparative(data, "bevilgning_beholdninger", last_column)
    return this, last.get(holdings_line(data), 0)


def holdings_line(data: YearData) -> str:
    """The line of the holdings table that shows mellomværende (role ``mellomvaerende``)."""
    lines = [line for line, role in capital_lines(data, "bevilgning_beholdninger").items() if role == "mellomvaerende"]
    if len(lines) != 1:
        raise StatementError("bevilgning_beholdninger needs one mellomværende line", "capital_lines.csv",
                             rule="capital-line")
    return lines[0]


def beholdninger(data: YearData) -> pd.DataFrame:
    """Holdings reported to the capital accounts (31.12): this year, last year, change."""
    lay = base.layout(data, "bevilgning_beholdninger")
    this_column, last_column = base.year_columns(data, lay)
    this, last = mellomvaerende_holdings(data)
    line = holdings_line(data)
    sign = lay.line(line).sign
    amounts = {(line, this_column): sign * this, (line, last_column): sign * last}
    if "endring" in lay.columns:
        amounts[(line, "endring")] = sign * (this - last)
    return evaluate(lay, amounts)


def note_a_posts(data: YearData) -> list[BudgetPost]:
    """Note A's rows: the agency's own expense posts."""
    return [p for p in base.catalogue(data) if p.side == "expense" and p.relation == "own"]


def note_a(data: YearData) -> pd.DataFrame:
    """Note A: overført fra i fjor, årets tildelinger and samlet tildeling per own expense post."""
    lay = base.layout(data, "note_a")
    posts = note_a_posts(data)
    amounts: dict[tuple[str, str], int] = {}
    for post in posts:
        overfort = base.appropriation(data, post.statskonto, "overfort_fra_i_fjor")
        arets = base.appropriation(data, post.statskonto, "arets_tildelinger")
        sign = lay.line(post.statskonto).sign
        for column, value in (("overfort", overfort), ("tildelinger", arets),
                              ("samlet_tildeling", overfort + arets)):
            amounts[(post.statskonto, column)] = sign * value
    return evaluate(lay, amounts)
