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
artskonto ranges are ``statement_parameters.csv`` rows.

**Table 4.3**: consultancy expensed (``note_map.csv`` rows of ``konsulent``: the note 5
consultancy accounts) and capitalised (additions to the note 3 asset accounts on lines
marked as consultancy: artskonto 670-673 or dimension ``innkjop=konsulent``), this year;
last year from the comparatives; ``endring`` = this year − last year.
"""

from __future__ import annotations

import pandas as pd

from ledger.core.money import round_half_away
from ledger.core.units import to_hundredths
from ledger.reference.layout import THIS_YEAR
from ledger.reference.rules import number_range
from ledger.statements import base, srs_accounts, srs_assets
from ledger.statements.year_data import YearData

AGENCY_KEY = "agency_key:"


def _posts(data: YearData, relations: tuple[str, ...], lo: int = 1, hi: int = 99):
    return [p for p in base.catalogue(data) if p.side == "expense" and p.relation in relations
            and lo <= int(p.post) <= hi]


def key_figures(data: YearData) -> dict[str, int]:
    """This year's key figures as table values (see the module docstring)."""
    figures: dict[str, int] = {}
    parameters = data.reference.parameters.get("nokkeltall", {})
    for name, key in parameters.items():
        if name.startswith(AGENCY_KEY) and data.agency.get(key) is not None:
            figures[name[len(AGENCY_KEY):]] = to_hundredths(data.agency[key])
    spent = base.regnskap_by_statskonto(data)
    own = _posts(data, ("own",))
    figures["samlet_tildeling"] = sum(base.samlet_tildeling(data, p) for p in own)
    operating = number_range(parameters["operating_posts"])
    operating_own = _posts(data, ("own",), *operating)
    operating_used = _posts(data, ("own", "belastningsfullmakt"), *operating)
    allotted = sum(base.samlet_tildeling(data, p) for p in operating_own)
    used = sum(spent.get(p.statskonto, 0) for p in operating_used)
    if allotted:
        figures["utnyttelsesgrad"] = round_half_away(used * 10_000, allotted)
    driftsutgifter = number_range(parameters["driftsutgifter_post"])
    figures["driftsutgifter"] = sum(spent.get(p.statskonto, 0) for p in own
                                    if driftsutgifter[0] <= int(p.post) <= driftsutgifter[1])
    result = srs_accounts.resultat(data).set_index("line_id")
    column = base.layout(data, "resultat").columns[0]
    pay, costs = int(result.at["lonnskostnader", column]), int(result.at["sum_driftskostnader", column])
    if costs:
        figures["lonnsandel"] = round_half_away(pay * 10_000, costs)
    if figures.get("utforte_arsverk"):
        figures["lonnsutgifter_per_arsverk"] = round_half_away(pay * 100, figures["utforte_arsverk"])
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
    return int(lines.loc[marked, "amount"].sum())


def konsulent(data: YearData) -> pd.DataFrame:
    """Table 4.3: consultancy expensed and capitalised, this year, last year and the change."""
    lay = base.layout(data, "konsulent")
    this, last, change = lay.columns[:3]
    amounts = base.mapped(data, "konsulent", {this: base.year_lines(data)})
    amounts[("immaterielle", this)] = capitalised_consultancy(data)
    amounts.update(base.presented_to_ledger(lay, base.comparative(data, "konsulent", last), last))
    for line in (ln.line_id for ln in lay.lines if ln.kind == "detail"):
        amounts[(line, change)] = amounts.get((line, this), 0) - amounts.get((line, last), 0)
    return base.evaluate_with(data, "konsulent", amounts)
