"""A journal file posted in chunks (#16): the same books and the same violations as posted whole.

``ledger import`` streams a file in chunks of :data:`ledger.journal.reader.JOURNAL_CHUNK_LINES`
lines.  Here the chunks are a few lines each, so every rule meets a voucher across a chunk
boundary: typed journals with the violations expected by hand, and hypothesis over random
journals (chunked against whole).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.books.store import Books, PostingRefused
from ledger.journal import reader
from ledger.journal.posting_rules import check_batch
from tests.reliability.conftest import run, state
from tests.support.small import SMALL_BUDGET, SMALL_CHART

HEADER = "date,voucher,account,amount,statskonto,artskonto,text\n"
# Four vouchers over nine lines: V2's three lines cross the boundaries of chunks of 2 and 4.
JOURNAL = HEADER + (
    "2024-03-01,V1,5000,100.00,0670.01,,lønn\n"
    "2024-03-01,V1,1940,-100.00,,,lønn\n"
    "2024-03-02,V2,5000,250.00,0670.01,,lønn\n"
    "2024-03-02,V2,1940,-200.00,,,lønn\n"
    "2024-03-02,V2,2600,-50.00,,,trekk\n"
    "2024-03-03,V3,6730,40.00,0670.01,,konsulent\n"
    "2024-03-03,V3,1940,-40.00,,,konsulent\n"
    "2024-03-04,V4,8700,10.00,0671.60,,tilskudd\n"
    "2024-03-04,V4,1940,-10.00,,,tilskudd\n")


def _books(path: Path) -> Path:
    Books.create(path, SMALL_CHART, SMALL_BUDGET).close()
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _post(books_path: Path, journal: Path, chunk_lines: int):
    """Post ``journal`` streamed in chunks of ``chunk_lines``: what was posted, or the violations."""
    stream = reader.open_journal(journal)
    with Books.open(books_path) as books:
        try:
            return books.post_chunks(stream.source, stream.sha256, stream.kind, stream.chunks(chunk_lines))
        except PostingRefused as exc:
            return [(v.rule, v.source.line, v.voucher) for v in exc.violations]


def _stored(path: Path) -> dict:
    """What the books hold of their batches, beyond times and hashes that name them."""
    db = sqlite3.connect(path)
    try:
        return {
            "batches": db.execute("SELECT line_count, debit, credit, checksum FROM batches").fetchall(),
            "digests": db.execute("SELECT digest, json_extract(detail, '$.vouchers'),"
                                  " json_extract(detail, '$.first_line'), json_extract(detail, '$.last_line')"
                                  " FROM events WHERE kind = 'batch'").fetchall(),
            "totals": db.execute("SELECT year, account, statskonto, artskonto, dims, amount, line_count"
                                 " FROM totals ORDER BY rowid").fetchall(),
        }
    finally:
        db.close()


@pytest.mark.parametrize("chunk_lines", [1, 2, 4, 8, 9, 100])
def test_a_file_in_chunks_posts_as_the_whole_file(tmp_path, chunk_lines):
    journal = _write(tmp_path / "j.csv", JOURNAL)
    whole, chunked = _books(tmp_path / "whole.sqlite"), _books(tmp_path / "chunked.sqlite")
    posted = _post(whole, journal, 1000)
    again = _post(chunked, journal, chunk_lines)
    assert (again.line_count, again.voucher_count, again.debit, again.credit) == (9, 4, 40000, 40000)
    assert (posted.line_count, posted.voucher_count) == (9, 4)
    assert _stored(chunked) == _stored(whole)
    db = sqlite3.connect(chunked)
    assert db.execute("SELECT count(*) FROM segments").fetchone()[0] == -(-9 // chunk_lines)
    db.close()
    with Books.open(chunked) as books:
        assert books.audit().ok
        assert dict(books.trial_balance_rows(2024)) == {"1940": -35000, "2600": -5000, "5000": 35000,
                                                         "6730": 4000, "8700": 1000}


# Each case: the journal's lines after the header, and the violations (rule, line, voucher)
# worked out by hand.  Chunks of 2 lines: lines 2-3, 4-5, 6-7, 8-9, 10-11.
CASES = {
    "a voucher across a boundary that does not balance": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V1,1940,-100.00,,,x\n"
        "2024-03-02,V2,5000,250.00,0670.01,,x\n"
        "2024-03-02,V2,1940,-200.00,,,x\n"
        "2024-03-02,V2,2600,-40.00,,,x\n",
        [("voucher-balance", 4, "V2")]),
    "a voucher across a boundary with two dates": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V1,1940,-50.00,,,x\n"
        "2024-03-02,V1,1940,-50.00,,,x\n",
        [("voucher-date", 2, "V1")]),
    "a voucher's lines far apart, balancing together": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V2,6730,40.00,0670.01,,x\n"
        "2024-03-01,V2,1940,-40.00,,,x\n"
        "2024-03-01,V3,8700,10.00,0671.60,,x\n"
        "2024-03-01,V3,1940,-10.00,,,x\n"
        "2024-03-01,V1,1940,-100.00,,,x\n",
        []),
    "a one-line voucher at the end of a chunk": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V1,1940,-100.00,,,x\n"
        "2024-03-01,V2,6730,0.00,,,x\n",
        [("voucher-lines", 4, "V2")]),
    "the settlement identity over a voucher in two chunks": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V1,2400,-100.00,,,x\n",
        [("settlement-identity", 2, "V1")]),
    "line rules in every chunk": (
        "2024-03-01,V1,5000,100.00,0670.01,,x\n"
        "2024-03-01,V1,1940,-100.00,,,x\n"
        "2024-03-01,V2,9999,5.00,0670.01,,x\n"
        "2024-03-01,V2,1940,-5.00,,,x\n"
        "2024-03-01,V3,6730,5.00,0999.01,,x\n"
        "2024-03-01,V3,1940,-5.00,,,x\n",
        [("account-unknown", 4, "V2"), ("statskonto-unknown", 6, "V3")]),
    "an unreadable line leaves its voucher's other chunks out of the rules": (
        "2024-03-01,V1,5000,1O0.00,0670.01,,x\n"
        "2024-03-01,V2,5000,5.00,0670.01,,x\n"
        "2024-03-01,V2,1940,-5.00,,,x\n"
        "2024-03-01,V1,1940,-100.00,,,x\n"
        "2024-03-01,V1,9999,-100.00,,,x\n",
        [("amount", 2, "V1")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("chunk_lines", [2, 1000])
def test_violations_across_chunks_are_those_worked_by_hand(tmp_path, case, chunk_lines):
    lines, expected = CASES[case]
    books = _books(tmp_path / "b.sqlite")
    before = _stored(books)
    found = _post(books, _write(tmp_path / "j.csv", HEADER + lines), chunk_lines)
    if not expected:
        assert found.voucher_count == len({line.split(",")[1] for line in lines.splitlines()})
        return
    assert found == expected
    assert _stored(books) == before   # refused: nothing of it kept, though chunks were written


def test_a_voucher_already_in_the_books_is_named_at_its_first_line(tmp_path):
    books = _books(tmp_path / "b.sqlite")
    assert not isinstance(_post(books, _write(tmp_path / "a.csv", JOURNAL), 2), list)
    second = HEADER + ("2024-04-01,W1,5000,1.00,0670.01,,x\n2024-04-01,W1,1940,-1.00,,,x\n"
                       "2024-04-01,V3,6730,1.00,0670.01,,x\n2024-04-01,V3,1940,-1.00,,,x\n")
    assert _post(books, _write(tmp_path / "b.csv", second), 3) == [("voucher-duplicate", 4, "V3")]


def test_the_command_streams_and_a_refused_later_chunk_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "JOURNAL_CHUNK_LINES", 2)
    books = _books(tmp_path / "b.sqlite")
    before = state(books)
    bad = JOURNAL.replace("2024-03-04,V4,1940,-10.00", "2024-03-04,V4,1940,-11.00")
    result = run(books, "import", _write(tmp_path / "bad.csv", bad))
    assert result.exit_code == 1 and "bad.csv:9: voucher V4 [voucher-balance]" in result.output
    assert state(books) == before
    good = run(books, "import", _write(tmp_path / "good.csv", JOURNAL))
    assert good.exit_code == 0 and "4 vouchers, 9 lines" in good.output
    db = sqlite3.connect(books)
    assert db.execute("SELECT count(*) FROM segments").fetchone()[0] == 5   # streamed: a segment a chunk
    db.close()


def test_a_row_arrow_refuses_in_a_later_chunk_is_read_by_the_general_reader(tmp_path, monkeypatch):
    """Arrow stops at a row with too many fields after chunks were written: those are dropped
    and the file is read whole, whose reader names the line."""
    monkeypatch.setattr(reader, "JOURNAL_CHUNK_LINES", 2)
    books = _books(tmp_path / "b.sqlite")
    before = state(books)
    lines = JOURNAL.splitlines(keepends=True)
    lines[8] = lines[8].rstrip("\n") + ",extra\n"
    result = run(books, "import", _write(tmp_path / "wide.csv", "".join(lines)))
    assert result.exit_code == 1 and "wide.csv" in result.output and "[csv]" in result.output
    assert state(books) == before


def test_blank_lines_are_found_at_the_end_and_the_file_read_whole(tmp_path, monkeypatch):
    """A blank line shifts the rows off the lines a stream numbers: the general reader
    counts physical lines, so a violation names the true line."""
    monkeypatch.setattr(reader, "JOURNAL_CHUNK_LINES", 2)
    books = _books(tmp_path / "b.sqlite")
    text = JOURNAL.replace("2024-03-03,V3,6730,40.00", "\n2024-03-03,V3,6730,41.00")
    result = run(books, "import", _write(tmp_path / "blank.csv", text))
    assert result.exit_code == 1 and "blank.csv:8: voucher V3 [voucher-balance]" in result.output


# -- hypothesis: any journal, any chunk size: the violations of the whole ----------------------

ACCOUNTS = ["5000", "6730", "8700", "1940", "2600", "2400", "9999"]
STATSKONTOER = ["", "", "0670.01", "0671.60", "0999.01"]


@st.composite
def journals(draw):
    """Journal text of up to 30 lines over up to 8 vouchers, their lines in any order: mostly
    well-formed, with unbalanced vouchers, odd dates, unknown codes and an unreadable amount."""
    rows = []
    for _ in range(draw(st.integers(1, 30))):
        voucher = draw(st.sampled_from([f"V{i}" for i in range(8)]))
        day = draw(st.sampled_from(["2024-03-01", "2024-03-01", "2024-03-02"]))
        amount = draw(st.sampled_from(["100.00", "-100.00", "50.00", "-50.00", "0.01", "1O.00"]))
        rows.append(f"{day},{voucher},{draw(st.sampled_from(ACCOUNTS))},{amount},"
                    f"{draw(st.sampled_from(STATSKONTOER))},,x\n")
    return HEADER + "".join(rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=journals(), chunk_lines=st.integers(1, 12))
def test_any_journal_in_any_chunks_has_the_violations_of_the_whole(tmp_path_factory, text, chunk_lines):
    folder = tmp_path_factory.mktemp("s")
    journal = _write(folder / "j.csv", text)
    books = _books(folder / "b.sqlite")
    batch, format_violations = reader.read_journal(journal)
    with Books.open(books) as held:
        readable = batch.lines[~batch.lines["voucher"].isin({v.voucher for v in format_violations})]
        whole = format_violations + check_batch(attrs.evolve(batch, lines=readable.reset_index(drop=True)),
                                                held.context_for(batch))
    expected = sorted((v.rule, v.source.line, v.voucher) for v in whole)
    found = _post(books, journal, chunk_lines)
    if isinstance(found, list):
        assert sorted(found) == expected
    else:
        assert expected == [] and found.line_count == len(batch.lines)
        assert found.voucher_count == batch.lines["voucher"].nunique()
