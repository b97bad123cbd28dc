"""The reference data as one bundle: every table loaded once, every problem reported at once."""

from __future__ import annotations

import pytest

from ledger.reference.bundle import load_reference
from ledger.reference.tables import ChartError
from tests.support.data import append, copy_data, replace


@pytest.fixture
def data(tmp_path):
    return copy_data(tmp_path / "data")


def test_the_packaged_reference_loads_and_validates():
    reference = load_reference()
    assert list(reference.layouts)[:3] == ["bevilgning", "bevilgning_beholdninger", "note_a"]
    assert reference.layouts["nokkeltall"].line("lonnsandel").unit == "pct"
    assert reference.layouts["resultat"].line("lonnskostnader").unit == "kr"
    assert {r.purpose for r in reference.close_rules} == {"bevilgning", "innkreving", "tilskudd", "resultat", "kk"}
    assert reference.capital_lines["bevilgning"]["kk_innbetalinger"] == "kk_in"
    assert reference.account_classes.holds("collection", "8480")
    assert not reference.account_classes.holds("collection", "8490")
    assert reference.account_classes.holds("collection_settlement", "8490")


def test_every_problem_of_every_table_is_reported_at_once(data):
    append(data / "accounts.csv", "6739,Ukjent,999,,,,test")
    append(data / "accounts.csv", "673,Tre sifre,673,,,,test")
    replace(data / "layouts" / "note_1.csv", "inntekt_fra_bevilgninger,Inntekt fra bevilgninger,detail,,-1",
            "inntekt_fra_bevilgninger,Inntekt fra bevilgninger,detail,,2")
    append(data / "close_rules.csv", "innkreving,8200,8299,,8290,1998,test")
    with pytest.raises(ChartError) as caught:
        load_reference(data)
    rules = [p.rule for p in caught.value.problems]
    assert rules.count("skp-unknown") == 1 and "account-format" in rules
    assert "sign" in rules and "close-rule" in rules
    text = str(caught.value)
    assert "accounts.csv:" in text and "note_1.csv:" in text and "close_rules.csv:" in text
    assert len(text.splitlines()) == len(caught.value.problems) >= 4


def test_a_note_7a_item_with_an_unknown_measure_is_refused(data):
    replace(data / "note_7a_items.csv", "nettoordning_mva,movement", "nettoordning_mva,guess")
    with pytest.raises(ChartError, match=r"note_7a_items\.csv:\d+: \[measure\]"):
        load_reference(data)


def test_a_capital_line_must_be_a_detail_line(data):
    append(data / "capital_lines.csv", "bevilgning,sum_rapportert,kk_in,test")
    with pytest.raises(ChartError, match=r"\[line-unknown\] bevilgning:sum_rapportert"):
        load_reference(data)


# Each bad term with the message that names it; the two groups are two loads (their edits touch the same rows).
KEY_FIGURE_EDITS = [
    [("line:resultat:lonnskostnader,line:resultat:sum_driftskostnader",
      "line:resultat:lonnskostnader,line:resultat:sum_driftskostnadr", "resultat has no line 'sum_driftskostnadr'"),
     ("posts:regnskap:own:01,", "posts:regnskapet:own:01,", "no column 'regnskapet'"),
     ("posts:samlet_tildeling:own:01-99", "posts:samlet_tildeling:egen:01-99", "unknown relation 'egen'"),
     ("agency:performed_fte", "agency:utforte", "agency.toml has no figure 'utforte'"),
     # a key figure may read one computed above it, not one below
     ("line:resultat:lonnskostnader,line:nokkeltall:utforte_arsverk",
      "line:resultat:lonnskostnader,line:nokkeltall:lonnsutgifter_per_arsverk", "not computed above this one")],
    [("line:resultat:lonnskostnader,line:resultat:sum_driftskostnader",
      "line:resultatt:lonnskostnader,line:resultat:sum_driftskostnader", "no statement 'resultatt'"),
     ("posts:samlet_tildeling:own:01-99", "posts:samlet_tildeling:own:29-01", "posts 29-01"),
     ("driftsutgifter,driftsutgifter,", "driftsutgiftene,driftsutgifter,", "nokkeltall has no line 'driftsutgiftene'")],
]


