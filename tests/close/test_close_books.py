"""Year-end close and the SRS statements on a small hand-computed ledger (tests/srs_books.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from ledger.close import entries as close_entries, year_end
from ledger.cli import cli
from ledger.journal.batch import batch_from_vouchers
from ledger.core.records import Line, Voucher
from ledger.books.store import Books, PostingRefused
from tests.support.books import REFERENCE, year_of
from ledger.statements.registry import SRS_STATEMENTS, STATEMENTS
from tests.support import srs_books as sb

KR = 100


def figure(table: pd.DataFrame, line: str, column: str | None = None) -> int:
    row = table.set_index("line_id").loc[line]
    return int(row[column or table.columns[4]])


def all_statements(books: Books, year: int = 2024) -> dict[str, pd.DataFrame]:
    data = year_of(books, year)
    return {name: fn(data) for name, fn in SRS_STATEMENTS.items()
            if name not in ("nokkeltall",)}  # no appropriations in the small books


@pytest.fixture
def books(tmp_path):
    with sb.create(tmp_path / "books.sqlite") as b:
        yield b


def test_closing_entries_by_hand():
    lines = sb.lines_of([(sb.OPENING, "opening"), (sb.JOURNAL, "journal")])
    entries = close_entries.closing_lines(lines, REFERENCE.close_rules, sb.CHART.roles, 2024)
    by = entries.groupby("account")["amount"].sum().to_dict()
    assert by["3900"] == -sb.EXPECTED_INCOME * KR and by["1991"] == sb.EXPECTED_INCOME * KR
    assert by["8490"] == 70 * KR and by["1997"] == -70 * KR
    assert by["8790"] == -1000 * KR and by["1998"] == 1000 * KR
    assert by["1930"] == -20 * KR and by["1940"] == 2175 * KR and by["1990"] == (20 - 2175) * KR
    assert "8800" not in by  # the result is 0: nothing to dispose
    vouchers = close_entries.closing_entries(lines, REFERENCE.close_rules, sb.CHART.roles, 2024)
    assert all(v.total == 0 and v.date == dt.date(2024, 12, 31) for v in vouchers)
    assert {v.id.rsplit("-", 1)[1] for v in vouchers} == {"bevilgning", "innkreving", "tilskudd", "kk"}


def test_statements_of_the_small_ledger(books):
    year_end.close_year(books, 2024, REFERENCE)
    s = all_statements(books)
    assert figure(s["resultat"], "inntekt_fra_bevilgninger") == sb.EXPECTED_INCOME * KR
    assert figure(s["resultat"], "resultat_av_periodens_aktiviteter") == 0
    assert figure(s["resultat"], "sum_innkrevingsvirksomhet") == 0
    assert figure(s["resultat"], "sum_tilskuddsforvaltning") == 0
    bal = s["balanse"]
    for column in ("ub", "ib"):
        assert figure(bal, "sum_eiendeler", column) == figure(bal, "sum_statens_kapital_og_gjeld", column)
    assert figure(bal, "avregnet_med_statskassen", "ub") == 950 * KR
    assert figure(bal, "programvare", "ub") == 1000 * KR
    walk = s["note_7a"]
    assert figure(walk, "innbetaling_innkrevingsvirksomhet", "endring") == -20 * KR
    assert figure(walk, "utbetaling_tilskuddsforvaltning", "endring") == 950 * KR
    assert figure(walk, "andre_avstemmingsposter", "endring") == 0
    assert figure(walk, "sum_endring_i_avregnet", "endring") == -figure(walk, "avregnet_i_balansen", "endring")
    note3 = s["note_3"]
    assert figure(note3, "fra_under_utforelse", "programvare") == 300 * KR
    assert figure(note3, "fra_under_utforelse", "under_utforelse") == -300 * KR
    assert figure(note3, "balansefort_verdi", "sum") == figure(bal, "sum_immaterielle_eiendeler", "ub")
    projects = s["note_3_prosjekter"]
    assert figure(projects, "prosjekt_bedre_bosetting", "aktivert") == 300 * KR
    assert figure(projects, "sum_pagaende_anlegg", "ub") == 0
    assert figure(s["note_8"], "skatter_og_avgifter") == 70 * KR
    assert figure(s["note_9"], "0671.60") == 1000 * KR  # with no schemes of its own, each grant post is one
    assert figure(s["note_9"], "sum_tilskudd") == figure(s["note_9"], "sum_tilskudd_til_andre")
    b = s["note_7b"]
    assert figure(b, "sum_total", "avregnet") == 950 * KR
    assert figure(b, "skyldig_skattetrekk", "forskjell") == 0


def test_same_figures_before_close_after_close_and_after_reopen(books):
    before = all_statements(books)
    first = year_end.close_year(books, 2024, REFERENCE)
    assert first.changed and first.posted_batches
    after = all_statements(books)
    year_end.reopen_year(books, 2024, "correction of a supplier invoice")
    reopened = all_statements(books)
    year_end.close_year(books, 2024, REFERENCE)
    again = all_statements(books)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
        pd.testing.assert_frame_equal(before[name], reopened[name], obj=name)
        pd.testing.assert_frame_equal(before[name], again[name], obj=name)


def test_second_close_changes_nothing(books):
    year_end.close_year(books, 2024, REFERENCE)
    counts = books.counts()
    result = year_end.close_year(books, 2024, REFERENCE)
    assert not result.changed and "already closed" in result.messages[0]
    assert books.counts() == counts


def test_closed_year_refuses_postings(books):
    year_end.close_year(books, 2024, REFERENCE)
    late = Voucher("LATE", dt.date(2024, 6, 1), [Line("6730", 100), Line("2400", -100)])
    with pytest.raises(PostingRefused) as refused:
        books.post(batch_from_vouchers([late], source="late"))
    assert refused.value.violations[0].rule == "year-closed"


def test_reopen_reverses_and_audits(books):
    year_end.close_year(books, 2024, REFERENCE)
    year_end.reopen_year(books, 2024, "late invoice")
    assert books.year_status(2024) == "open"
    closing = books.lines(2024).query("kind == 'closing'")
    assert not closing.empty and closing.groupby("account")["amount"].sum().eq(0).all()
    assert books.lines(2025)["amount"].groupby(books.lines(2025)["account"]).sum().eq(0).all()
    log = [(kind, year, detail.get("status"), detail.get("reason")) for _, kind, _, year, detail in books.events()]
    assert ("year", 2024, "open", "late invoice") in log
    assert books.audit().ok
    with pytest.raises(year_end.CloseError):
        year_end.reopen_year(books, 2024, "again")  # not closed
    with pytest.raises(year_end.CloseError):
        year_end.close_year(books, 2023, REFERENCE)  # no postings


def test_carry_forward_into_next_year(books):
    year_end.close_year(books, 2024, REFERENCE)
    nxt = books.trial_balance(2025).set_index("key")["amount"].to_dict()
    assert nxt["1990"] == -950 * KR
    assert nxt["1040"] == 1300 * KR and nxt["1049"] == -300 * KR and nxt["2600"] == -50 * KR
    assert not set(nxt) & {"1930", "1940", "1991", "1997", "1998", "1986", "1987"}
    opening = books.lines(2025)
    assert set(opening["kind"]) == {"opening"} and set(opening["date"]) == {"2025-01-01"}
    balance_2025 = SRS_STATEMENTS["balanse"](year_of(books, 2025))
    assert figure(balance_2025, "avregnet_med_statskassen", "ib") == 950 * KR


def test_cli_close_and_reopen(tmp_path):
    path = tmp_path / "books.sqlite"
    sb.create(path).close()
    run = CliRunner().invoke
    first = run(cli, ["--books", str(path), "close", "2024"])
    assert first.exit_code == 0 and "2024 closed" in first.output, first.output
    second = run(cli, ["--books", str(path), "close", "2024"])
    assert second.exit_code == 0 and "already closed" in second.output
    assert run(cli, ["--books", str(path), "reopen", "2024"]).exit_code == 2  # --reason is required
    reopened = run(cli, ["--books", str(path), "reopen", "2024", "--reason", "late invoice"])
    assert reopened.exit_code == 0 and "reopened" in reopened.output
    again = run(cli, ["--books", str(path), "reopen", "2024", "--reason", "x"])
    assert again.exit_code == 1 and "not closed" in again.output
    assert run(cli, ["--books", str(path), "close", "2030"]).exit_code == 1
    assert run(cli, ["--books", str(path), "close", "2024"]).exit_code == 0
    shown = run(cli, ["--books", str(path), "show", "note", "7a", "2024"])
    assert shown.exit_code == 0 and "Konsernkonto utbetaling" in shown.output
    balance = run(cli, ["--books", str(path), "balance", "2025"])
    assert balance.exit_code == 0 and "1990" in balance.output


def test_every_srs_statement_is_registered():
    names = set(STATEMENTS)
    assert set(SRS_STATEMENTS) <= names


def test_note_3_can_print_transfers_inside_additions(books):
    import attrs

    from ledger.statements import srs_assets

    data = year_of(books, 2024)
    folded = srs_assets.note_3(attrs.evolve(data, agency={"srs": {"transfers_in_additions": True}}))
    assert figure(folded, "tilgang", "programvare") == 300 * KR
    assert figure(folded, "tilgang", "under_utforelse") == -300 * KR
    assert figure(folded, "fra_under_utforelse", "sum") == 0
    plain = srs_assets.note_3(data)
    assert figure(plain, "balansefort_verdi", "sum") == figure(folded, "balansefort_verdi", "sum")
    assert plain.attrs["notes"]
