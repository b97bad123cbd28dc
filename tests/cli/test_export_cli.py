"""``ledger export-annual``, :func:`ledger.cli.annual.export_year`, progress, and rendering to PDF/PNG."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.support.annual_helpers import make_books
from ledger.cli import cli
from ledger.cli.annual import export_year
from ledger.cli.common import DataError
from ledger.reference.layout import load_layouts
from ledger.cli.progress import enabled, progress
from ledger.books.store import Books
from ledger.statements.registry import STATEMENTS


@pytest.fixture
def books_path(tmp_path):
    return make_books(tmp_path / "books.sqlite")


def test_export_annual_xlsx_default_name(books_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--books", str(books_path), "export-annual", "2024"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "wrote arsregnskap-2024.xlsx"
    workbook = load_workbook(tmp_path / "arsregnskap-2024.xlsx")
    assert workbook.sheetnames[0] == "Forside" and len(workbook.sheetnames) == 1 + 25 + 1  # cover, the state's statements, checks


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_annual_tidy(books_path, tmp_path, fmt):
    out = tmp_path / f"a.{fmt}"
    result = CliRunner().invoke(cli, ["--books", str(books_path), "export-annual", "2024", "--format", fmt,
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    frame = pd.read_csv(io.StringIO(text)) if fmt == "csv" else pd.DataFrame(json.loads(text))
    assert {"statement", "line_id", "label", "column", "amount_ore", "amount_kr"} <= set(frame.columns)
    row = frame[(frame["statement"] == "resultat") & (frame["line_id"] == "lonnskostnader")]
    assert row[["amount_ore", "amount_kr"]].values.tolist() == [[114100, 1141]]


def test_export_year_function(books_path, tmp_path):
    with Books.open(books_path) as books:
        path = export_year(books, 2024, "xlsx", tmp_path / "x.xlsx")
        assert path == tmp_path / "x.xlsx" and path.exists()
        with pytest.raises(DataError, match="2023 has no postings"):
            export_year(books, 2023, "csv", tmp_path / "x.csv")


def test_progress_is_quiet_off_a_terminal():
    stream = io.StringIO()
    assert not enabled(stream)
    with progress("work", total=2, stream=stream) as step:
        step("a")
        step("b")
    assert stream.getvalue() == ""


def test_progress_draws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with progress("work", total=1, stream=stream) as step:
        step("a")
    assert enabled(stream)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) or poppler (pdftoppm) is not installed")
def test_workbook_renders_to_pdf_and_png(books_path, tmp_path):
    with Books.open(books_path) as books:
        xlsx = export_year(books, 2024, "xlsx", tmp_path / "arsregnskap-2024.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "arsregnskap-2024.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 1000 for p in pages)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    if info:  # A4 (595 x 842 pt), portrait or landscape
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        assert "(A4)" in size


def test_statement_that_cannot_be_computed_exits_1_without_traceback(books_path, tmp_path, monkeypatch):
    """E.g. rent lines without a lease term: the message names what to fix, exit 1."""
    from ledger.statements.base import StatementError

    def needs_a_term(data):
        raise StatementError("note_5_husleie: rent lines with lease terms ['(no term)']")

    monkeypatch.setitem(STATEMENTS, "note_5_husleie", needs_a_term)
    result = CliRunner().invoke(cli, ["--books", str(books_path), "close", "2024", "--export", "xlsx",
                                      "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1, result.output
    assert "note_5_husleie: rent lines with lease terms" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.xlsx").exists()
