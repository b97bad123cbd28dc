"""An agency with no folder of its own: `init`, its year inputs, its books, close and export.

Issue #14's "done when".  The year folder ``tests/data/plain_agency_2024`` is a fictional
agency (chapters 1450/4450); every figure below is worked by hand from its 8 vouchers:

- 1450.01 Driftsutgifter: samlet tildeling 1 000 000 + 20 000 000 = 21 000 000; regnskap
  P1 100 000 + L1 12 000 000 + A1 1 692 000 + F1 1 000 000 + 4 208 000 = 19 000 000;
  mindreutgift 2 000 000; merinntekt on 4450.02 (its merinntektsfullmakt) 1 300 000 −
  1 000 000 = 300 000; grunnlag 2 300 000; maks (20 000 000 − 400 000) × 5 % + 400 000 =
  1 380 000; mulig 1 380 000.
- 1450.21 «kan overføres»: 2 000 000 − F2 1 000 000 = 1 000 000; maks the last two years'
  appropriation 2 000 000 + 1 500 000 = 3 500 000; mulig 1 000 000.
- 1450.45 «kan overføres»: 500 000 + 3 000 000 − F3 2 000 000 = 1 500 000; maks
  3 000 000 + 2 000 000 = 5 000 000; mulig 1 500 000.
- Resultat: salgs- og leieinntekter 1 300 000 (I1 on 3000); inntekt fra bevilgninger =
  costs 21 900 000 − 1 300 000 = 20 600 000.
- The rent in F1 carries no lease term: note 5 husleie shows it as not specified, with a warning.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledger.cli import cli

YEAR = Path(__file__).resolve().parents[1] / "data" / "plain_agency_2024"


def run(books: Path, *args: str):
    result = CliRunner().invoke(cli, ["--books", str(books), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain")
    books, workbook = folder / "books.ledger", folder / "arsregnskap.xlsx"
    run(books, "init")
    run(books, "inputs", "import", "2024", str(YEAR))
    run(books, "import", "--opening", str(YEAR / "opening.csv"))
    run(books, "import", str(YEAR / "journal.csv"))
    run(books, "close", "2024", "--export", "xlsx", "--out", str(workbook))
    return books, openpyxl.load_workbook(workbook)


def figures(books: Path, statement: str) -> dict[tuple[str, str], int]:
    out = run(books, "show", statement, "2024", "--format", "csv").output
    return {(r["line_id"], r["column"]): int(r["amount_kr"]) for r in csv.DictReader(io.StringIO(out))}


def test_note_b_applies_the_five_percent_rule_with_the_income_authorisation_and_the_two_year_rule(closed):
    books, _ = closed
    note_b = figures(books, "note_b")
    assert {c: note_b[("1450.01", c)] for c in ("avvik", "merinntekter", "grunnlag", "lonnskompensasjon",
                                                  "maks", "mulig")} == {
        "avvik": 2_000_000, "merinntekter": 300_000, "grunnlag": 2_300_000, "lonnskompensasjon": 400_000,
        "maks": 1_380_000, "mulig": 1_380_000}
    assert (note_b[("1450.21", "maks")], note_b[("1450.21", "mulig")]) == (3_500_000, 1_000_000)
    assert (note_b[("1450.45", "maks")], note_b[("1450.45", "mulig")]) == (5_000_000, 1_500_000)


def test_the_standard_income_lines_carry_the_agencys_own_income(closed):
    books, _ = closed
    resultat = figures(books, "resultat")
    assert resultat[("salgs_og_leieinntekter", "aar")] == 1_300_000
    assert resultat[("inntekt_fra_bevilgninger", "aar")] == 20_600_000
    assert resultat[("sum_driftsinntekter", "aar")] == 21_900_000


def test_the_workbook_has_the_agencys_name_and_posts_and_nothing_of_imdis(closed):
    _, workbook = closed
    text = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
            if cell.value is not None]
    assert any("Direktoratet for eksempeldrift" in t for t in text)
    assert any("1450" in t for t in text)
    assert not [t for t in text if "IMDi" in t or "Integrerings" in t or "0670" in t or "0671" in t]


def test_the_front_page_shows_that_the_close_locked_every_month(closed):
    _, workbook = closed
    cover = [str(c.value) for row in workbook["Forside"].iter_rows() for c in row if c.value is not None]
    assert "Avsluttet" in cover and "Månedslåser (rapportert til statsregnskapet)" in cover
    assert any(t.endswith("låst 2024-12 (låst t.o.m. 2024-12) – ledger close 2024") for t in cover)


def test_verify_checks_the_identities_and_lists_the_warning(closed):
    books, _ = closed
    out = run(books, "verify", "2024").output
    assert "0 FAIL" in out and "no published set" in out
    assert "warnings: 1" in out and "lease-term-unknown" in out
