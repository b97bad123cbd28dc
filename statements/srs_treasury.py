"""Note 7A (the walk from KK flows to the change in avregnet), note 9 (grants per
scheme) and note 5's rent table (husleie by remaining lease term).

Note 7A, column ``endring`` in ledger sign (debit +); its items are the rows of
``chart_of_accounts/note_7a_items.csv``, each measured one of these ways over the walk
(the year's movements plus the computed close, without the zeroing of KK, which is
inside avregnet):

- ``movement``: the movement on the named accounts or roles (KK utbetaling/innbetaling,
  1991, 1985+1986, 1987, 1999);
- ``collection_through_kk``: collection lines (class ``collection``) in vouchers that
  have a line on the named role (KK innbetalinger); collection lines in other vouchers
  are *set-offs* (repayments withheld from a grant payment);
- ``grants_with_set_off``: the movement on the named accounts (1998) plus the set-offs,
  so that tilskudd "through KK" is shown;
- ``residual``: the rest of the change in avregnet (the balance line named), i.e.
  movements on its other accounts (1990, 1980-1984, 1988 and the mellomværende accounts
  ``srs_map.csv`` presents there): *andre avstemmingsposter*;
- ``balance``: the balance line at 31.12 and 01.01 and its change (the top row).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from ledger.core.money import format_decimal, format_kroner
from ledger.reference.rules import Note7AItem
from ledger.statements import base
from ledger.statements.year_data import YearData, default_schemes


def _item_accounts(data: YearData, item: Note7AItem) -> frozenset[str]:
    """The accounts an item names directly or by role."""
    return frozenset(item.accounts) | base.accounts_with_roles(data, *item.roles)


def _balance_line_accounts(data: YearData, item: Note7AItem) -> frozenset[str]:
    statement, _, line_id = item.accounts[0].partition(":")
    return base.line_accounts(data, statement, line_id)


def note_7a(data: YearData) -> pd.DataFrame:
    """Note 7A: why the change in avregnet med statskassen differs from the result (0)."""
    lay = base.layout(data, "note_7a")
    end, start, change = lay.columns[:3]
    closing = base.close_lines(data)
    moves = base.movements(data)
    walk = pd.concat([moves, closing[closing["purpose"] != "kk"]], ignore_index=True)
    collection = base.in_class(data, moves, "collection")
    items: dict[str, int] = {}
    amounts: dict[tuple[str, str], int] = {}
    set_off = 0
    for item in data.reference.note_7a_items:
        if item.measure == "collection_through_kk":
            base.require_whole(data, set(collection["account"]), "note 7A's collection through KK")
            with_kk = set(moves.loc[moves["account"].isin(_item_accounts(data, item)), "voucher"])
            through_kk = int(collection.loc[collection["voucher"].isin(with_kk), "amount"].sum())
            set_off = int(collection["amount"].sum()) - through_kk
            items[item.line_id] = through_kk
    for item in data.reference.note_7a_items:
        if item.measure == "movement":
            items[item.line_id] = base.total(walk, _item_accounts(data, item))
        elif item.measure == "grants_with_set_off":
            items[item.line_id] = base.total(walk, _item_accounts(data, item)) + set_off
    for item in data.reference.note_7a_items:
        if item.measure == "residual":
            # the walk closes: what the items above leave of the change in avregnet
            items[item.line_id] = base.total(walk, _balance_line_accounts(data, item)) - sum(items.values())
        elif item.measure == "balance":
            avregnet = _balance_line_accounts(data, item)
            at_end, at_start = base.total(base.closed_lines(data), avregnet), base.total(base.opening(data), avregnet)
            amounts.update({(item.line_id, end): at_end, (item.line_id, start): at_start,
                            (item.line_id, change): at_end - at_start})
    amounts.update({(line, change): value for line, value in items.items()})
    table = base.evaluate_with(data, "note_7a", amounts)
    table.attrs["notes"] = [f"set-offs (collection withheld from grant payments): {format_decimal(-set_off)}"]
    return table


def grant_scheme_lines(data: YearData) -> dict[str, str]:
    """Statskonto → note 9 scheme line: the agency's grant schemes (``grant_schemes.csv``), or by
    default each grant post of the year's catalogue as its own scheme."""
    lines = dict(data.reference.grant_schemes) or {p.statskonto: p.statskonto for p in default_schemes(data.budget)}
    layout_ids = {ln.line_id for ln in base.layout(data, "note_9").lines if ln.kind == "detail"}
    unknown = sorted(set(lines.values()) - layout_ids)
    if unknown:
        raise base.StatementError(f"names note 9 lines that are not in its layout: {unknown}",
                                  "grant_schemes.csv", rule="line-unknown")
    return lines


