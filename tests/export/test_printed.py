"""Which lines are printed: zero lines left out as the publication does, the agency's kept."""

from __future__ import annotations

import pandas as pd

from ledger.export.printed import printed_lines
from ledger.reference.layout import Layout, LayoutLine, evaluate, parse_sum

LINES = [
    ("eiendeler", "heading", ""),
    ("anlegg", "heading", ""),
    ("programvare", "detail", ""),
    ("inventar", "detail", ""),
    ("sum_anlegg", "sum", "programvare+inventar"),
    ("omlop", "heading", ""),
    ("varer_heading", "heading", ""),
    ("varer", "detail", ""),
    ("fordringer", "detail", ""),
    ("sum_omlop", "sum", "varer+fordringer"),
    ("sum_eiendeler", "sum", "sum_anlegg+sum_omlop"),
    ("satser", "heading", ""),
]
LAYOUT = Layout("t", "T", ("aar", "aar-1"), ("2024", "2023"),
                tuple(LayoutLine(i, i, k, parse_sum(s)) for i, k, s in LINES))


def printed(amounts, always=()):
    table = evaluate(LAYOUT, amounts)
    return list(printed_lines(table, LAYOUT, always)["line_id"])


def test_a_zero_line_is_left_out_and_a_line_with_last_years_figure_stays():
    assert printed({("programvare", "aar"): 100, ("inventar", "aar-1"): 5}) == [
        "eiendeler", "anlegg", "programvare", "inventar", "sum_anlegg", "sum_eiendeler", "satser"]


def test_an_empty_section_goes_with_its_heading_and_its_zero_sum():
    # omlop, varer_heading, varer, fordringer, sum_omlop all go: nothing under them is printed
    assert printed({("programvare", "aar"): 100}) == [
        "eiendeler", "anlegg", "programvare", "sum_anlegg", "sum_eiendeler", "satser"]


def test_the_agency_keeps_its_zero_lines_and_their_headings_and_sums():
    assert printed({("programvare", "aar"): 100}, always={"varer"}) == [
        "eiendeler", "anlegg", "programvare", "sum_anlegg", "omlop", "varer_heading", "varer", "sum_omlop",
        "sum_eiendeler", "satser"]


def test_a_zero_sum_of_printed_lines_stays():
    # debit and credit cancel: the sum is 0 but its lines are printed, so it is too
    assert "sum_omlop" in printed({("varer", "aar"): 70, ("fordringer", "aar"): -70})


def test_the_statement_keeps_every_line():
    table = evaluate(LAYOUT, {})
    printed_lines(table, LAYOUT)
    assert list(table["line_id"]) == [i for i, _, _ in LINES] and isinstance(table, pd.DataFrame)
