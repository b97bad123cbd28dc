"""Hypothesis: for random valid books both reports' netto rapportert agree and the capital
section sums to 0; the holdings and the overview tie to the change in mellomværende.
Plus a text snapshot of the rendered appropriation report of the small ledger."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.cash_books import figures, lines_frame, year_data
from ledger.export.text import render_statement
from ledger.statements.artskonto import artskonto, mellomvaerende
from ledger.statements.bevilgning import beholdninger, bevilgning, note_a
from ledger.statements.note_b import note_b

APPROPRIATIONS = "0670.01,500,100000,100,,0,0,3670.01,0,0\n0671.60,0,900000,0,,0,0,,0,0\n"
EXPENSES = [("5000", "0670.01", None), ("6730", "0670.01", None), ("2400", "0670.01", "673"),
            ("1280", "0670.01", None), ("8150", "0670.01", None), ("8700", "0671.60", None),
            ("6730", "0490.23", None), ("2400", "1633.01", None)]
MELLOM = ["1540", "2600", "2630", "2790", "2810", "2930", "2800"]
amounts = st.integers(min_value=1, max_value=10**9)  # øre → kroner/100 below


@st.composite
def voucher(draw, number: int) -> tuple:
    """One voucher obeying the settlement identity (kroner with øre)."""
    kind = draw(st.sampled_from(["paid", "aga", "income", "setoff", "settle", "accrued"]))
    a = draw(amounts) / 100
    if kind == "paid":
        parts = draw(st.lists(st.tuples(amounts, st.sampled_from(EXPENSES)), min_size=1, max_size=4))
        lines = [(acc, v / 100, sk, art) if art else (acc, v / 100, sk) for v, (acc, sk, art) in parts]
        total = sum(v for v, _ in parts)
        withheld = draw(st.integers(0, total))
        lines += [("1940", -(total - withheld) / 100), (draw(st.sampled_from(MELLOM)), -withheld / 100)]
    elif kind == "aga":
        lines = [("5400", a, "0670.01"), ("1986", -a, "5700.72")]
    elif kind == "income":
        lines = [("1930", a), draw(st.sampled_from([("3000", -a, "3670.01"), ("8480", -a, "5309.29")]))]
    elif kind == "setoff":
        back = draw(st.integers(0, int(a * 100))) / 100
        lines = [("8700", a, "0671.60"), ("8480", -back, "5309.29"), ("1940", -(a - back))]
    elif kind == "settle":
        lines = [(draw(st.sampled_from(MELLOM)), a), (draw(st.sampled_from(["1930", "1940"])), -a)]
    else:
        lines = [("6730", a), ("2400", -a)]
    return (f"V{number}", "journal", [l for l in lines if l[1] != 0] or [("6730", 0), ("2400", 0)])


@st.composite
def books(draw):
    opening = draw(st.lists(st.tuples(st.sampled_from(MELLOM), amounts), max_size=4))
    vouchers = []
    if opening:
        total = sum(v for _, v in opening)
        vouchers.append(("IB", "opening", [(acc, v / 100) for acc, v in opening] + [("1990", -total / 100)]))
    vouchers += [draw(voucher(i)) for i in range(draw(st.integers(1, 20)))]
    return vouchers


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_random_books_tie(vouchers):
    lines = lines_frame(vouchers)
    settlement = lines["account"].isin(["1930", "1940", *MELLOM])
    journal = lines[lines["kind"] == "journal"]
    assert (lines.groupby("voucher")["amount"].sum() == 0).all()
    identity = journal["amount"].where(journal["statskonto"].notna() | settlement[journal.index], 0)
    assert (identity.groupby(journal["voucher"]).sum() == 0).all()  # the settlement identity holds
    data = year_data(lines, APPROPRIATIONS)
    bev, arts = figures(bevilgning(data)), figures(artskonto(data))
    assert bev[("netto_rapportert", "regnskap")] == arts[("netto_rapportert", "aar")]
    assert bev[("sum_rapportert", "regnskap")] == 0
    held, overview = figures(beholdninger(data)), figures(mellomvaerende(data))
    assert held[("mellomvaerende", "endring")] == bev[("endring_mellomvaerende", "regnskap")]
    assert held[("mellomvaerende", "aar")] == overview[("sum_mellomvaerende", "aar")]
    note_a(data), note_b(data)  # they compute


def test_rendered_bevilgning_snapshot(snapshot):
    from tests.statements.test_cash_small import APPROPRIATIONS as SMALL_APPROPRIATIONS, COMPARATIVES, VOUCHERS

    data = year_data(lines_frame(VOUCHERS), SMALL_APPROPRIATIONS, COMPARATIVES)
    assert render_statement(bevilgning(data), data.layouts["bevilgning"]) == snapshot
