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
0670.01 alone.  Regnskap is the year's reported lines (with a statskonto) outside opening
and closing batches, recomputed here (``statements/cash.py`` is built beside this module).

**Table 4.3**: consultancy expensed (``note_map.csv`` rows of ``konsulent``: the note 5
consultancy accounts) and capitalised (additions to the note 3 asset accounts on lines
marked as consultancy: artskonto 670-673 or dimension ``innkjop=konsulent``), this year;
last year from the comparatives; ``endring`` = this year − last year.
"""

from __future__ import annotations

import pandas as pd

from ledger.units import round_half_away
from statements import srs_accounts, srs_assets
from statements import srs_base as sb
from statements.inputs import YearData

AGENCY_KEYS = {"antall_ansatte": "employees", "avtalte_arsverk": "agreed_fte", "utforte_arsverk": "performed_fte"}
OPERATING_POSTS = (1, 29)
CONSULTANCY_ARTSKONTO = (670, 673)
CONSULTANCY_DIMENSION = ("innkjop", "konsulent")


def regnskap(data: YearData) -> dict[str, int]:
    """Σ reported lines per statskonto (øre, debit +): the appropriation report's regnskap."""
    moves = sb.movements(data)
    reported = moves[moves["statskonto"] != ""]
    return {str(k): int(v) for k, v in reported.groupby("statskonto")["amount"].sum().items()}


def samlet_tildeling(data: YearData, statskonto: str) -> int:
    """Overført fra i fjor + årets tildelinger (øre) from the appropriations input."""
    rows = data.appropriations[data.appropriations["statskonto"] == statskonto]
    return int(rows["overfort_fra_i_fjor"].sum() + rows["arets_tildelinger"].sum())


def _posts(data: YearData, relations: tuple[str, ...], lo: int = 1, hi: int = 99):
    if data.budget is None:
        raise sb.StatementError(f"no budget catalogue for {data.year}: the key figures need one")
    return [p for p in data.budget if p.side == "expense" and p.relation in relations and lo <= int(p.post) <= hi]


def key_figures(data: YearData) -> dict[str, int]:
    """This year's key figures as table values (see the module docstring)."""
    figures: dict[str, int] = {}
    for line, key in AGENCY_KEYS.items():
        if data.agency.get(key) is not None:
            figures[line] = round(float(data.agency[key]) * 100)
    spent = regnskap(data)
    own = _posts(data, ("own",))
    figures["samlet_tildeling"] = sum(samlet_tildeling(data, p.statskonto) for p in own)
    operating_own = _posts(data, ("own",), *OPERATING_POSTS)
    operating_used = _posts(data, ("own", "belastningsfullmakt"), *OPERATING_POSTS)
    allotted = sum(samlet_tildeling(data, p.statskonto) for p in operating_own)
    used = sum(spent.get(p.statskonto, 0) for p in operating_used)
    if allotted:
        figures["utnyttelsesgrad"] = round_half_away(used * 10_000, allotted)
    figures["driftsutgifter"] = sum(spent.get(p.statskonto, 0) for p in own if int(p.post) == 1)
    result = srs_accounts.resultat(data).set_index("line_id")
    column = sb.layout(data, "resultat").columns[0]
    pay, costs = int(result.at["lonnskostnader", column]), int(result.at["sum_driftskostnader", column])
    if costs:
        figures["lonnsandel"] = round_half_away(pay * 10_000, costs)
    if figures.get("utforte_arsverk"):
        figures["lonnsutgifter_per_arsverk"] = round_half_away(pay * 100, figures["utforte_arsverk"])
    return figures


def nokkeltall(data: YearData) -> pd.DataFrame:
    """Key figures: this year computed, earlier years from the comparatives."""
    lay = sb.layout(data, "nokkeltall")
    amounts: dict[tuple[str, str], int] = {}
    for column in lay.columns:
        if column == str(data.year):
            amounts.update(sb.presented_to_ledger(lay, key_figures(data), column))
        else:
            amounts.update(sb.presented_to_ledger(lay, sb.comparative(data, "nokkeltall", column), column))
    return sb.evaluate_with(data, "nokkeltall", amounts)


def capitalised_consultancy(data: YearData) -> int:
    """Consultancy added to the note 3 asset cost accounts this year (øre)."""
    groups = {g for g, a in data.asset_groups.items() if a.statement == "note_3"}
    cost = {c for c, a in data.chart.accounts.items() if a.asset_group in groups and a.asset_part == "cost"}
    moves = sb.movements(data)
    transfers = srs_assets.transfer_vouchers(data, moves)
    lines = moves[moves["account"].isin(cost) & ~moves["voucher"].astype(str).isin(transfers)]
    arts = pd.to_numeric(lines["artskonto"], errors="coerce")
    name, value = CONSULTANCY_DIMENSION
    marked = (arts.between(*CONSULTANCY_ARTSKONTO)) | (sb.dim(lines, name).str.casefold() == value)
    return int(lines.loc[marked, "amount"].sum())


def konsulent(data: YearData) -> pd.DataFrame:
    """Table 4.3: consultancy expensed and capitalised, this year, last year and the change."""
    lay = sb.layout(data, "konsulent")
    this, last, change = lay.columns[:3]
    amounts = sb.mapped(data, "konsulent", {this: sb.year_lines(data)})
    amounts[("immaterielle", this)] = capitalised_consultancy(data)
    amounts.update(sb.presented_to_ledger(lay, sb.comparative(data, "konsulent", last), last))
    for line in (ln.line_id for ln in lay.lines if ln.kind == "detail"):
        amounts[(line, change)] = amounts.get((line, this), 0) - amounts.get((line, last), 0)
    return sb.evaluate_with(data, "konsulent", amounts)
