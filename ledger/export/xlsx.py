"""The annual-accounts workbook (xlsx): a pure function of :class:`AnnualAccounts`.

Sheets: a cover sheet (agency, year, time of generation, the books' hash, the
status of every internal check), then one sheet per statement and note in the
publication's order, with its title and column labels.  Amounts are whole kroner
(half away from zero, each line on its own, as published) written as numbers in
``#,##0;-#,##0``; lines in another unit (:mod:`ledger.core.units`) are written as
printed.  Headings and sums are bold; the header is frozen; widths fit the labels;
each sheet prints on A4 fitted to the page width.  Each sheet also carries the
ids an auditor gives to ``ledger explain`` (grey row under the header, last column).

No published figure is ever written here; they belong to the reconciliation.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger.export.accounts import AnnualAccounts
from ledger.export.cells import write_number, write_text
from ledger.export.printed import printed_lines
from ledger.reference.layout import Layout
from ledger.core.units import present

AMOUNT_FORMAT = "#,##0;-#,##0"
NUMBER_FORMATS = {"kr": AMOUNT_FORMAT, "kr_1000": AMOUNT_FORMAT, "count": AMOUNT_FORMAT,
                  "fte": AMOUNT_FORMAT, "pct": '0" %";-0" %"'}
COVER = "Forside"
HEADER_ROW = 4          # column labels; row 5 holds the column ids; figures from row 6
FIRST_ROW = 6
MAX_LABEL_WIDTH = 90
MAX_AMOUNT_WIDTH = 22
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
GREY = Font(italic=True, size=8, color="808080")
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
SUM_BORDER = Border(top=Side(style="thin"))


# Sheet names where the statement id is not readable enough (≤ 31 characters each).
SHEET_NAMES = {
    "bevilgning": "Bevilgningsrapportering", "bevilgning_beholdninger": "Beholdninger",
    "artskonto": "Artskontorapportering", "mellomvaerende": "Mellomværende",
    "resultat": "Resultatregnskap", "balanse": "Balanse", "note_5_ovrige": "Note 5 øvrige",
    "nokkeltall": "Nøkkeltall", "konsulent": "Tabell 4.3 Konsulenttjenester",
}


def sheet_name(statement: str) -> str:
    """A readable, valid sheet name: ``note_7a`` → ``Note 7A``, ``resultat`` → ``Resultatregnskap``."""
    if statement in SHEET_NAMES:
        return SHEET_NAMES[statement]
    parts = statement.split("_")
    if parts[0] == "note" and len(parts) > 1:
        name = " ".join(["Note", parts[1].upper(), *parts[2:]])
    else:
        name = " ".join(parts).capitalize()
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31]


def build_workbook(accounts: AnnualAccounts) -> Workbook:
    """The workbook of ``accounts`` (not saved)."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = COVER
    names = {lay.statement: sheet_name(lay.statement) for lay in accounts.layouts}
    _write_cover(cover, accounts, names)
    for layout in accounts.layouts:
        sheet = workbook.create_sheet(names[layout.statement])
        _write_statement(sheet, layout, printed_lines(accounts.tables[layout.statement], layout,
                                                      accounts.always_printed.get(layout.statement, ())))
    return workbook


