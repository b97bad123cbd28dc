"""A hand-computed small ledger: every figure of the six cash statements asserted.

Two own statskontoer (0670.01 operating, 0671.60 grants «kan overføres»), a received
charge authorisation (0490.23), VAT (1633.01 on the supplier-debt line), payroll with
employer's tax (5700.72) and group life (5309.29), a repayment set off against a grant
(5309.29), income under a merinntektsfullmakt (3670.01), an investment on an operating post.
Amounts in the vouchers are kroner; the tables hold øre.
"""

from __future__ import annotations

import pytest

from tests.support.cash_books import figures, kr, lines_frame, year_data
from ledger.statements.registry import STATEMENTS
from ledger.statements.artskonto import artskonto, mellomvaerende
from ledger.statements.bevilgning import beholdninger, bevilgning, note_a
from ledger.statements.base import StatementError
from ledger.statements.note_b import note_b

VOUCHERS = [
    ("IB", "opening", [("1540", 5000), ("2600", -3000), ("2810", -1000), ("1990", -1000)]),
    ("V1", "journal", [("5000", 100000, "0670.01"), ("1940", -70000), ("2600", -30000)]),      # salary
    ("V2", "journal", [("5400", 14100, "0670.01"), ("1986", -14100, "5700.72")]),             # employer's tax
    ("V3", "journal", [("2600", 30000), ("1940", -30000)]),                                   # tax withheld paid
    ("V4", "journal", [("6730", 8000), ("1987", 2000), ("2400", -10000)]),                    # invoice accrued
    ("V5", "journal", [("2400", 8000, "0670.01", "673"), ("2400", 2000, "1633.01"),           # invoice paid
                       ("1940", -10000)]),
    ("V6", "journal", [("8700", 500000, "0671.60"), ("8480", -20000, "5309.29"),              # grant, set-off
                       ("1940", -480000)]),
    ("V7", "journal", [("6730", 7000, "0490.23"), ("1940", -7000)]),                          # authorisation
    ("V8", "journal", [("5000", 500, "0670.01"), ("1985", -500, "5309.29")]),                 # group life
    ("V9", "journal", [("1930", 3000), ("3000", -3000, "3670.01")]),                          # income
    ("V10", "journal", [("1930", 2000), ("1540", -2000)]),                                    # loan repaid
    ("V11", "journal", [("2810", 1000), ("1940", -1000)]),                                    # SPK paid
    ("V12", "journal", [("1280", 4000, "0670.01"), ("1940", -4000)]),                         # investment
]
APPROPRIATIONS = """0670.01,1000,130000,2000,,0,1000,3670.01,0,0
0671.60,0,600000,0,,0,0,,0,0
0490.23,0,0,0,,7000,0,,0,0
"""
COMPARATIVES = """statement,line_id,column,amount,unit
artskonto,utbetalinger_lonn,aar,90000,kr
artskonto,andre_utbetalinger_drift,aar,10000,kr
artskonto,utbetalinger_tilskudd,aar,400000,kr
artskonto,innbetaling_skatter_avgifter,aar,1000,kr
artskonto,arbeidsgiveravgift_1986,aar,12000,kr
mellomvaerende,fordringer_ansatte,aar,5000,kr
mellomvaerende,skyldig_skattetrekk,aar,-3000,kr
mellomvaerende,avsatt_pensjonspremie_spk,aar,-1000,kr
bevilgning_beholdninger,mellomvaerende,aar,1000,kr
"""


@pytest.fixture(scope="module")
def data():
    return year_data(lines_frame(VOUCHERS), APPROPRIATIONS, COMPARATIVES)


def expect(table, rows: dict) -> None:
    """Every (line, column) of ``table`` is the kroner in ``rows`` (missing: 0)."""
    got = figures(table)
    want = {key: 0 for key in got}
    for line_id, values in rows.items():
        for column, amount in values.items():
            assert (line_id, column) in got, (line_id, column)
            want[(line_id, column)] = kr(amount)
    assert got == want


def test_bevilgning(data):
    expect(bevilgning(data), {
        "0670.01": {"samlet_tildeling": 131000, "regnskap": 126600, "avvik": 4400},
        "0671.60": {"samlet_tildeling": 600000, "regnskap": 500000, "avvik": 100000},
        "0490.23": {"regnskap": 7000},          # received authorisation: tildeling and avvik 0
        "1633.01": {"regnskap": 2000},          # common chapter: regnskap only
        "sum_utgiftsfort": {"samlet_tildeling": 731000, "regnskap": 635600, "avvik": 104400},
        "3670.01": {"regnskap": 3000, "avvik": 3000},   # merinntekt
        "5309.29": {"regnskap": 20500},
        "5700.72": {"regnskap": 14100},
        "sum_inntektsfort": {"regnskap": 37600, "avvik": 3000},
        "netto_rapportert": {"regnskap": 598000},
        "kk_innbetalinger": {"regnskap": 5000},
        "kk_utbetalinger": {"regnskap": -602000},
        "endring_mellomvaerende": {"regnskap": -1000},
        "sum_rapportert": {"regnskap": 0},
    })


def test_beholdninger_from_opening_batch(data):
    expect(beholdninger(data), {"mellomvaerende": {"aar": 0, "aar-1": 1000, "endring": -1000}})


def test_note_a(data):
    expect(note_a(data), {
        "0670.01": {"overfort": 1000, "tildelinger": 130000, "samlet_tildeling": 131000},
        "0671.60": {"tildelinger": 600000, "samlet_tildeling": 600000},
    })


