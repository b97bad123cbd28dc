"""Note B rules as a table of cases: one small book per case, every column asserted."""

from __future__ import annotations

import pytest

from tests.support.cash_books import RULES, budget_post, catalogue, kr, lines_frame, year_data
from ledger.reference.budget import NoteBRules
from ledger.statements.note_b import (kan_overfores_max, mulig_overforbart, note_b_row, percent_of,
                               five_percent_max)

POSTS = {
    "0670.01": ("expense", "drift", False, "own"),
    "0670.24": ("expense", "drift", False, "own"),
    "0671.60": ("expense", "overforing", True, "own"),
    "3670.01": ("income", "inntekt_drift", False, "own"),
}
ZERO = dict(avvik=0, avgitte_fullmakter=0, etter_avgitte=0, merinntekter=0, omdisponering=0, innsparinger=0,
            grunnlag=0, lonnskompensasjon=0, maks=0, mulig=0)

# name, statskonto, appropriation row (after the statskonto), spent, income on 3670.01, expected (kr), noted
CASES = [
    ("5 % cap", "0670.01", "0,100000,0,,0,0,,0,0", 90000, 0,
     dict(avvik=10000, etter_avgitte=10000, grunnlag=10000, maks=5000, mulig=5000), False),
    ("pay-compensation floor", "0670.01", "0,100000,4000,,0,0,,0,0", 99000, 0,
     dict(avvik=1000, etter_avgitte=1000, grunnlag=1000, lonnskompensasjon=4000, maks=8800, mulig=4000), False),
    ("5 % of årets tildelinger, not samlet", "0670.01", "20000,100000,0,,0,0,,0,0", 110000, 0,
     dict(avvik=10000, etter_avgitte=10000, grunnlag=10000, maks=5000, mulig=5000), False),
    ("stikkord, two years known", "0671.60", "0,100000,0,80000,0,0,,0,0", 20000, 0,
     dict(avvik=80000, etter_avgitte=80000, grunnlag=80000, maks=180000, mulig=80000), False),
    ("stikkord, cap binds", "0671.60", "100000,50000,0,10000,0,0,,0,0", 0, 0,
     dict(avvik=150000, etter_avgitte=150000, grunnlag=150000, maks=60000, mulig=60000), False),
    ("stikkord, last year unknown", "0671.60", "10000,100000,0,,0,0,,0,0", 0, 0,
     dict(avvik=110000, etter_avgitte=110000, grunnlag=110000, maks=110000, mulig=110000), True),
    ("given authorisation", "0670.01", "0,100000,0,,0,3000,,0,0", 95000, 0,
     dict(avvik=5000, avgitte_fullmakter=-3000, etter_avgitte=2000, grunnlag=2000, maks=5000, mulig=2000), False),
    ("additional income", "0670.01", "0,100000,0,,0,0,3670.01,0,0", 100000, 2500,
     dict(merinntekter=1500, grunnlag=1500, maks=5000, mulig=1500), False),
    ("reallocation and savings", "0670.01", "0,100000,0,,0,0,,-2000,1000", 90000, 0,
     dict(avvik=10000, etter_avgitte=10000, omdisponering=-2000, innsparinger=-1000, grunnlag=7000,
          maks=5000, mulig=5000), False),
    ("post 24: no maximum rule", "0670.24", "0,100000,0,,0,0,,0,0", 90000, 0,
     dict(avvik=10000, etter_avgitte=10000, grunnlag=10000, maks=0, mulig=0), True),
    ("overspend, floor 0 (footnote read literally)", "0670.01", "0,100000,0,,0,0,,0,0", 110000, 0,
     dict(avvik=-10000, etter_avgitte=-10000, grunnlag=-10000, maks=5000, mulig=0), False),
]


@pytest.mark.parametrize("name,statskonto,row,spent,income,expected,noted", CASES, ids=[c[0] for c in CASES])
def test_note_b_case(name, statskonto, row, spent, income, expected, noted):
    vouchers = [("V1", "journal", [("6730", spent, statskonto), ("1940", -spent)])]
    if income:
        vouchers.append(("V2", "journal", [("1930", income), ("3000", -income, "3670.01")]))
    appropriations = f"{statskonto},{row}\n3670.01,0,1000,0,,0,0,,0,0\n"
    data = year_data(lines_frame(vouchers), appropriations, budget=catalogue(POSTS))
    result = note_b_row(data, data.budget.get(statskonto), RULES)
    assert result.values == {k: kr(v) for k, v in {**ZERO, **expected}.items()}
    assert bool(result.note) == noted


def test_rows_are_own_expense_posts_with_stikkord_or_in_01_29():
    posts = {"0601.21": ("expense", "drift", True, "own"), "0670.24": ("expense", "drift", False, "own"),
             "0671.45": ("expense", "investering", True, "own"), "0671.62": ("expense", "overforing", False, "own"),
             "0490.23": ("expense", "drift", False, "belastningsfullmakt"),
             "1633.01": ("expense", "drift", False, "felleskapittel"), "3670.01": ("income", "inntekt_drift", False, "own")}
    chosen = [p.statskonto for p in catalogue(posts) if RULES.in_note_b(p)]
    assert chosen == ["0601.21", "0670.24", "0671.45"]
    # the 5 % rule: own operating posts without the stikkord, except 24
    assert [p.statskonto for p in catalogue(posts) if RULES.subject_to_five_percent(p)] == []
    assert RULES.subject_to_five_percent(budget_post("0670.01", "expense", "drift", False, "own"))


@pytest.mark.parametrize("amount,percent,expected", [(100, 5, 5), (10, 5, 1), (9, 5, 0), (-10, 5, -1),
                                                     (10000101, 5, 500005), (30, 5, 2)])
def test_percent_rounds_half_away_from_zero(amount, percent, expected):
    assert percent_of(amount, percent) == expected


def test_rule_functions():
    assert five_percent_max(kr(383646000), kr(6506000), 5) == kr(25363000)
    assert kan_overfores_max(100, 80, 120, 2) == (180, False)
    assert kan_overfores_max(100, None, 120, 2) == (120, True)
    assert kan_overfores_max(100, 80, 120, 1) == (100, False)
    assert mulig_overforbart(10, 5, None) == 5
    assert mulig_overforbart(1, 5, 3) == 3
    assert mulig_overforbart(-7, 5, None) == -7


def test_rule_parameters_come_from_data():
    ten = NoteBRules((1, 29), (24,), 10, 2, "none")
    vouchers = [("V1", "journal", [("6730", 90000, "0670.01"), ("1940", -90000)])]
    data = year_data(lines_frame(vouchers), "0670.01,0,100000,4000,,0,0,,0,0\n", budget=catalogue(POSTS, ten))
    result = note_b_row(data, data.budget.get("0670.01"), ten)
    assert result.values["maks"] == kr(96000 // 10 + 4000)
    assert result.values["mulig"] == kr(10000)
