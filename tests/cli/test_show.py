"""``ledger show``: the statements of the small hand-computed ledger as a person reads them.

The figures behind these snapshots are asserted one by one in tests/close/test_close_books.py;
the snapshots hold the printed form (labels, order, column headings, whole kroner).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ledger.cli import cli
from tests.support import srs_books as sb


@pytest.fixture(scope="module")
def books_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("books") / "books.sqlite"
    sb.create(path).close()
    return path


@pytest.mark.parametrize("words", [["resultat"], ["balanse"], ["note", "7a"], ["note", "3"], ["mellomvaerende"]])
def test_show_prints_the_statement(books_path, words, snapshot):
    result = CliRunner().invoke(cli, ["--books", str(books_path), "show", *words, "2024"])
    assert result.exit_code == 0, result.output
    assert result.output == snapshot


def test_show_names_a_missing_input_without_a_traceback(books_path):
    result = CliRunner().invoke(cli, ["--books", str(books_path), "show", "bevilgning", "2023"])
    assert result.exit_code == 1 and "Traceback" not in result.output
