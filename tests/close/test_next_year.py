"""The second year closes from the first (IMDi 2024 → the illustrative 2025 of fixtures/2025).

From a clean checkout: ``init --example 2024 && close 2024 && inputs import 2025 fixtures/2025
&& import fixtures/2025/journal.csv && close 2025 --export xlsx``; every prior-year column of
2025 is the 2024 accounts' own figure, the 2025 balance opens with the 2024 closing balance,
and ``verify 2025`` (no published set) exits 0.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ledger.cli import cli
from ledger.reference.layout import year_column, years_back

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def run(books: Path, *args):
    result = CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])
    return result


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, imdi_2024_closed_template):
    folder = tmp_path_factory.mktemp("books")
    books = folder / "books.sqlite"
    shutil.copyfile(imdi_2024_closed_template, books)  # `ledger close 2024` done once per run
    for step in (("inputs", "import", 2025, FIXTURES / "2025"),
                 ("import", FIXTURES / "2025" / "journal.csv"),
                 ("close", 2025, "--export", "xlsx", "--out", folder / "arsregnskap-2025.xlsx")):
        result = run(books, *step)
        assert result.exit_code == 0, (step, result.output)
    tidy = {}
    for year in (2024, 2025):
        assert run(books, "export-annual", year, "--format", "csv", "--out", folder / f"{year}.csv").exit_code == 0
        tidy[year] = pd.read_csv(folder / f"{year}.csv")
    return books, folder, tidy


def test_every_prior_year_column_is_last_years_closed_figure(two_years):
    _, _, tidy = two_years
    last, this = tidy[2024], tidy[2025]
    years = last[last["column"].map(lambda c: years_back(c) is not None)]
    shifted = years.assign(column=[year_column(years_back(c) + 1) for c in years["column"]])
    merged = shifted.merge(this, on=["statement", "line_id", "column"], suffixes=("_2024", "_2025"))
    assert len(merged) > 60
    assert (merged["amount_ore_2024"] == merged["amount_ore_2025"]).all()


def test_the_balance_opens_with_last_years_closing_balance(two_years):
    _, _, tidy = two_years
    closing = tidy[2024].query("statement == 'balanse' and column == 'ub'").set_index("line_id")["amount_ore"]
    opening = tidy[2025].query("statement == 'balanse' and column == 'ib'").set_index("line_id")["amount_ore"]
    assert closing.equals(opening)


def test_carried_in_comes_from_the_inputs_and_stays_within_last_years_mulig(two_years):
    _, _, tidy = two_years
    carried = tidy[2025].query("statement == 'note_a' and column == 'overfort'").set_index("line_id")["amount_kr"]
    possible = tidy[2024].query("statement == 'note_b' and column == 'mulig'").set_index("line_id")["amount_kr"]
    assert carried["0670.01"] == possible["0670.01"] == 11_837_838
    assert (carried.reindex(possible.index) <= possible).all()


def test_the_two_year_cap_takes_last_years_appropriation_from_the_books(two_years):
    _, _, tidy = two_years
    maks = tidy[2025].query("statement == 'note_b' and column == 'maks'").set_index("line_id")["amount_kr"]
    # «kan overføres»: årets tildelinger 2025 + årets tildelinger 2024 (fixtures/2024/appropriations.csv)
    assert maks["0671.45"] == 40_000_000 + 48_940_000
    assert maks["0601.21"] == 27_000_000 + 26_900_000


def test_the_2025_workbook_is_labelled_2025(two_years):
    _, folder, _ = two_years
    workbook = load_workbook(folder / "arsregnskap-2025.xlsx")
    labels = [c.value for ws in workbook.worksheets for row in ws.iter_rows(max_row=5) for c in row
              if isinstance(c.value, str)]
    assert "31.12.2025" in labels and "31.12.2024" in labels and "01.01.2025" in labels
    assert not any("31.12.2023" in label or "01.01.2024" in label for label in labels)


def test_verify_without_a_published_set_checks_the_identities(two_years):
    books, _, _ = two_years
    result = run(books, "verify", 2025)
    assert result.exit_code == 0, result.output
    assert "0 FAIL" in result.output and "no published set" in result.output
    assert "overfort_innenfor_mulig" not in result.output  # all ok, so not listed


@pytest.mark.parametrize("setup, year, message", [
    ([], 2026, "2026 has no postings"),
    ([("inputs", "import", 2025, FIXTURES / "2025")], 2025, "no postings beyond its opening balance"),
])
def test_close_refuses_a_year_with_nothing_to_close(imdi_2024_closed, setup, year, message):
    books = imdi_2024_closed
    for step in setup:
        assert run(books, *step).exit_code == 0
    result = run(books, "close", year)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_close_refuses_a_year_whose_predecessor_is_open(imdi_2024):
    books = imdi_2024
    assert run(books, "inputs", "import", 2025, FIXTURES / "2025").exit_code == 0
    assert run(books, "import", FIXTURES / "2025" / "journal.csv").exit_code == 0
    result = run(books, "close", 2025)
    assert result.exit_code == 1 and "2024 is still open" in result.output


def test_close_refuses_a_year_without_inputs(tmp_path):
    books = tmp_path / "books.sqlite"
    assert run(books, "init").exit_code == 0
    assert run(books, "import", FIXTURES.parent / "examples" / "small-2024.csv").exit_code == 0
    result = run(books, "close", 2024)
    assert result.exit_code == 1 and "no budget.csv or appropriations.csv" in result.output


@pytest.mark.parametrize("args", [("show", "balanse", 2030), ("export-annual", 2030),
                                  ("explain", 2030, "balanse", "sum_eiendeler", "ub")])
def test_a_year_without_postings_or_inputs_says_what_is_missing(imdi_2024, args):
    result = run(imdi_2024, *args)
    assert result.exit_code == 1 and "2030 has no postings" in result.output and "budget.csv" in result.output
