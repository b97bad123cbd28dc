"""Hypothesis: for random valid books the close makes the result 0, the balance sheet
balances (31.12 and 01.01), the note 7A walk closes, and posting the close changes no
statement figure."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import srs_books as sb
from ledger.close import entries as close_entries, year_end
from ledger.core.records import Line, Voucher
from ledger.statements import srs_accounts, srs_treasury

amount = st.integers(min_value=1, max_value=10**9)  # øre


def _templates(a: int, b: int) -> list[list[tuple]]:
    """Valid vouchers (settlement identity holds) of the kinds a gross-budgeted agency posts."""
    return [
        [("5000", a, "0670.01"), ("1940", -(a - min(b, a))), ("2600", -min(b, a))],  # salary, tax withheld
        [("5400", a, "0670.01"), ("1986", -a, "5700.72")],                          # employer's tax
        [("6730", a), ("1987", b), ("2400", -(a + b))],                              # invoice accrued
        [("2400", a, "0670.01"), ("1940", -a)],                                      # invoice paid
        [("8700", a + b, "0671.60"), ("8480", -b, "5309.29"), ("1940", -a)],        # grant, set-off
        [("1930", a), ("8480", -a, "5309.29")],                                      # repayment via KK
        [("1040", a), ("2400", -a)],                                                 # software bought
        [("6000", a), ("1049", -a)],                                                 # depreciation
        [("6390", a), ("2960", -a)],                                                 # accrued cost
        [("2600", a), ("1940", -a)],                                                 # tax paid
        [("8150", a, "0670.01"), ("1940", -a)],                                      # interest
        [("1571", a), ("5800", -a)],                                                 # NAV refund claim
    ]


@st.composite
def books(draw):
    opening_assets = draw(st.integers(0, 10**9))
    opening_debt = draw(st.integers(0, 10**9))
    opening = [Voucher("IB", dt.date(2024, 1, 1), [
        Line("1040", opening_assets), Line("2400", -opening_debt), Line("1990", opening_debt - opening_assets)])]
    picks = draw(st.lists(st.tuples(st.integers(0, 11), amount, amount), min_size=1, max_size=25))
    journal = []
    for i, (k, a, b) in enumerate(picks):
        lines = [Line(acc, amt, sk[0] if sk else None) for acc, amt, *sk in _templates(a, b)[k] if amt]
        journal.append(Voucher(f"V{i}", dt.date(2024, 1 + i % 12, 15), lines))
    return sb.lines_of([(opening, "opening"), (journal, "journal")])


def _figure(table: pd.DataFrame, line: str, column: str) -> int:
    return int(table.set_index("line_id").at[line, column])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_result_zero_balance_balances_walk_closes(lines):
    data = sb.year_data(lines)
    result = srs_accounts.resultat(data)
    assert _figure(result, "resultat_av_periodens_aktiviteter", "aar") == 0
    assert _figure(result, "sum_innkrevingsvirksomhet", "aar") == 0
    assert _figure(result, "sum_tilskuddsforvaltning", "aar") == 0
    balance = srs_accounts.balanse(data)
    for column in ("ub", "ib"):
        assert _figure(balance, "sum_eiendeler", column) == _figure(balance, "sum_statens_kapital_og_gjeld", column)
    walk = srs_treasury.note_7a(data)
    assert _figure(walk, "sum_endring_i_avregnet", "endring") == -_figure(walk, "avregnet_i_balansen", "endring")
    assert _figure(walk, "andre_avstemmingsposter", "endring") == 0
    # posting the close (a closing batch) changes no figure
    closing = close_entries.closing_entries(lines, sb.REFERENCE.close_rules, sb.CHART.roles, 2024)
    closed = pd.concat([lines, sb.lines_of([(closing, "closing")])], ignore_index=True)
    after = sb.year_data(closed)
    pd.testing.assert_frame_equal(balance, srs_accounts.balanse(after))
    pd.testing.assert_frame_equal(result, srs_accounts.resultat(after))
    pd.testing.assert_frame_equal(walk, srs_treasury.note_7a(after))
    # after the close, classes 3-8 sum to 0 and so do the balance accounts
    codes = pd.to_numeric(closed["account"])
    assert int(closed.loc[(codes >= 3000) & (codes <= 8999), "amount"].sum()) == 0
