"""``ledger inputs import YEAR DIR``: a year folder checked whole, kept as a revision; the latest stands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.books.store import Books
from ledger.cli import cli

IMDI_2024 = Path(__file__).resolve().parents[2] / "fixtures" / "2024"


def run(books: Path, *args: str):
    return CliRunner().invoke(cli, ["--books", str(books), *map(str, args)])


@pytest.fixture
def books(tmp_path) -> Path:
    """Books of IMDi's agency folder (its comparatives name its own statements, e.g. table 4.3)."""
    path = tmp_path / "books.sqlite"
    assert run(path, "init", "--agency", IMDI_2024.parent / "imdi").exit_code == 0
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "inputs"
    target.mkdir()
    for name in ("budget.csv", "appropriations.csv", "agency.toml", "comparatives.csv"):
        shutil.copyfile(IMDI_2024 / name, target / name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_year_folder_is_kept_as_one_revision(books, folder):
    result = run(books, "inputs", "import", 2024, folder)
    assert result.exit_code == 0, result.output
    assert "revision" in result.output and "budget.csv" in result.output
    shown = run(books, "inputs", "show", 2024)
    assert shown.exit_code == 0 and shown.output.count("revision") == 1 and "(stands)" in shown.output
    with Books.open(books) as b:
        assert b.document(2024, "budget.csv") == (folder / "budget.csv").read_bytes()
        assert "0671.60" in b.statskontoer()[2024]


def test_the_latest_revision_stands_and_earlier_ones_stay(books, folder):
    assert run(books, "inputs", "import", 2024, folder).exit_code == 0
    (folder / "comparatives.csv").unlink()
    edit(folder / "agency.toml", "employees = 282", "employees = 283")
    assert run(books, "inputs", "import", 2024, folder).exit_code == 0
    with Books.open(books) as b:
        revisions = b.input_revisions(2024)
        assert len(revisions) == 2 and "comparatives.csv" not in revisions[-1].documents
        assert b.document(2024, "comparatives.csv") is None  # not in the revision that stands
        assert b"employees = 283" in b.document(2024, "agency.toml")


@pytest.mark.parametrize("name, old, new, expected", [
    ("appropriations.csv", "0670.01,17002000,", "0670.1,17002000,", r"appropriations\.csv:3: \[statskonto-format\]"),
    ("appropriations.csv", "0670.01,17002000,", "0670.01,17002000.5,", r"appropriations\.csv:3: \[amount-integer\]"),
    ("appropriations.csv", "0670.01,17002000,", "0999.01,17002000,", r"appropriations\.csv:3: \[statskonto-not-in-budget\]"),
    ("appropriations.csv", "statskonto,overfort_fra_i_fjor,", "statskonto,overfort,", r"appropriations\.csv:1: \[header\]"),
    ("budget.csv", "0670.01,", "0670.45,", r"budget\.csv:3: \[post-group\]"),
    ("agency.toml", "employees = 282", "employes = 282", r"agency\.toml: \[agency-key\] unknown key 'employes'; did you mean 'employees'"),
    ("comparatives.csv", "artskonto,utbetalinger_lonn,aar,", "artskonto,no_such_line,aar,", r"comparatives\.csv:3: \[line-unknown\]"),
])
def test_a_bad_file_is_refused_naming_file_line_and_rule(books, folder, name, old, new, expected):
    edit(folder / name, old, new)
    result = run(books, "inputs", "import", 2024, folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(expected, result.output), result.output
    with Books.open(books) as b:
        assert b.input_revisions(2024) == [] and b.document(2024, "budget.csv") is None


def test_every_problem_is_reported_at_once(books, folder):
    edit(folder / "appropriations.csv", "0670.01,17002000,", "0670.01,x,")
    edit(folder / "budget.csv", "0670.01,", "0670.45,")
    (folder / "agency.toml").unlink()
    result = run(books, "inputs", "import", 2024, folder)
    assert result.exit_code == 1
    for rule in ("[amount-integer]", "[post-group]", "[missing-file]"):
        assert rule in result.output, result.output


def test_a_closed_year_refuses_new_inputs(imdi_2024_closed):
    path = imdi_2024_closed
    result = run(path, "inputs", "import", 2024, IMDI_2024)
    assert result.exit_code == 1 and "2024 is closed" in result.output


def test_show_without_inputs_says_what_is_missing(books):
    result = run(books, "inputs", "show", 2031)
    assert result.exit_code == 1 and "no inputs" in result.output


def test_the_years_own_texts_are_kept_and_checked(books, folder):
    shutil.copyfile(IMDI_2024 / "footnotes.csv", folder / "footnotes.csv")
    assert run(books, "inputs", "import", 2024, folder).exit_code == 0
    with Books.open(books) as b:
        assert b.document(2024, "footnotes.csv") == (folder / "footnotes.csv").read_bytes()
    lines = (folder / "footnotes.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("note_b,", "note_q,", 1) if lines[2].startswith("note_b") else "note_q" + lines[2][
        lines[2].index(","):]
    assert lines[0] == "statement,anchor,column,marker,placement,text,source"
    lines.append('note_2,no_such_line,,*,,"* {belop:note_2}",IMDi')
    lines.append("note_2,,,,,,")
    lines.append("note_2,,aar-5,*,,,IMDi")  # a marker on a column the note lacks
    lines.append("note_2,lonn,,¹,table:note_99,,IMDi")  # a table that is no statement
    (folder / "footnotes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = run(books, "inputs", "import", 2024, folder)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "footnotes.csv:3" in refused.output and "statement-unknown" in refused.output
    last = len(lines)
    assert f"footnotes.csv:{last - 3}: [line-unknown]" in refused.output
    assert f"footnotes.csv:{last - 3}: [footnote] {{belop}} takes 3" in refused.output
    assert f"footnotes.csv:{last - 2}: [footnote] empty text" in refused.output
    assert f"footnotes.csv:{last - 1}: [column-unknown] note_2 has no column 'aar-5'" in refused.output
    assert f"footnotes.csv:{last}: [statement-unknown] table:note_99" in refused.output


def test_the_years_texts_print_only_in_their_year():
    from ledger.statements.loading import with_year_texts
    from tests.support.imdi import IMDI

    def texts(reference, statement):
        return [n.text for n in reference.printing.footnotes.get(statement, ())]

    variance = "Utbetalingen av integreringstilskuddet har økt med 3,5 milliarder"
    assert not any(variance in t for t in texts(IMDI, "bevilgning"))  # the agency folder: every year's texts
    assert "Forklaring til bruk av fullmakter" in texts(IMDI, "note_b")
    year_2024 = with_year_texts(IMDI, (IMDI_2024 / "footnotes.csv").read_bytes())
    assert any(variance in t for t in texts(year_2024, "bevilgning"))
    note_b = texts(year_2024, "note_b")  # the state's rule footnotes, the agency's heading, the year's texts
    assert note_b.index("Forklaring til bruk av fullmakter") < next(
        i for i, t in enumerate(note_b) if t.startswith("Mottatte belastningsfullmakter"))
    assert not (IMDI_2024.parent / "2025" / "footnotes.csv").exists()  # 2025 prints none of 2024's
