"""The batch totals and the compacted lines the statements read (issue #8's speed work).

- ``totals`` holds each batch's lines summed per (year, account, statskonto,
  artskonto, dims); posting writes it in the same transaction, ``audit`` checks it.
- :meth:`Books.compact_lines` keeps the vouchers touching the ``whole_vouchers.csv``
  ranges line by line and sums the rest; every sum by those keys equals the sum
  over the lines, and every statement of the 2024 books is the same either way.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.legacy import legacy_books
from tests.support.tamper import tamper
from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch, voucher
from ledger.books.schema import SCHEMA_VERSION
from ledger.cli import cli
from ledger.journal.batch import batch_from_vouchers
from ledger.core.records import Line, Voucher
from ledger.books.store import Books
from tests.support.books import REFERENCE, year_of
from ledger.statements.registry import STATEMENTS

KEYS = ["account", "statskonto", "artskonto", "dims"]
ACCOUNTS = [code for code, *_ in SMALL_CHART]


def sums(frame: pd.DataFrame, keys: list[str]) -> dict:
    """Sum of amounts per key (missing keys as ''), without zero sums."""
    keyed = frame.assign(**{k: frame[k].fillna("").astype(str) for k in keys})
    found = keyed.groupby(keys)["amount"].sum()
    return {k: int(v) for k, v in found.items() if v}


def test_hand_computed_compaction(books):
    """Two vouchers on 8480 (collection) stay whole; the three salary vouchers become one row."""
    books.post(batch(
        voucher("L1", ("5000", 100_00, "0670.01"), ("1940", -100_00)),
        voucher("L2", ("5000", 250_00, "0670.01"), ("1940", -250_00)),
        voucher("L3", ("5000", 50_00, "0670.01"), ("1940", -50_00)),
        voucher("I1", ("1930", 70_00), ("8480", -70_00, "5309.29")),
        voucher("I2", ("1930", 30_00), ("8480", -30_00, "5309.29")),
    ))
    compact = books.compact_lines(2024, [("8480", "8480")])
    whole = compact[compact["voucher"] != ""]
    assert sorted(whole["voucher"]) == ["I1", "I1", "I2", "I2"]
    summed = compact[compact["voucher"] == ""].set_index("account")
    assert summed.loc["5000", "amount"] == 400_00 and summed.loc["5000", "line_count"] == 3
    assert summed.loc["1940", "amount"] == -400_00 and summed.loc["1940", "line_count"] == 3
    assert len(compact) == 6 and compact["line_count"].sum() == 10
    # with no ranges everything is summed; the trial balance reads the totals
    assert len(books.compact_lines(2024)) == 4  # 5000, 1940, 1930, 8480
    tb = books.trial_balance(2024).set_index("key")["amount"]
    assert tb["5000"] == 400_00 and tb["8480"] == -100_00 and tb.sum() == 0


line_st = st.tuples(st.sampled_from(["2400", "5000", "5400", "6730", "8700"]), st.integers(-10**7, 10**7).filter(bool),
                    st.sampled_from([None, "0670.01", "0671.60"]), st.sampled_from([None, "500", "673"]),
                    st.sampled_from([{}, {"kommune": "0301"}, {"kommune": "1103", "project": "p1"}]))


@st.composite
def vouchers_st(draw):
    found = []
    for n in range(draw(st.integers(1, 12))):
        lines = draw(st.lists(line_st, min_size=1, max_size=4))
        posted = [Line(a, v, s, art, dimensions=d) for a, v, s, art, d in lines]
        # balance it, and settle the statskonto-coded part through KK (settlement identity)
        coded = sum(v for _, v, s, *_ in lines if s)
        rest = sum(v for _, v, *_ in lines) - coded
        posted += [Line(a, -v) for a, v in (("1940", coded), ("2400", rest)) if v]
        found.append(Voucher(f"V{n}", dt.date(2024, 1 + n % 12, 1), posted))
    return found


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vouchers=vouchers_st(), ranges=st.lists(st.sampled_from(
    [("8700", "8700"), ("1000", "2999"), ("5000", "6999"), ("2400", "2400")]), max_size=2))
def test_compaction_keeps_every_sum(tmp_path_factory, vouchers, ranges):
    """Sums by any of the keys, line counts, and the whole vouchers equal the lines'."""
    path = tmp_path_factory.mktemp("c") / "b.sqlite"
    with Books.create(path, SMALL_CHART, SMALL_BUDGET) as books:
        books.post(batch_from_vouchers(vouchers, source="x"))
        full, compact = books.lines(2024), books.compact_lines(2024, ranges)
        assert books.audit().ok
    for keys in (["account"], ["statskonto"], ["artskonto"], ["dims"], KEYS):
        assert sums(compact, keys) == sums(full, keys)
    assert compact["line_count"].sum() == len(full)
    touching = full[full["account"].map(lambda a: any(lo <= a <= hi for lo, hi in ranges))]["voucher"]
    kept = full[full["voucher"].isin(touching)]
    assert sorted(compact.loc[compact["voucher"] != "", "id"]) == sorted(kept["id"])


