"""Fixtures shared by every layer's tests."""

from __future__ import annotations

import pytest

from ledger.books.store import Books
from tests.support.small import SMALL_BUDGET, SMALL_CHART


@pytest.fixture
def books(tmp_path):
    """Empty books with the small chart and budget."""
    with Books.create(tmp_path / "books.sqlite", SMALL_CHART, SMALL_BUDGET) as b:
        yield b
