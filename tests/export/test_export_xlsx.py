"""The annual-accounts workbook: read back with openpyxl and compared with the statement tables."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from tests.support.annual_helpers import make_books
from ledger.export import tidy
from ledger.export.accounts import compute_accounts
from ledger.statements.registry import STATEMENTS
from ledger.export.cells import write_text
from ledger.export.xlsx import (AMOUNT_FORMAT, CHECKS, COVER, FIRST_ROW, HEADER_ROW, ID_ROW, build_workbook, id_column,
                               sheet_name)
from ledger.reference.layout import load_layouts
from ledger.books.store import Books
from ledger.core.units import present
from tests.support.books import REFERENCE, year_of
from tests.support.annual_helpers import written_workbook

INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    path = make_books(tmp_path_factory.mktemp("books") / "books.sqlite")
    with Books.open(path) as books:
        data = year_of(books, 2024)
        return compute_accounts(data, STATEMENTS, books.audit().head_hash,
                                generated_at=dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.timezone.utc))


@pytest.fixture(scope="module")
def workbook(accounts, tmp_path_factory):
    return written_workbook(accounts, tmp_path_factory.mktemp("out"))


def test_sheets_in_publication_order(accounts, workbook):
    expected = [COVER] + [sheet_name(name) for name in REFERENCE.layouts] + [CHECKS]
    assert workbook.sheetnames == expected
    assert workbook.sheetnames[1:4] == ["Bevilgningsrapportering", "Beholdninger", "Note A"]
    assert workbook.sheetnames[-2:] == ["Nøkkeltall", CHECKS]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def _amount_columns(sheet):
    """column id -> sheet column, read from the hidden id row."""
    return {sheet.cell(ID_ROW, col).value: col for col in range(1, id_column(sheet))
            if sheet.cell(ID_ROW, col).value}


def _figures(sheet):
    """(line_id, column id) -> cell, read from the sheet's hidden ids (id row, line-id column)."""
    found = {}
    at = id_column(sheet)
    for row in range(FIRST_ROW, sheet.max_row + 1):
        line_id = sheet.cell(row, at).value
        if line_id is None:
            continue  # a footnote, a text or a second header
        for column, col in _amount_columns(sheet).items():
            found[(line_id, column)] = sheet.cell(row, col)
    return found


def test_every_figure_equals_the_statement_table(accounts, workbook):
    checked = left_out = 0
    for layout in accounts.layouts:
        sheet = workbook[sheet_name(layout.statement)]
        assert layout.title in sheet.cell(1, 1).value  # with its footnote markers, if any
        columns = _amount_columns(sheet)
        assert list(columns) == list(layout.columns)
        for column, label in zip(layout.columns, layout.column_labels):
            assert sheet.cell(HEADER_ROW, columns[column]).value.startswith(label)
        cells = _figures(sheet)
        printing = accounts.printing
        table = accounts.tables[layout.statement]
        for line in table.itertuples(index=False):
            if (line.line_id, layout.columns[0]) not in cells:  # left out of the print: only a line of zeros
                row = table.loc[table["line_id"] == line.line_id, list(layout.columns)]
                assert (row == 0).all(axis=None), (layout.statement, line.line_id)
                left_out += 1
                continue
            for column in layout.columns:
                cell = cells[(line.line_id, column)]
                if line.kind == "heading":
                    assert cell.value is None or printing.line(layout.statement, line.line_id).fill
                    continue
                value = int(table.loc[table["line_id"] == line.line_id, column].iloc[0])
                if cell.value is None:  # left blank as the publication does: only a zero
                    blank = printing.line(layout.statement, line.line_id).blank
                    assert present(value, layout.unit_of(line.line_id)) == 0 and (column in blank or "*" in blank)
                    continue
                assert cell.value == present(value, layout.unit_of(line.line_id))
                assert isinstance(cell.value, int) and cell.data_type == "n"
                checked += 1
    assert checked > 150 and left_out > 0


def test_known_amounts_in_whole_kroner(workbook):
    cells = _figures(workbook["Bevilgningsrapportering"])
    assert cells[("0670.01", "regnskap")].value == 1241          # 1000 + 141 + 100
    assert cells[("0671.60", "regnskap")].value == 1001          # 1 000,50 rounds half away from zero
    # 1241 + 1000,50 + 25 = 2266,50: the sum is rounded on its own, not summed from rounded lines
    assert cells[("sum_utgiftsfort", "regnskap")].value == 2267
    cells = _figures(workbook["Note 2"])
    assert cells[("lonn", "aar")].value == 1000


