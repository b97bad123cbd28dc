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

from ledger.chart import BudgetPost
from ledger.layout import Layout, evaluate, evaluation_order
from statements import cashbase as cb
from statements.cashbase import StatementError
from statements.inputs import YearData

# Capital-account lines of the report (statsregnskapet's account numbers) by chart role.
CAPITAL_LINES = {"kk_in": "60088701", "kk_out": "60088702", "mellomvaerende": "705005"}


def check_rows(lay: Layout, posts: list[BudgetPost], extra: frozenset[str] = frozenset()) -> None:
    """The layout's detail lines must be exactly ``posts`` (plus ``extra``), else StatementError."""
    details = {ln.line_id for ln in lay.lines if ln.kind == "detail"} - set(extra)
    wanted = {p.statskonto for p in posts}
    if details != wanted:
        raise StatementError(
            f"layout {lay.statement} and the budget catalogue disagree: in the layout only "
            f"{sorted(details - wanted)}, in the catalogue only {sorted(wanted - details)}")



def _check_sides(lay: Layout, posts: list[BudgetPost]) -> None:
    """Each statskonto line sits in exactly one sum, and that sum holds one side only."""
    side = {p.statskonto: p.side for p in posts}
    seen: dict[str, str] = {}
    for line in lay.lines:
        refs = [ref for _, ref in line.sum_of if ref in side]
        if not refs:
            continue
        sides = {side[r] for r in refs}
        if len(sides) > 1:
            raise StatementError(f"layout {lay.statement}: {line.line_id} adds expense and income posts {refs}")
        for ref in refs:
            if ref in seen:
                raise StatementError(f"layout {lay.statement}: {ref} is in {seen[ref]} and {line.line_id}")
            seen[ref] = line.line_id
    missing = sorted(set(side) - set(seen))
    if missing:
        raise StatementError(f"layout {lay.statement}: no sum line adds {missing}")


def post_figures(data: YearData, post: BudgetPost, regnskap: int) -> tuple[int, int, int]:
    """(samlet tildeling, regnskap, avvik) of one post as *presented* (øre).

    Expense: regnskap = Σ lines; avvik = tildeling − regnskap.  Income: regnskap = −Σ lines
    (credits presented positive); avvik = regnskap − tildeling (merinntekt).  Posts that are
    not the agency's own (received authorisations, common chapters): avvik 0.
    """
    tildeling = cb.samlet_tildeling(data, post)
    shown = regnskap if post.side == "expense" else -regnskap
    if post.relation != "own":
        return tildeling, shown, 0
    avvik = tildeling - shown if post.side == "expense" else shown - tildeling
    return tildeling, shown, avvik


def capital_movements(data: YearData) -> dict[str, int]:
    """KK innbetalinger, KK utbetalinger and the change in mellomværende: the year's movements (øre)."""
    moves = cb.movements(data)
    return {line: cb.total_on(moves, cb.accounts_with_roles(data, role)) for role, line in CAPITAL_LINES.items()}


def bevilgning(data: YearData) -> pd.DataFrame:
    """The appropriation report (layout ``bevilgning``, columns samlet_tildeling|regnskap|avvik)."""
    lay = cb.layout(data, "bevilgning")
    posts = list(cb.catalogue(data))
    check_rows(lay, posts, frozenset(CAPITAL_LINES.values()))
    _check_sides(lay, posts)
    sums = cb.regnskap_by_statskonto(data)
    signs = {ln.line_id: ln.sign for ln in lay.lines}
    amounts: dict[tuple[str, str], int] = {}
    for post in posts:
        figures = post_figures(data, post, sums.get(post.statskonto, 0))
        for column, value in zip(("samlet_tildeling", "regnskap", "avvik"), figures):
            amounts[(post.statskonto, column)] = signs[post.statskonto] * value
    for line, value in capital_movements(data).items():
        amounts[(line, "regnskap")] = signs[line] * value
    table = evaluate(lay, amounts)
    only = table["line_id"].isin(regnskap_only_lines(lay, posts))
    for column in lay.columns:
        if column != "regnskap":
            table.loc[only, column] = 0
    return table


def regnskap_only_lines(lay: Layout, posts: list[BudgetPost]) -> set[str]:
    """Lines that R-115 prints in the regnskap column only: sums netting expense against
    income (netto rapportert) and every line that involves a capital account."""
    kinds: dict[str, set[str]] = {p.statskonto: {p.side} for p in posts}
    kinds.update({line: {"capital"} for line in CAPITAL_LINES.values()})
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
    accounts = cb.accounts_with_roles(data, "mellomvaerende")
    this = cb.total_on(cb.year_end_lines(data), accounts)
    opening = cb.opening_lines(data)
    if not opening.empty:
        return this, cb.total_on(opening, accounts)
    lay = cb.layout(data, "bevilgning_beholdninger")
    _, last_column = cb.year_columns(data, lay)
    last = cb.comparative(data, "bevilgning_beholdninger", last_column) or {}
    return this, last.get(CAPITAL_LINES["mellomvaerende"], 0)


def beholdninger(data: YearData) -> pd.DataFrame:
    """Holdings reported to the capital accounts (31.12): this year, last year, change."""
    lay = cb.layout(data, "bevilgning_beholdninger")
    this_column, last_column = cb.year_columns(data, lay)
    this, last = mellomvaerende_holdings(data)
    line = CAPITAL_LINES["mellomvaerende"]
    sign = lay.line(line).sign
    amounts = {(line, this_column): sign * this, (line, last_column): sign * last}
    if "endring" in lay.columns:
        amounts[(line, "endring")] = sign * (this - last)
    return evaluate(lay, amounts)


def note_a_posts(data: YearData) -> list[BudgetPost]:
    """Note A's rows: the agency's own expense posts."""
    return [p for p in cb.catalogue(data) if p.side == "expense" and p.relation == "own"]


def note_a(data: YearData) -> pd.DataFrame:
    """Note A: overført fra i fjor, årets tildelinger and samlet tildeling per own expense post."""
    lay = cb.layout(data, "note_a")
    posts = note_a_posts(data)
    check_rows(lay, posts)
    amounts: dict[tuple[str, str], int] = {}
    for post in posts:
        overfort = cb.appropriation(data, post.statskonto, "overfort_fra_i_fjor")
        arets = cb.appropriation(data, post.statskonto, "arets_tildelinger")
        sign = lay.line(post.statskonto).sign
        for column, value in (("overfort", overfort), ("tildelinger", arets),
                              ("samlet_tildeling", overfort + arets)):
            amounts[(post.statskonto, column)] = sign * value
    return evaluate(lay, amounts)
