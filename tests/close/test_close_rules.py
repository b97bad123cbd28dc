"""The close follows its tables (close_rules.csv, carry_forward.csv), not code: change a row, the entries change."""

from __future__ import annotations

import pandas as pd

from ledger.close.entries import carried_balances, closing_lines
from ledger.reference.bundle import load_reference
from tests.support import srs_books as sb
from tests.support.data import copy_data, replace

KR = 100


def _lines():
    return sb.lines_of([(sb.OPENING, "opening"), (sb.JOURNAL, "journal")])


def test_a_collection_group_settles_where_its_row_says(tmp_path):
    data = copy_data(tmp_path / "data")
    replace(data / "close_rules.csv", "innkreving,8400,8499,,8490,1997", "innkreving,8400,8499,,8491,1997")
    reference = load_reference(data)
    entries = closing_lines(_lines(), reference.close_rules, reference.chart.roles, 2024)
    by = entries.groupby("account")["amount"].sum().to_dict()
    assert by["8491"] == 70 * KR and "8490" not in by and by["1997"] == -70 * KR


def test_the_purposes_come_in_the_order_of_the_table():
    reference = sb.REFERENCE
    entries = closing_lines(_lines(), reference.close_rules, reference.chart.roles, 2024)
    assert list(dict.fromkeys(entries["purpose"])) == ["bevilgning", "innkreving", "tilskudd", "kk"]
    # the appropriation voucher: C 3900 / D 1991 by the costs of the year
    first = entries[entries["purpose"] == "bevilgning"]
    assert first[["account", "amount"]].values.tolist() == [["3900", -sb.EXPECTED_INCOME * KR],
                                                            ["1991", sb.EXPECTED_INCOME * KR]]


def test_carry_forward_folds_kk_and_avregning_into_1990():
    reference = sb.REFERENCE
    lines = _lines()
    closing = closing_lines(lines, reference.close_rules, reference.chart.roles, 2024)
    closed = pd.concat([lines[["account", "amount", "dims"]], closing[["account", "amount"]].assign(dims="{}")],
                       ignore_index=True)
    carried = carried_balances(closed, reference.carry_rules, reference.chart.roles)
    # software 1 000 and the activated project 300 (with its project dimension), depreciation
    # 200 + 100, withheld tax 50 left; supplier debt paid, KK zeroed, every avregning account
    # folded into 1990 (without dimensions)
    project = '{"project": "prosjekt_bedre_bosetting"}'
    assert carried == {("1040", "{}"): 1_000 * KR, ("1040", project): 300 * KR, ("1049", "{}"): -300 * KR,
                       ("2600", "{}"): -50 * KR, ("1990", "{}"): -950 * KR}
