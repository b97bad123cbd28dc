"""The artskonto rule: three digits, or the line's own four-digit SKP sub-account (1985-1999)."""

from __future__ import annotations

import pytest

from ledger.books.store import PostingRefused
from tests.support.small import batch, voucher


def post_with_artskonto(books, account: str, artskonto: str):
    """Post a balanced voucher whose first line, on ``account``, carries ``artskonto``."""
    b = batch(voucher("A1", (account, 100), ("2400", -100)))
    b.lines.loc[0, "artskonto"] = artskonto
    return books.post(b)


@pytest.mark.parametrize("account, artskonto", [
    ("1986", "1986"), ("1987", "1987"),  # the line's own four-digit code
    ("1986", "540"), ("2400", "673"),    # any three digits, as before
])
def test_accepted(books, account, artskonto):
    assert post_with_artskonto(books, account, artskonto).line_count == 2


@pytest.mark.parametrize("account, artskonto, named", [
    ("5000", "1986", "this line's account is 5000"),  # another account's code
    ("1987", "1986", "this line's account is 1987"),  # a sub-account, but not this one
    ("6730", "6730", "this line's account is 6730"),  # four digits outside 1985-1999
    ("1986", "19860", None), ("1986", "98", None),
])
def test_refused(books, account, artskonto, named):
    with pytest.raises(PostingRefused) as refused:
        post_with_artskonto(books, account, artskonto)
    [violation] = refused.value.violations
    assert violation.rule == "artskonto-format" and f"artskonto {artskonto!r}" in violation.message
    assert named is None or named in violation.message
