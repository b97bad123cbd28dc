"""Hypothesis: random valid books always balance; one bad voucher changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.small import SMALL_BUDGET, SMALL_CHART, batch
from ledger.core.records import Line, Voucher
from ledger.books.store import Books, PostingRefused

EXPENSES = [("5000", "0670.01"), ("6730", "0670.01"), ("8700", "0671.60")]
amounts = st.integers(min_value=1, max_value=10**11)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))


@st.composite
def valid_voucher(draw, number: int) -> Voucher:
    """A voucher obeying every rule: paid expense, withheld tax, or an accrued invoice."""
    date = draw(dates)
    kind = draw(st.sampled_from(["paid", "withheld", "accrued"]))
    parts = draw(st.lists(amounts, min_size=1, max_size=4))
    total = sum(parts)
    if kind == "accrued":  # SRS only: no statskonto, no settlement account
        lines = [Line("6730", a) for a in parts] + [Line("2400", -total)]
    else:
        lines = [Line(acc, a, sk) for a, (acc, sk) in zip(parts, draw(
            st.lists(st.sampled_from(EXPENSES), min_size=len(parts), max_size=len(parts))))]
        withheld = draw(st.integers(0, total)) if kind == "withheld" else 0
        lines += [Line("1940", withheld - total)] + ([Line("2600", -withheld)] if withheld else [])
    return Voucher(f"V{number}", date, lines)


@st.composite
def valid_books(draw):
    count = draw(st.integers(1, 25))
    return [draw(valid_voucher(i)) for i in range(count)]


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(vouchers=valid_books())
def test_random_valid_vouchers_post_and_the_trial_balance_totals_zero(tmp_path_factory, vouchers):
    path = tmp_path_factory.mktemp("h") / "b.sqlite"
    with Books.create(path, SMALL_CHART, SMALL_BUDGET) as books:
        posted = books.post(batch(*vouchers))
        assert posted.debit == posted.credit
        for by in ("account", "statskonto", "artskonto"):
            assert books.trial_balance(2024, by=by)["amount"].sum() == 0
        # The settlement identity summed over the year.
        tb = books.trial_balance(2024).set_index("key")["amount"]
        reported = books.trial_balance(2024, by="statskonto").set_index("key")["amount"].drop("", errors="ignore")
        assert reported.sum() + tb.get("1940", 0) + tb.get("2600", 0) == 0
        assert books.audit().ok


@SETTINGS
@given(vouchers=valid_books(), bad_at=st.integers(0, 24), off_by=st.integers(-10**6, 10**6).filter(bool))
def test_one_unbalanced_voucher_leaves_the_books_unchanged(tmp_path_factory, vouchers, bad_at, off_by):
    path = tmp_path_factory.mktemp("h") / "b.sqlite"
    with Books.create(path, SMALL_CHART, SMALL_BUDGET) as books:
        books.post(batch(Voucher("SEED", dt.date(2024, 1, 1), [Line("6730", 1), Line("2400", -1)]),
                         source="seed"))
        before = (books.counts(), books.head_hash(), books.trial_balance(2024).to_dict())
        target = vouchers[bad_at % len(vouchers)]
        first = target.lines[0]
        broken = Voucher(target.id, target.date,
                         [Line(first.account, first.amount + off_by, first.statskonto), *target.lines[1:]])
        vouchers[bad_at % len(vouchers)] = broken
        with pytest.raises(PostingRefused) as refused:
            books.post(batch(*vouchers, source="bad"))
        assert any(v.rule == "voucher-balance" and v.voucher == target.id for v in refused.value.violations)
        assert (books.counts(), books.head_hash(), books.trial_balance(2024).to_dict()) == before