@pytest.mark.parametrize("edits", KEY_FIGURE_EDITS)
def test_a_key_figure_term_is_checked_against_the_layouts(data, edits):
    for old, new, _ in edits:
        replace(data / "key_figures.csv", old, new)
    with pytest.raises(ChartError) as caught:
        load_reference(data)
    rows = (data / "key_figures.csv").read_text(encoding="utf-8").splitlines()
    found = {(p.row, p.message) for p in caught.value.problems}
    assert all(p.rule == "key-figure-term" and str(p.file).endswith("key_figures.csv") for p in caught.value.problems)
    assert len(found) == len(edits)  # one problem per bad term, each on the row that has it
    for _, new, message in edits:
        assert any(message in text and new in rows[row - 1] for row, text in found), message


FOOTNOTE_ROWS = [  # each appended row and the problem it is refused with
    ("note_7a,,endringen,*,,,test", "column-unknown", "note_7a has no column 'endringen'"),
    ("note_7a,sum_endring_i_avregnet,endring,*,,* x,test", "footnote", "not both"),
    ("note_5,husleie,,¹,table:note_5_husleia,,test", "statement-unknown", "table:note_5_husleia"),
    ("note_5,,,,table:note_5_husleie,,test", "footnote", "needs a marker and an anchor or column"),
    ("note_5,husleie,,,,,test", "footnote", "empty text"),
    ("note_5,husleie,,¹,below,x,test", "footnote", "placement 'below'"),
    ("note_5,husleie,,¹,,{konto_mill:64x0} mill.,test", "footnote", "four-digit accounts"),
    ("note_5,husleien,,¹,,x,test", "line-unknown", "note_5 has no line 'husleien'"),
]


def test_every_footnote_row_is_checked_at_load(data):
    path = data / "layouts" / "footnotes.csv"
    first = len(path.read_text(encoding="utf-8").splitlines()) + 1
    for row, _, _ in FOOTNOTE_ROWS:
        append(path, row)
    with pytest.raises(ChartError) as caught:
        load_reference(data)
    found = {(p.row, p.rule, p.message) for p in caught.value.problems}
    assert all(str(p.file).endswith("footnotes.csv") for p in caught.value.problems)
    for at, (_, rule, message) in enumerate(FOOTNOTE_ROWS, start=first):
        assert any(row == at and r == rule and message in m for row, r, m in found), (at, rule, message)
    assert {row for row, _, _ in found} == set(range(first, first + len(FOOTNOTE_ROWS)))


def test_footnotes_without_the_column_column_still_load(data):
    path = data / "layouts" / "footnotes.csv"
    path.write_text("statement,anchor,marker,placement,text,source\n"
                    "note_7a,sum_endring_i_avregnet,*,,* Sum endring …,test\n", encoding="utf-8")
    [note] = load_reference(data).printing.footnotes["note_7a"]
    assert (note.anchor, note.column, note.marker, note.row) == ("sum_endring_i_avregnet", "", "*", 2)


def test_a_header_that_begins_a_page_is_checked(data):
    path = data / "layouts" / "print_headers.csv"
    first = len(path.read_text(encoding="utf-8").splitlines()) + 1
    append(path, "note_2,lonn,label,|31.12.{aar},ja,test")
    append(path, "note_3,,label,|a|b|c,yes,test")
    with pytest.raises(ChartError) as caught:
        load_reference(data)
    found = sorted((p.row, p.rule, p.message) for p in caught.value.problems)
    assert [(row, rule) for row, rule, _ in found] == [(first, "new-page"), (first + 1, "new-page")]
    assert "new_page 'ja'" in found[0][2] and "the sheet's own header begins the sheet" in found[1][2]