def grant_lines(data: YearData) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The year's grant lines, the scheme each names (its statskonto, else its ``ordning``
    dimension) and the note 9 line it goes to (*ikke spesifisert* for an unknown scheme)."""
    grants = base.in_class(data, base.year_lines(data), "grant")
    dimension = data.reference.parameter("note_9", "grant_scheme_dimension")
    scheme = grants["statskonto"].where(grants["statskonto"] != "", base.dim(grants, dimension))
    lines = grant_scheme_lines(data)
    unspecified = data.reference.parameter("note_9", "unspecified_line")
    return grants, scheme, scheme.map(lambda s: lines.get(s, unspecified))


def note_9(data: YearData) -> pd.DataFrame:
    """Note 9: grants of the year (SRS, incl. accrued) in total and per grant scheme.

    A grant line's scheme is its statskonto, or for accruals (no statskonto) its
    ``ordning`` dimension.
    """
    column = base.layout(data, "note_9").columns[0]
    year = base.year_lines(data)
    amounts = base.mapped(data, "note_9", {column: year})
    grants, scheme, line_of = grant_lines(data)
    known = scheme.isin(set(grant_scheme_lines(data)))
    for line, value in grants.groupby(line_of)["amount"].sum().items():
        amounts[(line, column)] = amounts.get((line, column), 0) + int(value)
    warnings = []
    dimension = data.reference.parameter("note_9", "grant_scheme_dimension")
    if (~known).any():
        rest = grants[~known]
        warnings.append(f"{len(rest)} grant lines ({_kr(int(rest['amount'].sum()))}) name no grant scheme of "
                        f"{data.year} ({sorted(set(scheme[~known]) - {''}) or 'none given'}): shown as "
                        f"'ikke spesifisert'; give the statskonto of a grant post or the '{dimension}' dimension "
                        f"[grant-scheme-unknown]")
    return base.with_warnings(base.evaluate_with(data, "note_9", amounts), warnings)


def _kr(ore: int) -> str:
    """Øre as printed kroner for a warning (``12 000 kr``)."""
    return f"{format_kroner(ore)} kr"


def _term_key(text: str) -> str:
    """``varighet_1_5_ar`` / ``1-5`` / ``1-5 år`` → ``15``; ``over5`` → ``over5``."""
    text = re.sub(r"^varighet_|_?(ar|år)$", "", text.strip().casefold().replace(" ", "_"))
    return re.sub(r"[^0-9a-zø]", "", text)


def rent_lines(data: YearData) -> tuple[pd.DataFrame, pd.Series]:
    """The year's rent lines (note 5 *Husleie*'s accounts) and the lease-term line each goes to
    (the ``leieavtale`` dimension; *Varighet ikke spesifisert* when it names no term)."""
    lay = base.layout(data, "note_5_husleie")
    terms = {_term_key(ln.line_id): ln.line_id for ln in lay.lines if ln.kind == "detail"}
    year = base.year_lines(data)
    rent = year[year["account"].isin(base.line_accounts(data, "note_5", "husleie"))]
    dimension = data.reference.parameter("note_5_husleie", "lease_term_dimension")
    unspecified = data.reference.parameter("note_5_husleie", "unspecified_line")
    return rent, base.dim(rent, dimension).map(lambda term: terms.get(_term_key(term), unspecified))


def note_5_husleie(data: YearData) -> pd.DataFrame:
    """Note 5 husleie: the year's rent (note 5 line *Husleie*) by remaining lease term.

    The term is the ``leieavtale`` dimension of the rent lines, naming a line of the
    layout (``1-5`` → ``varighet_1_5_ar``); every column shows buildings (the only kind
    of rented property in the chart's rent accounts), so ``sum`` equals it
    (``derived_columns.csv``).
    """
    lay = base.layout(data, "note_5_husleie")
    terms = {_term_key(ln.line_id): ln.line_id for ln in lay.lines if ln.kind == "detail"}
    rent, line_of = rent_lines(data)
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    unknown: dict[str, int] = defaultdict(int)
    dimension = data.reference.parameter("note_5_husleie", "lease_term_dimension")
    unspecified = data.reference.parameter("note_5_husleie", "unspecified_line")
    for term, line, value in zip(base.dim(rent, dimension), line_of, rent["amount"]):
        if _term_key(term) not in terms:
            unknown[term or "(ingen)"] += int(value)
        amounts[(line, lay.columns[0])] += int(value)
    base.derive_columns(data, "note_5_husleie", amounts)
    warnings = [f"rent of {_kr(sum(unknown.values()))} has no known lease term (the '{dimension}' dimension: "
                f"{sorted(unknown)}): shown as 'Varighet ikke spesifisert'; give one of "
                f"{sorted(v for v in terms.values() if v != unspecified)} [lease-term-unknown]"] if unknown else []
    return base.with_warnings(base.evaluate_with(data, "note_5_husleie", dict(amounts)), warnings)
