"""Note B: used authorisations and the amount that may be carried over to next year.

Rows: the agency's own expense posts with the stikkord «kan overføres» or in the
operating posts (``note_b_rules.csv``: 01-29).  Each column is one small rule below, with
its parameters from the budget catalogue (``NoteBRules``, ``kan_overfores``) and the
appropriations input.  Decisions (see also the module README section in the report):

- **5 % rule, "årets bevilgning"**: the footnote's ``(årets bevilgning − lønnskompensasjon)
  × 5 % + lønnskompensasjon`` is kept, with *årets bevilgning* = **årets tildelinger**
  (this year's allotment, Note A's middle column; the amount carried over from last year
  is last year's money).  IMDi 2024 prints 5 % of samlet tildeling instead (a documented
  contradiction of the publication).
- **«kan overføres»**: the sum of the last ``kan_overfores_cap_years`` (2) years'
  appropriation = årets tildelinger + last year's appropriation.  Last year's is last
  year's *årets tildelinger* when the books hold last year's inputs (computed), else the
  year's own ``forrige_ars_bevilgning`` input.  When neither is known (a first year whose
  input leaves it empty), this year's *samlet tildeling* stands in: it is
  a lower bound of the cap whenever the amount carried in is at most last year's
  appropriation (always so for a post whose previous carry-over was capped at one year's
  appropriation).  The statement warns of every such row (:func:`~ledger.statements.base.warnings_of`).
- **Posts in 01-29 that no maximum rule covers** (post 24 without the stikkord): maks 0.
- **Mulig overførbart**: the footnote *** read literally: grunnlag, at most maks, at least
  the pay compensation (``floor`` parameter).
- Sign conventions of the inputs: ``avgitt_belastningsfullmakt`` and ``innsparinger`` are
  positive amounts and are shown negative; ``omdisponering`` is signed as given.
"""

from __future__ import annotations

import attrs
import pandas as pd

from ledger.core.money import format_decimal, percent_of
from ledger.reference.budget import BudgetPost, NoteBRules
from ledger.reference.layout import evaluate
from ledger.statements import base
from ledger.statements.base import StatementError
from ledger.statements.bevilgning import post_figures
from ledger.statements.year_data import YearData

COLUMNS = ("avvik", "avgitte_fullmakter", "etter_avgitte", "merinntekter", "omdisponering",
           "innsparinger", "grunnlag", "lonnskompensasjon", "maks", "mulig")


def five_percent_max(arets_bevilgning: int, lonnskompensasjon: int, rate_percent: int) -> int:
    """Maks for operating posts: (årets bevilgning − lønnskompensasjon) × rate % + lønnskompensasjon."""
    return percent_of(arets_bevilgning - lonnskompensasjon, rate_percent) + lonnskompensasjon


def kan_overfores_max(arets_bevilgning: int, forrige_ars_bevilgning: int | None, samlet_tildeling: int,
                      years: int) -> tuple[int, bool]:
    """Maks for «kan overføres» posts: the last ``years`` years' appropriation; (maks, estimated).

    ``forrige_ars_bevilgning`` None (unknown): this year's samlet tildeling stands in and
    ``estimated`` is True.  Only one or two years can be computed from the inputs.
    """
    if years == 1:
        return arets_bevilgning, False
    if years != 2:
        raise StatementError(f"kan_overfores_cap_years {years} not supported (1 or 2)", "note_b_rules.csv",
                             rule="note-b-rules")
    if forrige_ars_bevilgning is None:
        return samlet_tildeling, True
    return arets_bevilgning + forrige_ars_bevilgning, False


def floor_of(rules: NoteBRules, lonnskompensasjon: int) -> int | None:
    """The minimum of mulig overførbart named by the ``floor`` parameter (None: no floor)."""
    if rules.floor == "lonnskompensasjon":
        return lonnskompensasjon
    if rules.floor in ("", "none"):
        return None
    raise StatementError(f"unknown floor {rules.floor!r}", "note_b_rules.csv", rule="note-b-rules")


def mulig_overforbart(grunnlag: int, maks: int, floor: int | None) -> int:
    """Sum grunnlag for overføring, at most ``maks``, at least ``floor`` (footnote ***)."""
    value = min(grunnlag, maks)
    return value if floor is None else max(value, floor)


def grunnlag(etter_avgitte: int, merinntekter: int, omdisponering: int, innsparinger: int) -> int:
    """Sum grunnlag for overføring: every adjustment column added (each carries its own sign)."""
    return etter_avgitte + merinntekter + omdisponering + innsparinger