def test_note_b(data):
    table = note_b(data)
    expect(table, {
        # 4 400 avvik − 1 000 given + 3 000 merinntekt on 3670.01; maks (130 000 − 2 000) × 5 % + 2 000
        "0670.01": {"avvik": 4400, "avgitte_fullmakter": -1000, "etter_avgitte": 3400, "merinntekter": 3000,
                    "grunnlag": 6400, "lonnskompensasjon": 2000, "maks": 8400, "mulig": 6400},
        # «kan overføres», last year's appropriation unknown: samlet tildeling stands in (flagged)
        "0671.60": {"avvik": 100000, "etter_avgitte": 100000, "grunnlag": 100000, "maks": 600000,
                    "mulig": 100000},
    })
    assert len(table.attrs["notes"]) == 1 and "0671.60" in table.attrs["notes"][0]


def test_artskonto(data):
    expect(artskonto(data), {
        "sum_innbetalinger_drift": {"aar": 3000},
        "utbetalinger_lonn": {"aar": 114600, "aar-1": 90000},
        "andre_utbetalinger_drift": {"aar": 15000, "aar-1": 10000},
        "sum_utbetalinger_drift": {"aar": 129600, "aar-1": 100000},
        "netto_driftsutgifter": {"aar": 126600, "aar-1": 100000},
        "utbetaling_investeringer": {"aar": 4000},
        "sum_investerings_finansutgifter": {"aar": 4000},
        "netto_investerings_finansutgifter": {"aar": 4000},
        "innbetaling_skatter_avgifter": {"aar": 20000, "aar-1": 1000},
        "sum_innkreving": {"aar": 20000, "aar-1": 1000},
        "utbetalinger_tilskudd": {"aar": 500000, "aar-1": 400000},
        "sum_tilskudd": {"aar": 500000, "aar-1": 400000},
        "gruppelivsforsikring_1985": {"aar": 500},
        "arbeidsgiveravgift_1986": {"aar": 14100, "aar-1": 12000},
        "merverdiavgift_1987": {"aar": 2000},
        "netto_felleskapitler": {"aar": -12600, "aar-1": -12000},
        "netto_rapportert": {"aar": 598000, "aar-1": 100000 - 1000 + 400000 - 12000},
    })


def test_mellomvaerende(data):
    expect(mellomvaerende(data), {
        "fordringer_ansatte": {"aar": 3000, "aar-1": 5000},
        "skyldig_skattetrekk": {"aar": -3000, "aar-1": -3000},
        "avsatt_pensjonspremie_spk": {"aar-1": -1000},
        "sum_mellomvaerende": {"aar": 0, "aar-1": 1000},
    })


def test_last_year_without_opening_batch_comes_from_comparatives(data):
    no_opening = lines_frame([v for v in VOUCHERS if v[1] != "opening"])
    other = year_data(no_opening, APPROPRIATIONS, COMPARATIVES)
    expect(beholdninger(other), {"mellomvaerende": {"aar": -1000, "aar-1": 1000, "endring": -2000}})


def test_overview_without_comparatives_comes_from_opening_batch():
    other = year_data(lines_frame(VOUCHERS), APPROPRIATIONS, None)
    table = figures(mellomvaerende(other))
    assert table[("fordringer_ansatte", "aar-1")] == kr(5000)
    assert table[("sum_mellomvaerende", "aar-1")] == kr(1000)


def test_registered_under_cli_names():
    names = STATEMENTS
    for name in ("bevilgning", "bevilgning_beholdninger", "note_a", "note_b", "artskonto", "mellomvaerende"):
        assert name in names


def test_unmapped_artskonto_raises():
    bad = lines_frame([("V1", "journal", [("2400", 100, "0670.01"), ("1940", -100)])])
    with pytest.raises(StatementError, match="artskonto"):
        artskonto(year_data(bad, APPROPRIATIONS))


def test_statskonto_outside_catalogue_raises():
    bad = lines_frame([("V1", "journal", [("5000", 100, "0672.60"), ("1940", -100)])])
    with pytest.raises(StatementError, match="0672.60"):
        bevilgning(year_data(bad, APPROPRIATIONS))


def test_allotment_on_received_authorisation_raises():
    with pytest.raises(StatementError, match="belastningsfullmakt"):
        bevilgning(year_data(lines_frame(VOUCHERS), APPROPRIATIONS.replace("0490.23,0,0,", "0490.23,0,5,")))


def test_the_rows_are_the_catalogues_posts():
    """The appropriation report has a row per post of the year's catalogue, expense then income;
    Note A the agency's own expense posts; Note B those of them in posts 01-29 or «kan overføres»."""
    data = year_data(lines_frame(VOUCHERS), APPROPRIATIONS)
    rows = lambda name: [ln.line_id for ln in data.layouts[name].lines if ln.kind == "detail"]  # noqa: E731
    assert rows("bevilgning")[:7] == ["0670.01", "0671.60", "0490.23", "1633.01", "3670.01", "5309.29", "5700.72"]
    assert rows("note_a") == ["0670.01", "0671.60"] and rows("note_b") == ["0670.01", "0671.60"]
    expense = data.layouts["bevilgning"].line("sum_utgiftsfort")
    assert [ref for _, ref in expense.sum_of] == ["0670.01", "0671.60", "0490.23", "1633.01"]
    assert data.layouts["note_b"].line("0671.60").label == '0671 60 "kan overføres"'