def test_number_formats_bold_sums_and_headings(accounts, workbook):
    for layout in accounts.layouts:
        sheet = workbook[sheet_name(layout.statement)]
        at, columns = id_column(sheet), list(_amount_columns(sheet).values())
        for row in range(FIRST_ROW, sheet.max_row + 1):
            line_id = sheet.cell(row, at).value
            if line_id is None:
                continue
            kind = layout.line(line_id).kind
            first = next(sheet.cell(row, c) for c in range(1, columns[0] + 1) if sheet.cell(row, c).value)
            if first.column < columns[0]:
                assert first.font.b == (kind in ("heading", "sum")), (layout.statement, line_id)
            for col in columns:
                cell = sheet.cell(row, col)
                if cell.value is None:
                    continue
                if kind != "heading" and layout.unit_of(line_id) != "pct":
                    assert cell.number_format == AMOUNT_FORMAT
                if kind == "sum":
                    assert cell.font.b


def test_no_formula_cells_anywhere(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _fits_across_a4(sheet) -> bool:
    """The printed columns, at the sheet's print scale, fit inside A4's width less the side margins
    (a character width taken as 7 px at 96 dpi, Calibri 11's)."""
    _, _, last, _ = range_boundaries(str(sheet.print_area).split("!")[-1].replace("$", ""))
    widths = [sheet.column_dimensions[get_column_letter(c)].width or 8.43
              for c in range(1, last + 1)
              if not sheet.column_dimensions[get_column_letter(c)].hidden]
    page_in = 11.69 if sheet.page_setup.orientation == "landscape" else 8.27
    printable = (page_in - sheet.page_margins.left - sheet.page_margins.right) * 96
    return sum(w * 7 + 5 for w in widths) * int(sheet.page_setup.scale) / 100 <= printable


def test_layout_frozen_header_widths_and_a4(accounts, workbook):
    for layout in accounts.layouts:
        sheet = workbook[sheet_name(layout.statement)]
        first = min(_amount_columns(sheet).values())
        assert sheet.freeze_panes == f"{get_column_letter(first)}{FIRST_ROW}"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        if any(h.new_page for h in accounts.printing.headers.get(layout.statement, ())):
            # a page of its own, as the publication turns the page: scaled to the width (a Fit To would
            # let Excel ignore the break), no repeated header
            assert not sheet.sheet_properties.pageSetUpPr.fitToPage and not sheet.print_title_rows
            assert _fits_across_a4(sheet), layout.statement
            continue
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        # every other statement of these small books has far fewer than ONE_PAGE_ROWS rows: one page tall
        assert sheet.page_setup.fitToHeight == 1
        assert str(sheet.print_title_rows) == f"$4:$4"


def test_cover_sheet(accounts, workbook):
    cover = workbook[COVER]
    values = {cover.cell(r, 1).value: cover.cell(r, 2) for r in range(1, 16)}
    assert cover.cell(1, 1).value == "Årsregnskap 2024"
    assert values["Regnskapsår"].value == "2024"
    assert values["Generert"].value == "2025-02-01T12:00:00+00:00"
    assert values["Bøkenes hash (ledger audit)"].value == accounts.books_hash
    assert len(accounts.books_hash) == 64
    # the agency name is book text (an input document in the books) that looks like a formula
    assert values["Virksomhet"].value == INJECTION and values["Virksomhet"].data_type == "s"
    assert values["Departement"].value == "+Testdepartementet"
    checks = workbook[CHECKS]
    statuses = [checks.cell(r, 3).value for r in range(1, checks.max_row + 1)]
    assert statuses.count("i orden") + statuses.count("feil") + statuses.count("ikke kjørt") == len(accounts.checks)
    ids = {checks.cell(r, 1).value for r in range(1, checks.max_row + 1)}
    assert {c.id for c in accounts.checks} <= ids


def test_write_text_never_makes_a_formula(tmp_path):
    wb = Workbook()
    sheet = wb.active
    texts = [INJECTION, "+1+2", "-3", "@SUM(A1)", "=1+1", "plain"]
    for row, text in enumerate(texts, start=1):
        write_text(sheet, row, 1, text)
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    for row, text in enumerate(texts, start=1):
        cell = back.cell(row, 1)
        assert cell.value == text and cell.data_type == "s"
    assert back.cell(1, 1).quotePrefix


def test_tidy_csv_and_json(accounts):
    table = tidy.tidy_table(accounts)
    assert list(table.columns) == ["statement", "line_id", "label", "column", "amount_ore", "amount_kr", "unit"]
    assert str(table["amount_ore"].dtype) == "int64"
    row = table[(table["statement"] == "bevilgning") & (table["line_id"] == "0671.60") & (table["column"] == "regnskap")]
    assert row[["amount_ore", "amount_kr"]].values.tolist() == [[100050, 1001]]
    assert not (table["line_id"] == "kapitalkontoer").any()  # headings carry no figure
    csv_text = tidy.to_csv(accounts)
    assert csv_text.splitlines()[0] == "statement,line_id,label,column,amount_ore,amount_kr,unit"
    records = json.loads(tidy.to_json(accounts))
    assert len(records) == len(table) and records[0]["statement"] == "bevilgning"


def test_units_present_as_printed():
    assert present(123456789, "kr_1000") == 1235
    assert present(9763, "pct") == 98
    assert present(22810, "fte") == 228
    assert present(-150, "kr") == -2 and present(149, "kr") == 1