def _print_setup(sheet: Worksheet, landscape: bool, title_rows: str | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    if title_rows:
        sheet.print_title_rows = title_rows


def _write_statement(sheet: Worksheet, layout: Layout, table) -> None:
    columns = list(layout.columns)
    write_text(sheet, 1, 1, layout.title).font = TITLE
    write_text(sheet, 2, 1, "Beløp i kroner der ikke annet er oppgitt").font = GREY
    headers = ["", "Note", *layout.column_labels, "Linje-id"]
    for col, text in enumerate(headers, start=1):
        cell = write_text(sheet, HEADER_ROW, col, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="left" if col <= 2 else "right")
    for col, text in enumerate(columns, start=3):
        write_text(sheet, HEADER_ROW + 1, col, text).font = GREY
    widths = [max([len(str(h)) for h in (headers[0],)] + [10]), 6]
    widths += [min(max(len(lab), 12), MAX_AMOUNT_WIDTH) for lab in layout.column_labels]
    row = FIRST_ROW
    for line in table.itertuples(index=False):
        record = line._asdict()
        kind, line_id = record["kind"], record["line_id"]
        label_cell = write_text(sheet, row, 1, record["label"])
        write_text(sheet, row, 2, record.get("note_ref", "") or "")
        write_text(sheet, row, 3 + len(columns), line_id).font = GREY
        widths[0] = max(widths[0], min(len(str(record["label"])) + 2, MAX_LABEL_WIDTH))
        if kind != "heading":
            unit = layout.unit_of(line_id)
            for offset, column in enumerate(columns):
                value = present(int(table.loc[table["line_id"] == line_id, column].iloc[0]), unit)
                cell = write_number(sheet, row, 3 + offset, value, NUMBER_FORMATS[unit])
                widths[2 + offset] = max(widths[2 + offset], len(f"{value:,}") + 2)
                if kind == "sum":
                    cell.font, cell.border = BOLD, SUM_BORDER
        if kind in ("heading", "sum"):
            label_cell.font = BOLD
        row += 1
    for col, width in enumerate(widths + [max([10, *(len(i) + 2 for i in table["line_id"])])], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    # wrapped column labels: give the header row room for its longest label
    wrapped = max([-(-len(lab) // max(int(w) - 1, 1)) for lab, w in zip(layout.column_labels, widths[2:])] + [1])
    sheet.row_dimensions[HEADER_ROW].height = 15 * wrapped
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=3)
    sheet.print_area = f"A1:{get_column_letter(2 + len(columns))}{max(row - 1, FIRST_ROW)}"
    _print_setup(sheet, landscape=len(columns) > 3, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _write_cover(sheet: Worksheet, accounts: AnnualAccounts, names: dict[str, str]) -> None:
    agency = accounts.agency
    write_text(sheet, 1, 1, f"Årsregnskap {accounts.year}").font = TITLE
    facts = [
        ("Virksomhet", agency.get("name", "")),
        ("Kortnavn", agency.get("short_name", "")),
        ("Departement", agency.get("department", "")),
        ("Regnskapsår", str(accounts.year)),
        ("Generert", accounts.generated_at.isoformat()),
        ("Bøkenes hash (ledger audit)", accounts.books_hash),
        ("Sporing", f"ledger explain {accounts.year} OPPSTILLING LINJE-ID KOLONNE-ID --vouchers "
                    "(oppstilling: grå id under Innhold; linje-id: siste kolonne; kolonne-id: grå rad under overskriften)"),
    ]
    row = 3
    for key, value in facts:
        write_text(sheet, row, 1, key).font = BOLD
        write_text(sheet, row, 2, value)
        row += 1
    row += 1
    write_text(sheet, row, 1, "Innhold").font = BOLD
    row += 1
    for layout in accounts.layouts:
        write_text(sheet, row, 1, names[layout.statement])
        write_text(sheet, row, 2, layout.title)
        write_text(sheet, row, 3, layout.statement).font = GREY
        row += 1
    row = _write_warnings(sheet, row + 1, accounts)
    row = _write_checks(sheet, row + 1, accounts)
    first = max([len(c.id) for c in accounts.checks] + [len(n) for n in names.values()] + [30])
    second = max([len(c.description) for c in accounts.checks] + [len(lay.title) for lay in accounts.layouts] + [40])
    for col, width in zip("ABCDEF", (first + 2, min(second + 2, 120), 12, 18, 18, 14)):
        sheet.column_dimensions[col].width = width
    _print_setup(sheet, landscape=True)


def _write_warnings(sheet: Worksheet, row: int, accounts: AnnualAccounts) -> int:
    """What the statements noted about their own figures (none: one line saying so)."""
    write_text(sheet, row, 1, f"Merknader fra oppstillingene: {len(accounts.warnings) or 'ingen'}").font = BOLD
    row += 1
    for text in accounts.warnings:
        write_text(sheet, row, 1, text.partition(": ")[0])
        write_text(sheet, row, 2, text.partition(": ")[2]).alignment = Alignment(wrap_text=True)
        row += 1
    return row


def _write_checks(sheet: Worksheet, row: int, accounts: AnnualAccounts) -> int:
    checks = accounts.checks
    ok = sum(c.status == "ok" for c in checks)
    failed = sum(c.status == "FAIL" for c in checks)
    write_text(sheet, row, 1, f"Kontroller: {ok} ok, {failed} feil, {len(checks) - ok - failed} ikke kjørt").font = BOLD
    row += 1
    for col, text in enumerate(["Kontroll", "Beskrivelse", "Status", "Venstre side", "Høyre side", "Differanse"], 1):
        cell = write_text(sheet, row, col, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
    row += 1
    for check in checks:
        write_text(sheet, row, 1, check.id)
        write_text(sheet, row, 2, check.description + (f" ({check.detail})" if check.detail else ""))
        status = write_text(sheet, row, 3, check.status)
        if check.status == "FAIL":
            status.font = Font(bold=True, color="C00000")
        for col, value in ((4, check.left), (5, check.right), (6, check.difference)):
            if value is not None:
                write_number(sheet, row, col, present(value), AMOUNT_FORMAT)
        row += 1
    return row
