"""Fixtures shared by every layer's tests."""

from __future__ import annotations

import pytest

from ledger.books.store import Books
from tests.support.examples import init_example
from tests.support.small import SMALL_BUDGET, SMALL_CHART


@pytest.fixture
def books(tmp_path):
    """Empty books with the small chart and budget."""
    with Books.create(tmp_path / "books.sqlite", SMALL_CHART, SMALL_BUDGET) as b:
        yield b


@pytest.fixture(scope="session")
def imdi_2024_template(tmp_path_factory):
    """Books made once per test run with ``ledger init --example 2024`` (copy them before changing them)."""
    return init_example(tmp_path_factory, "2024")


@pytest.fixture(scope="session")
def imdi_2024_closed_template(imdi_2024_template, tmp_path_factory):
    """IMDi's 2024 example books closed once per test run (copy them before changing them)."""
    import shutil

    from click.testing import CliRunner

    from ledger.cli import cli

    path = tmp_path_factory.mktemp("imdi-closed") / "imdi-2024-closed.sqlite"
    shutil.copyfile(imdi_2024_template, path)
    result = CliRunner().invoke(cli, ["--books", str(path), "close", "2024"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def imdi_2024_closed(imdi_2024_closed_template, tmp_path):
    """A fresh copy of IMDi's 2024 example books, closed."""
    import shutil

    target = tmp_path / "books.sqlite"
    shutil.copyfile(imdi_2024_closed_template, target)
    return target


@pytest.fixture
def imdi_2024(imdi_2024_template, tmp_path):
    """A fresh copy of IMDi's 2024 example books (open, not closed)."""
    import shutil

    target = tmp_path / "books.sqlite"
    shutil.copyfile(imdi_2024_template, target)
    return target