def test_audit_checks_the_totals(books):
    """A total changed behind the store's back fails the audit (the cheap check or the deep one)."""
    books.post(batch(voucher("A", ("5000", 10_00), ("2400", -10_00)),
                     voucher("B", ("5400", 5_00), ("2400", -5_00))))
    db = books._db
    tamper(db, "UPDATE totals SET amount = amount + 100 WHERE account = '5000'",
           "UPDATE totals SET amount = amount - 100 WHERE account = '5400'")
    assert books.audit(deep=False).ok  # the batch's net and line count still add up
    result = books.audit()
    assert not result.ok and "totals" in result.problem
    tamper(db, "UPDATE totals SET line_count = line_count + 1 WHERE account = '5000'")
    assert not books.audit(deep=False).ok


def test_totals_are_append_only(books):
    books.post(batch(voucher("A", ("5000", 10_00), ("2400", -10_00))))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        books._db.execute("DELETE FROM totals")


def test_version_1_books_get_their_totals(tmp_path):
    """Books of schema 1 (no totals) are migrated: the totals are built from the lines."""
    posted = batch(voucher("A", ("5000", 10_00, "0670.01"), ("1940", -10_00)),
                   voucher("B", ("5000", 7_00, "0670.01"), ("1940", -7_00)))
    with Books.create(tmp_path / "new.sqlite", SMALL_CHART, SMALL_BUDGET) as books:
        books.post(posted)
        expected = books.trial_balance(2024, by="statskonto")
    path = legacy_books(tmp_path / "old.sqlite", 1, SMALL_CHART, SMALL_BUDGET, [posted])
    with Books.open(path) as books:
        assert books._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        pd.testing.assert_frame_equal(books.trial_balance(2024, by="statskonto"), expected)
        assert books.audit().ok
        assert len(books.lines(2024, kinds=["journal"])) == 4


@pytest.fixture(scope="module")
def example_books(imdi_2024_template):
    return imdi_2024_template  # read only


def test_every_2024_statement_is_the_same_from_compacted_lines(example_books):
    """The statements read vouchers only on the whole_vouchers.csv accounts."""
    with Books.open(example_books) as books:
        full, compact = year_of(books, 2024, every_line=True), year_of(books, 2024)
    assert len(compact.lines) < len(full.lines)
    summed = compact.lines.loc[compact.lines["voucher"] == "", "account"]
    ranges = REFERENCE.whole_vouchers
    assert not any(lo <= a <= hi for a in summed for lo, hi in ranges)
    for name, statement in STATEMENTS.items():
        expected, got = statement(full), statement(compact)
        pd.testing.assert_frame_equal(got, expected, obj=name)
        assert got.attrs == expected.attrs, name


def test_audit_finds_a_line_slipped_in_behind_the_store(books):
    """A line inserted outside the posting API lies outside every batch's id range."""
    books.post(batch(voucher("A", ("5000", 10_00), ("2400", -10_00))))
    tamper(books._db, "INSERT INTO lines (batch_id, voucher, date, year, account, amount, statskonto,"
                      " artskonto, text, dims, src_line) VALUES (1, 'A', '2024-03-01', 2024, '5000', 1, NULL,"
                      " NULL, '', '{}', 99)")
    result = books.audit()
    assert not result.ok and "the books hold 3 of its lines, it posted 2" in result.problem