def merinntekter(data: YearData, statskonto: str) -> int:
    """Income above its allotment on the income post linked by the merinntektsfullmakt (øre, presented).

    The link is ``merinntektsfullmakt_mot`` in the appropriations; no link gives 0.
    """
    linked = base.appropriation_text(data, statskonto, "merinntektsfullmakt_mot")
    if not linked:
        return 0
    post = base.catalogue(data).get(linked)
    if post is None or post.side != "income":
        frame = data.appropriations
        row = int(frame.index[frame["statskonto"] == statskonto][0]) + 2
        raise StatementError(f"{statskonto} merinntektsfullmakt_mot {linked!r} is not an income post of the "
                             "budget catalogue", "appropriations.csv", row, "merinntekt-post")
    regnskap = base.regnskap_by_statskonto(data).get(linked, 0)
    _, shown, _ = post_figures(data, post, regnskap)
    return shown - base.samlet_tildeling(data, post)


@attrs.frozen
class NoteBRow:
    """One row of Note B in presented øre, plus a note when maks is an estimate."""

    statskonto: str
    values: dict[str, int]
    note: str = ""


def maks_overforbart(data: YearData, post: BudgetPost, rules: NoteBRules, lonnskompensasjon: int) -> tuple[int, str]:
    """(maks, note) for one post: the «kan overføres» cap, the 5 % rule, or 0."""
    arets = base.appropriation(data, post.statskonto, "arets_tildelinger")
    if post.kan_overfores:
        previous, note = previous_appropriation(data, post.statskonto)
        maks, estimated = kan_overfores_max(arets, previous, base.samlet_tildeling(data, post),
                                            rules.kan_overfores_cap_years)
        if estimated:
            note = (f"{post.statskonto}: last year's appropriation unknown; maks is this year's samlet "
                    "tildeling (a lower bound of the two years' appropriation)")
        return maks, note
    if rules.subject_to_five_percent(post):
        return five_percent_max(arets, lonnskompensasjon, rules.rate_percent), ""
    return 0, f"{post.statskonto}: no maximum rule applies (post {post.post}); maks 0"


def _given_previous(data: YearData, statskonto: str) -> int | None:
    """The year's own ``forrige_ars_bevilgning`` input, None when left empty."""
    frame = data.appropriations
    rows = frame[frame["statskonto"] == statskonto]
    if not len(rows) or ("forrige_ars_bevilgning_kjent" in frame and not rows["forrige_ars_bevilgning_kjent"].iloc[0]):
        return None
    return int(rows["forrige_ars_bevilgning"].iloc[0])


def previous_appropriation(data: YearData, statskonto: str) -> tuple[int | None, str]:
    """Last year's appropriation of a post and a note: from last year's inputs in the books
    (its årets tildelinger), else the year's ``forrige_ars_bevilgning`` input, else None."""
    given = _given_previous(data, statskonto)
    prior = data.prior_appropriations
    if prior is None or not (prior["statskonto"] == statskonto).any():
        return given, ""
    computed = int(prior.loc[prior["statskonto"] == statskonto, "arets_tildelinger"].iloc[0])
    note = "" if given in (None, computed) else (
        f"{statskonto}: forrige_ars_bevilgning {format_decimal(given)} differs from last year's årets "
        f"tildelinger in the books ({format_decimal(computed)}); the books' figure is used")
    return computed, note


def note_b_row(data: YearData, post: BudgetPost, rules: NoteBRules) -> NoteBRow:
    """Every column of one Note B row."""
    regnskap = base.regnskap_by_statskonto(data).get(post.statskonto, 0)
    _, _, avvik = post_figures(data, post, regnskap)
    avgitte = -base.appropriation(data, post.statskonto, "avgitt_belastningsfullmakt")
    extra = merinntekter(data, post.statskonto)
    omdisponering = base.appropriation(data, post.statskonto, "omdisponering")
    innsparinger = -base.appropriation(data, post.statskonto, "innsparinger")
    basis = grunnlag(avvik + avgitte, extra, omdisponering, innsparinger)
    lonnskompensasjon = base.appropriation(data, post.statskonto, "lonnskompensasjon")
    maks, note = maks_overforbart(data, post, rules, lonnskompensasjon)
    mulig = mulig_overforbart(basis, maks, floor_of(rules, lonnskompensasjon))
    values = dict(zip(COLUMNS, (avvik, avgitte, avvik + avgitte, extra, omdisponering, innsparinger,
                                basis, lonnskompensasjon, maks, mulig)))
    return NoteBRow(post.statskonto, values, note)


def note_b(data: YearData) -> pd.DataFrame:
    """Note B as an evaluated layout; rows whose maks is estimated or 0 are its warnings (and ``attrs["notes"]``)."""
    lay = base.layout(data, "note_b")
    budget = base.catalogue(data)
    if budget.note_b is None:
        raise StatementError(f"the {data.year} budget catalogue has no Note B rules", "note_b_rules.csv",
                             rule="note-b-rules")
    posts = [p for p in budget if budget.note_b.in_note_b(p)]
    rows = [note_b_row(data, post, budget.note_b) for post in posts]
    amounts = {(row.statskonto, column): lay.line(row.statskonto).sign * value
               for row in rows for column, value in row.values.items() if column in lay.columns}
    table = evaluate(lay, amounts)
    table.attrs["notes"] = [row.note for row in rows if row.note]
    return base.with_warnings(table, table.attrs["notes"])
