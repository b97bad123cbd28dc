"""A missing optional dimension is shown as *ikke spesifisert* with a warning, never a refusal.

Hand-computed: the small books of :mod:`tests.support.srs_books` plus rent of 400 kr on
6300 (300 with the lease term ``1-5``, 100 with none), a grant of 200 kr on 8700 with
neither statskonto nor scheme, and 50 kr on the project account 1070 without a project.
"""

from __future__ import annotations

import pytest

from ledger.statements import srs_assets, srs_treasury
from ledger.statements.base import statement_warnings, warnings_of
from tests.support import srs_books as sb

EXTRA = [
    sb.v("H1", "05-02", ("6300", 300), ("2400", -300), dims={"leieavtale": "1-5"}),
    sb.v("H2", "05-03", ("6300", 100), ("2400", -100)),
    sb.v("G1", "06-01", ("8700", 200), ("2500", -200)),
    sb.v("P1", "06-02", ("1070", 50), ("2400", -50)),
]


@pytest.fixture(scope="module")
def data():
    lines = sb.lines_of([(sb.OPENING, "opening"), (sb.JOURNAL + EXTRA, "journal")])
    return sb.year_data(lines)


def row(table, line_id, column):
    return int(table.loc[table["line_id"] == line_id, column].iloc[0]) // 100


def test_rent_without_a_lease_term_is_not_specified(data):
    table = srs_treasury.note_5_husleie(data)
    column = data.layouts["note_5_husleie"].columns[0]
    assert row(table, "varighet_1_5_ar", column) == 300
    assert row(table, "varighet_ikke_spesifisert", column) == 100
    assert row(table, "kostnadsfort_leiebetaling", column) == 400
    [warning] = warnings_of(table)
    assert "100 kr" in warning and "leieavtale" in warning and "[lease-term-unknown]" in warning


def test_a_grant_without_a_scheme_is_not_specified(data):
    table = srs_treasury.note_9(data)
    column = data.layouts["note_9"].columns[0]
    assert row(table, "ordning_ikke_spesifisert", column) == 200
    assert row(table, "sum_tilskudd", column) == 1000 + 200  # T1's 1 000 on 0671.60, and G1
    [warning] = warnings_of(table)
    assert "1 grant lines (200 kr)" in warning and "[grant-scheme-unknown]" in warning


def test_a_project_line_without_a_project_is_not_specified(data):
    table = srs_assets.note_3_prosjekter(data)
    lay = data.layouts["note_3_prosjekter"]
    ib, tilgang, _, ub = lay.columns[:4]
    assert row(table, "prosjekt_ikke_spesifisert", tilgang) == 50
    assert row(table, "prosjekt_ikke_spesifisert", ub) == 50
    assert row(table, "sum_pagaende_anlegg", ub) == 50  # 300 opening, activated in X1
    assert "[project-unknown]" in warnings_of(table)[0]


def test_warnings_are_named_by_their_statement(data):
    tables = {"note_9": srs_treasury.note_9(data), "note_5_husleie": srs_treasury.note_5_husleie(data)}
    assert [w.split(":")[0] for w in statement_warnings(tables)] == ["note_9", "note_5_husleie"]
