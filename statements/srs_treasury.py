"""Note 7A (the walk from KK flows to the change in avregnet), note 9 (grants per
scheme) and note 5's rent table (husleie by remaining lease term).

Note 7A, column ``endring`` in ledger sign (debit +); the top row presents avregnet
(balance line *Avregnet med statskassen*) at 31.12 and 01.01 and its change:

- KK utbetaling / innbetaling: the year's movements on the ``kk_out`` / ``kk_in`` accounts;
- innkreving "through KK": collection lines (82x-84x) in vouchers that have a ``kk_in``
  line; collection lines in other vouchers are *set-offs* (repayments withheld from a
  grant payment), so tilskudd through KK = the grants settled against 1998 + the set-offs;
- 1991, 1985+1986, 1987: the movements on those avregning accounts (1991 from the close);
- resultat: the movement on 1999 (0);
- andre avstemmingsposter: the rest of the change in avregnet, i.e. movements on the other
  accounts the balance puts on that line (1990, 1980-1984, 1988 and the mellomværende
  accounts ``srs_map.csv`` presents there).  The zeroing of KK into 1990 at the close is
  inside avregnet and left out.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from ledger import close as yearend
from ledger.money import format_decimal
from statements import srs_base as sb
from statements.inputs import YearData

AVREGNET_LINE = "avregnet_med_statskassen"
GRANT_SCHEME_DIMENSION = "ordning"  # statskonto of a grant line that carries none (accruals)
LEASE_TERM_DIMENSION = "leieavtale"


def _avregnet_accounts(data: YearData) -> frozenset[str]:
    return sb.line_accounts(data, "balanse", AVREGNET_LINE)


def note_7a(data: YearData) -> pd.DataFrame:
    """Note 7A: why the change in avregnet med statskassen differs from the result (0)."""
    lay = sb.layout(data, "note_7a")
    end, start, change = lay.columns[:3]
    avregnet = _avregnet_accounts(data)
    closing = sb.close_lines(data)
    walk = pd.concat([sb.movements(data), closing[closing["purpose"] != "kk"]], ignore_index=True)
    kk_in, kk_out = sb.accounts_with_roles(data, "kk_in"), sb.accounts_with_roles(data, "kk_out")
    moves = sb.movements(data)
    collection = moves[moves["account"].map(yearend.is_collection)]
    with_kk_in = set(moves.loc[moves["account"].isin(kk_in), "voucher"])
    through_kk = int(collection.loc[collection["voucher"].isin(with_kk_in), "amount"].sum())
    set_off = int(collection["amount"].sum()) - through_kk
    items = {
        "konsernkonto_utbetaling": sb.total(moves, kk_out),
        "konsernkonto_innbetaling": sb.total(moves, kk_in),
        "innbetaling_innkrevingsvirksomhet": through_kk,
        "utbetaling_tilskuddsforvaltning": sb.total(walk, {yearend.GRANTS_SETTLED}) + set_off,
        "inntektsfort_fra_bevilgning": sb.total(walk, {yearend.APPROPRIATION_SETTLED}),
        "gruppeliv_arbeidsgiveravgift": sb.total(walk, {"1985", "1986"}),
        "nettoordning_mva": sb.total(walk, {"1987"}),
        "resultat_av_periodens_aktiviteter": sb.total(walk, {yearend.RESULT_SETTLED}),
    }
    # the walk closes: what the items above leave of the change in avregnet (1997 is
    # covered by the collection through KK and the set-offs)
    items["andre_avstemmingsposter"] = sb.total(walk, avregnet) - sum(items.values())
    amounts = {(line, change): value for line, value in items.items()}
    at_end, at_start = sb.total(sb.closed_lines(data), avregnet), sb.total(sb.opening(data), avregnet)
    amounts.update({("avregnet_i_balansen", end): at_end, ("avregnet_i_balansen", start): at_start,
                    ("avregnet_i_balansen", change): at_end - at_start})
    table = sb.evaluate_with(data, "note_7a", amounts)
    table.attrs["notes"] = [f"set-offs (collection withheld from grant payments): {format_decimal(-set_off)}"]
    return table


def grant_scheme_lines(data: YearData) -> dict[str, str]:
    """Statskonto → note 9 scheme line, from ``chart_of_accounts/statskonto_lines.csv``."""
    lines = dict(data.statskonto_lines.get("note_9", {}))
    layout_ids = {ln.line_id for ln in sb.layout(data, "note_9").lines if ln.kind == "detail"}
    unknown = sorted(set(lines.values()) - layout_ids)
    if unknown:
        raise sb.StatementError(f"statskonto_lines.csv names note 9 lines that are not in its layout: {unknown}")
    return lines


def note_9(data: YearData) -> pd.DataFrame:
    """Note 9: grants of the year (SRS, incl. accrued) in total and per grant scheme.

    A grant line's scheme is its statskonto, or for accruals (no statskonto) its
    ``ordning`` dimension.
    """
    column = sb.layout(data, "note_9").columns[0]
    year = sb.year_lines(data)
    amounts = sb.mapped(data, "note_9", {column: year})
    grants = year[year["account"].map(yearend.is_grant)]
    scheme = grants["statskonto"].where(grants["statskonto"] != "", sb.dim(grants, GRANT_SCHEME_DIMENSION))
    lines = grant_scheme_lines(data)
    unknown = sorted(set(scheme) - set(lines))
    if unknown:
        raise sb.StatementError(f"note 9: grant lines on {unknown}, which is no grant scheme of {data.year} "
                                f"(give the statskonto or the '{GRANT_SCHEME_DIMENSION}' dimension)")
    for statskonto, value in grants.groupby(scheme)["amount"].sum().items():
        amounts[(lines[statskonto], column)] = amounts.get((lines[statskonto], column), 0) + int(value)
    return sb.evaluate_with(data, "note_9", amounts)


def _term_key(text: str) -> str:
    """``varighet_1_5_ar`` / ``1-5`` / ``1-5 år`` → ``15``; ``over5`` → ``over5``."""
    text = re.sub(r"^varighet_|_?(ar|år)$", "", text.strip().casefold().replace(" ", "_"))
    return re.sub(r"[^0-9a-zø]", "", text)


def note_5_husleie(data: YearData) -> pd.DataFrame:
    """Note 5 husleie: the year's rent (note 5 line *Husleie*) by remaining lease term.

    The term is the ``leieavtale`` dimension of the rent lines, naming a line of the
    layout (``1-5`` → ``varighet_1_5_ar``); every column shows buildings (the only kind
    of rented property in the chart's rent accounts), so ``sum`` equals it.
    """
    lay = sb.layout(data, "note_5_husleie")
    terms = {_term_key(ln.line_id): ln.line_id for ln in lay.lines if ln.kind == "detail"}
    rent_accounts = sb.line_accounts(data, "note_5", "husleie")
    year = sb.year_lines(data)
    rent = year[year["account"].isin(rent_accounts)]
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    unknown = set()
    for term, value in zip(sb.dim(rent, LEASE_TERM_DIMENSION), rent["amount"]):
        line = terms.get(_term_key(term))
        if line is None:
            unknown.add(term or "(no term)")
            continue
        for column in lay.columns:
            amounts[(line, column)] += int(value)
    if unknown:
        raise sb.StatementError(f"note_5_husleie: rent lines with lease terms {sorted(unknown)}; give the "
                                f"'{LEASE_TERM_DIMENSION}' dimension as one of {sorted(terms.values())}")
    return sb.evaluate_with(data, "note_5_husleie", dict(amounts))
