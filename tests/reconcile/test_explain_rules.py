"""explain writes out the arithmetic of every rule-computed figure (issue #15): note 7A's items
and residual, note 7B's difference, the roll-forwards, the key figures' formulas.

No figure of the bundled 2024 books answers "not retraceable"; every explanation whose parts
are addends adds up to its figure, and every formula's terms give it."""

from __future__ import annotations

import shutil

import pytest

from ledger.books.store import Books
from ledger.export.accounts import compute_tables
from ledger.reconcile.explain import explain
from ledger.statements.registry import statements_for
from tests.support.books import year_of
from tests.support.examples import init_example


def _year(path):
    with Books.open(path) as books:
        data = year_of(books, 2024)
    return data, compute_tables(data, statements_for(data.reference))


@pytest.fixture(scope="module")
def imdi(imdi_2024_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("imdi") / "books.sqlite"
    shutil.copy(imdi_2024_template, path)
    return _year(path)


def _dead_ends(data, tables, statements=None):
    """Every (statement, line, column) whose explanation is not retraceable or does not add up."""
    found = []
    for name, layout in data.layouts.items():
        if statements is not None and name not in statements:
            continue
        for line in layout.lines:
            for column in layout.columns:
                result = explain(data, tables, name, line.line_id, column)
                if result.basis.startswith("not retraceable"):
                    found.append((name, line.line_id, column, "not retraceable"))
                elif line.kind != "heading" and (name, column) in RULE_COLUMNS and not result.complete:
                    found.append((name, line.line_id, column, "incomplete"))
    return found


# the statements and columns whose figures the rules of explain_rules give (each must add up)
RULE_COLUMNS = {(s, c) for s, cs in {"note_7a": ("ub", "ib", "endring"),
                                     "note_7b": ("avregnet", "mellomvaerende", "forskjell"),
                                     "note_3": ("programvare", "under_utforelse", "sum"),
                                     "note_4": ("driftslosore", "under_utforelse", "sum"),
                                     "note_3_prosjekter": ("ib", "tilgang", "aktivert", "ub"),
                                     "note_5_husleie": ("bygninger", "sum"), "note_9": ("aar",),
                                     "nokkeltall": ("aar",), "note_b": ("merinntekter", "maks"),
                                     "konsulent": ("aar", "endring")}.items()
                for c in cs}


def test_note_7a_residual_is_the_change_less_the_items(imdi):
    data, tables = imdi
    result = explain(data, tables, "note_7a", "andre_avstemmingsposter", "endring")
    keys = [p.key.split(":")[1] for p in result.parts]
    assert keys[0] == "avregnet_i_balansen" and "konsernkonto_utbetaling" in keys and "nettoordning_mva" in keys
    assert "andre_avstemmingsposter" not in keys and result.complete and result.figure == 0
    # the change in avregnet (presented with the top row's sign −1) enters in ledger sign
    assert result.parts[0].amount == -tables["note_7a"].set_index("line_id").at["avregnet_i_balansen", "endring"]
    assert all(p.ref.startswith("note_7a ") for p in result.parts)
    top = explain(data, tables, "note_7a", "avregnet_i_balansen", "ub")
    assert [p.ref for p in top.parts] == ["balanse avregnet_med_statskassen ub"] and top.complete
    change = explain(data, tables, "note_7a", "avregnet_i_balansen", "endring")
    assert [p.amount for p in change.parts] == [13953266395, -12332087040] and change.figure == 1621179355


def test_note_7a_items_by_their_measure(imdi):
    data, tables = imdi
    grants = explain(data, tables, "note_7a", "utbetaling_tilskuddsforvaltning", "endring")
    assert [p.key for p in grants.parts] == ["1998", "set_off"] and grants.complete
    assert int(grants.lines["presented"].sum()) == grants.figure
    collection = explain(data, tables, "note_7a", "innbetaling_innkrevingsvirksomhet", "endring")
    assert collection.complete and int(collection.lines["presented"].sum()) == collection.figure
    at_date = explain(data, tables, "note_7a", "konsernkonto_utbetaling", "ub")
    assert at_date.figure == 0 and not at_date.parts and "column endring only" in at_date.basis


def test_note_7b_difference_is_avregnet_less_mellomvaerende(imdi):
    data, tables = imdi
    result = explain(data, tables, "note_7b", "skyldig_skattetrekk", "forskjell")
    # hand: avregnet −8 221 106.20 less mellomværende −8 897 359.20 = 676 253.00
    assert [p.amount for p in result.parts] == [-822110620, 889735920] and result.figure == 67625300
    assert [p.ref for p in result.parts] == ["note_7b skyldig_skattetrekk avregnet",
                                             "note_7b skyldig_skattetrekk mellomvaerende"]
    unfed = explain(data, tables, "note_7b", "leverandorgjeld", "mellomvaerende")
    assert unfed.figure == 0 and "no row of note_map.csv" in unfed.basis


def test_key_figure_formula_with_its_terms(imdi):
    data, tables = imdi
    result = explain(data, tables, "nokkeltall", "lonnsandel")
    assert result.column == "aar" and result.formula and result.complete
    assert [(p.kind, p.ref) for p in result.parts] == [("numerator", "resultat lonnskostnader aar"),
                                                       ("denominator", "resultat sum_driftskostnader aar")]
    pay, costs = (p.amount for p in result.parts)
    assert result.figure == round(pay * 10000 / costs) == 5520
    assert result.basis.startswith("lønnsandel = Lønnskostnader 249 545 015 kr × 100 / Sum driftskostnader "
                                   "452 051 230 kr = 55 %")
    per_fte = explain(data, tables, "nokkeltall", "lonnsutgifter_per_arsverk")
    assert per_fte.parts[1].ref == "nokkeltall utforte_arsverk aar" and per_fte.parts[1].amount == 24200
    assert "= 1 031 178 kr" in per_fte.basis
    used = explain(data, tables, "nokkeltall", "utnyttelsesgrad")
    assert {p.key for p in used.parts if p.kind == "numerator"} >= {"bevilgning:0490.23:regnskap"}  # received


def test_table_4_3_change_is_this_year_less_last_year(imdi):
    data, tables = imdi
    result = explain(data, tables, "konsulent", "okonomi_revisjon", "endring")
    # hand (seed l.3765): 78 092 this year less 235 831 in 2023 = −157 739 (printed −157 740)
    assert [p.amount for p in result.parts] == [7809200, -23583100] and result.figure == -15773900
    assert result.complete and [p.ref for p in result.parts] == ["konsulent okonomi_revisjon aar",
                                                               "konsulent okonomi_revisjon aar-1"]
    assert "derived_columns.csv" in result.basis
    for line in (ln for ln in data.layouts["konsulent"].lines if ln.kind == "detail"):
        assert explain(data, tables, "konsulent", line.line_id, "endring").complete, line.line_id


def test_rollforward_lines_name_their_accounts(imdi):
    data, tables = imdi
    result = explain(data, tables, "note_3", "avskrivninger", "programvare")
    assert result.complete and [p.key for p in result.parts] == ["1049"] and result.figure == 2584958720
    assert int(result.lines["presented"].sum()) == result.figure
    total = explain(data, tables, "note_3", "tilgang", "sum")
    assert [p.ref for p in total.parts] == ["note_3 tilgang programvare", "note_3 tilgang under_utforelse"]


@pytest.mark.slow
def test_imdi_rule_statements_are_retraceable(imdi):
    data, tables = imdi
    assert _dead_ends(data, tables, {"note_7a", "note_7b", "nokkeltall", "note_b", "note_2", "note_8"}) == []


@pytest.mark.slow
def test_sbt_every_figure_is_retraceable(tmp_path_factory):
    data, tables = _year(init_example(tmp_path_factory, "sbt"))
    assert _dead_ends(data, tables) == []


@pytest.mark.slow
def test_imdi_every_figure_is_retraceable(imdi):
    data, tables = imdi
    assert _dead_ends(data, tables) == []
