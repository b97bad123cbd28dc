"""The annual-accounts workbook (xlsx): a pure function of :class:`AnnualAccounts`.

It is meant to go into the annual report as it is printed, so each sheet reads like the
publication's chapter 6:

- *Forside*: one A4 page in Norwegian: agency, year, status (*avsluttet*, or *foreløpig*
  for a year that is not closed), the books' hash, how many checks passed and failed (the
  sheet *Kontroller* lists them, with the statements' own warnings), the year's status
  history in the books (closed, reopened: when and why) and the contents;
- one sheet per statement and note in the publication's order: its title, its text
  columns and amount columns as :mod:`ledger.reference.printing` says
  (``print_headers.csv``: the appropriation report's *Utgiftskapittel, Kapittelnavn, Post,
  Posttekst, Note* and its own header for the income part; ``print_lines.csv``: the
  agency's capital account numbers, cells the publication leaves blank, useful lives),
  the printed lines (:mod:`ledger.export.printed`), then the footnotes and fixed texts
  (``footnotes.csv``, the state's, the agency's and the year's) in the order of their markers'
  places, with their placeholders filled from the computed figures and the books' accounts; the
  markers on their lines, column labels and titles (a ``table:`` footnote's marker begins the
  title of the statement it names); a marker that no text of the sheet holds is listed on
  *Kontroller*;
- *Kontroller*: every internal check with its status, and the statements' warnings.

Amounts are whole kroner (half away from zero, each line on its own, as published) written
as numbers in ``#,##0;-#,##0``; lines in another unit (:mod:`ledger.core.units`) as
printed.  Headings and sums are bold; the header is frozen and repeated on every page;
every sheet prints on A4 fitted to the page width, with a page header (agency, statement,
*FORELØPIG* for an open year) and footer (the books' hash, *Side x av y*).

The ids ``ledger explain`` takes stay in the workbook but are never printed: the column
ids in the hidden row :data:`ID_ROW` and the line ids in the hidden column after the
print area (:func:`id_column`).  No published figure is ever written here; they belong to
the reconciliation.
"""

from __future__ import annotations

import math
import re

import attrs

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ledger.core.units import present
from ledger.export.accounts import AnnualAccounts
from ledger.core.money import format_kroner, format_millions, group_thousands
from ledger.export.cells import write_number, write_text
from ledger.export.printed import printed_lines
from ledger.reference.layout import Layout, render_year
from ledger.reference.printing import PLACEHOLDER, TITLE as TITLE_ANCHOR, Footnote, SheetHeader, account_ranges

AMOUNT_FORMAT = "#,##0;-#,##0"
NUMBER_FORMATS = {"kr": AMOUNT_FORMAT, "kr_1000": AMOUNT_FORMAT, "count": AMOUNT_FORMAT,
                  "fte": AMOUNT_FORMAT, "pct": '0" %";-0" %"'}
COVER = "Forside"
CHECKS = "Kontroller"
TITLE_ROW, STATUS_ROW = 1, 3
HEADER_ROW = 4          # column labels; row 5 (hidden) holds the column ids; figures from row 6
ID_ROW = 5
FIRST_ROW = 6
LINE_HEIGHT = 13.5


def _font(size: float = 11, **style) -> Font:
    """The workbook's font (Calibri, 11 pt unless given) with ``style``: name and size are always
    written, since a font without them prints in the reader's own default (LibreOffice's is wider,
    and the figures become ###)."""
    return Font(name="Calibri", size=size, **style)


BOLD = _font(bold=True)
TITLE = _font(bold=True, size=14)
GREY = _font(italic=True, size=8, color="808080")
RED = _font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
SUM_BORDER = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_WIDTHS = {"kapittel": 11, "kapittelnavn": 30, "post": 5, "posttekst": 36, "note": 6, "konto": 10}
MAX_LABEL_WIDTH = 60
MAX_AMOUNT_WIDTH = 18
ONE_PAGE_ROWS = 60      # a statement of at most this many rows prints on one A4 page, as the publication does
PORTRAIT_WIDTH = 100    # characters of column width that still print legibly on portrait A4
PAGE_SIDE_MARGIN_IN = 0.75   # left and right margins (inches; openpyxl's default)
PAGE_END_MARGIN_IN = 0.8     # top and bottom margins (inches), the page header and footer inside them
STATUS_TEXT = {"closed": "Avsluttet", "open": "Foreløpig – året er ikke avsluttet"}
CHECK_STATUS = {"ok": "i orden", "FAIL": "feil", "skipped": "ikke kjørt"}
EXPLAIN_HINT = ("Sporing: id-ene som `ledger explain` tar, står på hvert ark i den skjulte rad 5 (kolonne-id) og "
                "den skjulte kolonnen etter utskriftsområdet (linje-id); oppstillingens id står i den skjulte "
                "kolonne C i innholdslisten under. De skrives ikke ut; vis dem med Format › Rader/Kolonner › Vis. "
                "Eksempel: ledger explain {aar} {statement} {line_id} {column} --vouchers")

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


def id_column(sheet: Worksheet) -> int:
    """The (hidden) column of a statement sheet that holds the line ids ``ledger explain`` takes."""
    for col in range(1, sheet.max_column + 1):
        if sheet.cell(ID_ROW, col).value == "linje-id":
            return col
    raise KeyError(f"{sheet.title} has no line-id column")


def build_workbook(accounts: AnnualAccounts) -> Workbook:
    """The workbook of ``accounts`` (not saved)."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = COVER
    names = {lay.statement: sheet_name(lay.statement) for lay in accounts.layouts}
    missing: list[str] = []
    for layout in accounts.layouts:
        sheet = workbook.create_sheet(names[layout.statement])
        table = printed_lines(accounts.tables[layout.statement], layout,
                              accounts.always_printed.get(layout.statement, ()))
        _write_statement(sheet, layout, table, accounts, missing)
        _page_header(sheet, accounts, layout.title)
    checks = workbook.create_sheet(CHECKS)
    _write_checks(checks, accounts, missing)
    _page_header(checks, accounts, "Kontroller og merknader")
    _write_cover(cover, accounts, names, len(accounts.warnings) + len(missing))
    _page_header(cover, accounts, f"Årsregnskap {accounts.year}")
    return workbook


# -- texts ---------------------------------------------------------------------------------

kroner = group_thousands  # whole kroner as printed: ``1 234 567``, ``-5 000``


def fill_text(text: str, accounts: AnnualAccounts, missing: list[str] | None = None) -> str:
    """``text`` with its placeholders (:data:`ledger.reference.printing.PLACEHOLDERS`) filled from the
    accounts; a figure the accounts lack is written ``[mangler …]`` and named in ``missing``."""
    def one(match: re.Match) -> str:
        name, offset, args = match.group(1), match.group(2), [a for a in match.group(3).split(":") if a]
        if name == "aar":
            return str(accounts.year + int(offset or 0))
        if name == "virksomhet":
            return str(accounts.agency.get("short_name") or accounts.agency.get("name", ""))
        if name == "virksomhet_navn":
            return str(accounts.agency.get("name", ""))
        if name == "belop":
            statement, line_id, column = args
            table = accounts.tables.get(statement)
            layout = next((lay for lay in accounts.layouts if lay.statement == statement), None)
            if table is not None and layout is not None and column in table.columns \
                    and (table["line_id"] == line_id).any():
                value = int(table.loc[table["line_id"] == line_id, column].iloc[0])
                return kroner(present(value, layout.unit_of(line_id)))
        if name in ("konto", "konto_mill"):
            ranges = account_ranges(args[0]) or ()
            hit = [v for a, v in accounts.account_amounts.items() if any(lo <= a <= hi for lo, hi in ranges)]
            if hit:
                return format_millions(sum(hit)) if name == "konto_mill" else format_kroner(sum(hit))
        key = ":".join([name, *args])
        if key in accounts.facts:
            return accounts.facts[key]
        if missing is not None:
            missing.append(f"{match.group(0)}: ikke i regnskapet")
        return f"[mangler {match.group(0)}]"
    return PLACEHOLDER.sub(one, text)


def _lines_of(text: str, width: float) -> int:
    return max(1, sum(math.ceil(max(len(part), 1) / max(width - 1, 1)) for part in text.split("\n")))


# -- statement sheets ---------------------------------------------------------------------

def _headers(layout: Layout, accounts: AnnualAccounts, notes_printed: bool) -> list[SheetHeader]:
    """The sheet's header rows, with the Note column left out where no printed line has a note."""
    headers = list(accounts.printing.headers.get(layout.statement, ())) or [
        SheetHeader(layout.statement, "", ("label", "note"), ("", "Note", *layout.column_labels))]
    result = []
    for header in headers:
        labels = [render_year(label, accounts.year) for label in header.labels]
        columns = list(header.text_columns)
        if "note" in columns and not notes_printed:
            del labels[columns.index("note")]
            columns.remove("note")
        result.append(attrs.evolve(header, text_columns=tuple(columns), labels=tuple(labels)))
    return result


def _write_header_row(sheet: Worksheet, row: int, labels: tuple[str, ...], n_text: int) -> None:
    for col, text in enumerate(labels, start=1):
        cell = write_text(sheet, row, col, text)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="left" if col <= n_text else "right")


def _markers(accounts: AnnualAccounts, layout: Layout) -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
    """The footnote markers of a statement: by line, by column, and its title with its markers (its
    own ``title`` anchors after it; before it, the markers of the ``table:`` footnotes of other
    statements that name it, as the publication begins a specification's caption: ``¹ Husleie … *``)."""
    lines: dict[str, list[str]] = {}
    columns: dict[str, list[str]] = {}
    title: list[str] = []
    statement = layout.statement
    for note in accounts.printing.footnotes.get(statement, ()):
        if not note.marker:
            continue
        if note.anchor == TITLE_ANCHOR:
            title.append(note.marker)
        elif note.anchor:
            lines.setdefault(note.anchor, []).append(note.marker)
        elif note.column:
            columns.setdefault(note.column, []).append(note.marker)
    before = [n.marker for notes in accounts.printing.footnotes.values() for n in notes if n.table == statement]
    return lines, columns, " ".join([*before, layout.title, *title])


def _with_column_markers(header: SheetHeader, columns: list[str], markers: dict[str, list[str]]) -> SheetHeader:
    """``header`` with each amount column's markers after its label (``Endring *``)."""
    labels = list(header.labels)
    for offset, column in enumerate(columns):
        at = len(header.text_columns) + offset
        if markers.get(column) and at < len(labels):
            labels[at] = " ".join([labels[at], *markers[column]]).strip()
    return attrs.evolve(header, labels=tuple(labels))


def _below_in_order(notes: list[Footnote], columns: list[str], line_ids: list[str]) -> list[Footnote]:
    """The texts printed below the table: footnotes in the order of their markers' places (the title,
    the column labels, the lines as printed), then the texts that mark nothing, in file order."""
    def place(note: Footnote) -> tuple[int, int]:
        if note.anchor == TITLE_ANCHOR:
            return 0, 0
        if note.column:
            return 0, 1 + columns.index(note.column) if note.column in columns else 0
        if note.anchor:
            return 0, 1 + len(columns) + (line_ids.index(note.anchor) if note.anchor in line_ids else len(line_ids))
        return 1, 0
    return sorted((n for n in notes if n.text and (not n.placement or n.table)), key=place)


def _unexplained(notes: list[Footnote], labels: dict[str, str]) -> list[str]:
    """The markers of text-less rows that nothing on the sheet explains: no ``table:``, and no text of
    the statement holds the marker (the publication prints a marker without its footnote)."""
    texts = [n.text for n in notes if n.text]
    return [f"{n.statement}: fotnotemerket {n.marker} på «{labels.get(n.column or n.anchor, n.column or n.anchor)}» "
            "har ingen tekst (footnotes.csv)"
            for n in notes if not n.text and not n.table and not any(n.marker in t for t in texts)]


def _write_statement(sheet: Worksheet, layout: Layout, table, accounts: AnnualAccounts, missing: list[str]) -> None:
    columns = list(layout.columns)
    statement = layout.statement
    printing = accounts.printing
    notes = list(printing.footnotes.get(statement, ()))
    markers, column_markers, title = _markers(accounts, layout)
    notes_printed = any(bool(ref) for ref in table.get("note_ref", ())) if "note_ref" in table else False
    headers = [_with_column_markers(h, columns, column_markers) for h in _headers(layout, accounts, notes_printed)]
    main = headers[0]
    text_columns = list(main.text_columns)
    n_text = len(text_columns)
    last = n_text + len(columns)            # the last printed column
    ids_at = last + 1                       # the line ids: hidden, outside the print area
    widths = _text_widths(text_columns, table)
    widths += [12.0] * len(columns)
    for header in headers:  # a column is at least as wide as the longest word of its labels: no word split
        for i, label in enumerate(header.labels[:len(widths)]):
            widths[i] = max([widths[i], *(len(word) + 2 for word in str(label or "").split())])

    write_text(sheet, TITLE_ROW, 1, title).font = TITLE
    write_text(sheet, 2, 1, "Beløp i kroner der ikke annet er oppgitt").font = GREY
    if accounts.status != "closed":
        write_text(sheet, STATUS_ROW, 1, f"FORELØPIG: {accounts.year} er ikke avsluttet i bøkene").font = RED
    _write_header_row(sheet, HEADER_ROW, main.labels, n_text)
    for col, column in enumerate(columns, start=n_text + 1):
        write_text(sheet, ID_ROW, col, column).font = GREY
    write_text(sheet, ID_ROW, ids_at, "linje-id").font = GREY
    write_text(sheet, HEADER_ROW, ids_at, "Linje-id (ledger explain)").font = GREY
    sheet.row_dimensions[ID_ROW].hidden = True
    numbers = accounts.agency.get("capital_accounts") or {}
    after = {h.after_line: h for h in headers[1:]}
    placed: dict[str, list[Footnote]] = {}
    for note in notes:
        if note.after and note.text:
            placed.setdefault(note.after, []).append(note)
    row = FIRST_ROW
    wrapped_rows: dict[int, int] = {}
    breaks: list[int] = []
    for record in table.to_dict("records"):
        kind, line_id = record["kind"], record["line_id"]
        how = printing.line(statement, line_id)
        label = str(record["label"]) + "".join(markers.get(line_id, []))
        cells = _text_cells(text_columns, line_id, label, record.get("note_ref", "") or "",
                            accounts.posts.get(line_id), str(numbers.get(how.account, "")) if how.account else "")
        height = 1
        for offset, column in enumerate(text_columns):
            value = cells.get(column, "")
            if not value:
                continue
            cell = write_text(sheet, row, 1 + offset, value)
            if kind in ("heading", "sum"):
                cell.font = BOLD
            if column in ("kapittelnavn", "posttekst") or (column == "label" and len(value) > widths[offset]):
                cell.alignment = WRAP
                height = max(height, _lines_of(value, widths[offset]))
        write_text(sheet, row, ids_at, line_id).font = GREY
        blank = set(how.blank)
        for offset, column in enumerate(columns):
            col = n_text + 1 + offset
            if how.fill == "useful_life":
                text = accounts.useful_lives.get((statement, column), "")
                if text and column not in blank and "*" not in blank:
                    write_text(sheet, row, col, text).alignment = Alignment(horizontal="right", wrap_text=True)
                continue
            if kind == "heading":
                continue
            value = present(int(record[column]), layout.unit_of(line_id))
            if value == 0 and (column in blank or "*" in blank):
                continue
            cell = write_number(sheet, row, col, value, NUMBER_FORMATS[layout.unit_of(line_id)])
            widths[n_text + offset] = max(widths[n_text + offset], len(kroner(value)) + 2)
            if kind == "sum":
                cell.font, cell.border = BOLD, SUM_BORDER
        if height > 1:
            wrapped_rows[row] = height
        row += 1
        for note in placed.get(line_id, ()):
            row = _write_text_row(sheet, row, fill_text(note.text, accounts, missing), last, wrapped_rows)
        if line_id in after:
            if after[line_id].new_page:
                breaks.append(row - 1)  # the page ends with the rows above; the header begins the next
            else:
                row += 1
            _write_header_row(sheet, row, after[line_id].labels, n_text)
            wrapped_rows[row] = _header_lines(after[line_id].labels, widths)
            row += 1
    below = _below_in_order(notes, columns, [str(i) for i in table["line_id"]])
    labels = {**dict(zip(columns, layout.column_labels)), TITLE_ANCHOR: "tittelen",
              **{str(i): str(lab) for i, lab in zip(table["line_id"], table["label"])}}
    missing.extend(_unexplained(notes, labels))
    if below:
        row += 1
    for note in below:
        row = _write_text_row(sheet, row, fill_text(note.text, accounts, missing), last, wrapped_rows, widths)
    widths = [min(w, MAX_AMOUNT_WIDTH) if i >= n_text else w for i, w in enumerate(widths)]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.column_dimensions[get_column_letter(ids_at)].width = max([12, *(len(i) + 2 for i in table["line_id"])])
    sheet.column_dimensions[get_column_letter(ids_at)].hidden = True
    total = sum(widths)
    for r, lines in wrapped_rows.items():
        if lines < 0:       # a text row over the whole width: lines counted now the widths are known
            text = str(sheet.cell(r, 1).value or "")
            lines = _lines_of(text, total * 0.95)
        sheet.row_dimensions[r].height = LINE_HEIGHT * lines + 2
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * _header_lines(main.labels, widths) + 2
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last)
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[TITLE_ROW].height = 19 * _lines_of(title, total / 1.3) + 2
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=n_text + 1)
    sheet.print_area = f"A1:{get_column_letter(last)}{max(row - 1, FIRST_ROW)}"
    for at in breaks:
        sheet.row_breaks.append(Break(id=at))
    # A sheet with pages of its own (a header with new_page) breaks where the publication does, each
    # page beginning with its header, so none is repeated; it is printed at a percentage at which each
    # page fits the paper, not by Fit To, since Excel ignores manual breaks under any Fit To. Any other
    # statement of at most ONE_PAGE_ROWS rows prints on one page.
    landscape = total > PORTRAIT_WIDTH
    _print_setup(sheet, landscape=landscape,
                 title_rows=None if breaks else f"{HEADER_ROW}:{HEADER_ROW}",
                 one_page=not breaks and row - FIRST_ROW <= ONE_PAGE_ROWS,
                 scale=_scale_to_fit(sheet, widths, breaks, row - 1, landscape) if breaks else None)


def _scale_to_fit(sheet: Worksheet, widths: list[float], breaks: list[int], last_row: int,
                  landscape: bool) -> int:
    """The print scale (percent, at most 100) at which the printed columns fit across A4 and each
    page the breaks end (rows 1 to the first break, …, the last to ``last_row``) fits down it, inside
    the margins, with 8 % to spare for the renderer's font metrics.

    A column of ``w`` characters is ``7 w + 5`` px at 96 dpi (Calibri 11); a row is its height in
    points, 15 unless set."""
    across_in, down_in = (11.69, 8.27) if landscape else (8.27, 11.69)
    width_px = (across_in - 2 * PAGE_SIDE_MARGIN_IN) * 96
    height_pt = (down_in - 2 * PAGE_END_MARGIN_IN) * 72
    ends = [*breaks, last_row]
    starts = [1, *(b + 1 for b in breaks)]
    tallest = max(sum(sheet.row_dimensions[r].height or 15
                      for r in range(a, b + 1) if not sheet.row_dimensions[r].hidden)
                  for a, b in zip(starts, ends))
    fit = min(width_px / sum(w * 7 + 5 for w in widths), height_pt / tallest)
    return max(10, min(100, int(fit * 0.92 * 100)))


def _header_lines(labels, widths) -> int:
    return max([_lines_of(str(label), width) for label, width in zip(labels, widths) if label] + [1])


def _text_widths(text_columns: list[str], table) -> list[float]:
    widths = []
    for column in text_columns:
        if column == "label":
            longest = max([len(str(label)) + 3 for label in table["label"]] + [12])
            widths.append(float(min(longest, MAX_LABEL_WIDTH)))
        else:
            widths.append(float(TEXT_WIDTHS[column]))
    return widths


def _text_cells(text_columns: list[str], line_id: str, label: str, note_ref: str, post, number: str) -> dict[str, str]:
    """What each text column of a line shows.  A budget post fills chapter, chapter name, post and
    post text; another line puts its account number (a capital account) in the first column and
    its label in the label column, else in the next free column (sums overflow to the right)."""
    cells = {"note": note_ref}
    if post is not None and {"kapittel", "post"} & set(text_columns):
        cells.update(kapittel=post.chapter, kapittelnavn=post.chapter_name, post=post.post, posttekst=label,
                     label=label)
        return cells
    free = [c for c in text_columns if c != "note"]
    if "label" in free:
        cells["label"] = label
        if number:
            cells[next((c for c in free if c != "label"), "label")] = number
        return cells
    if number and len(free) > 1:
        cells[free[0]], cells[free[1]] = number, label
    elif free:
        cells[free[0]] = f"{number} {label}".strip()
    return cells


def _write_text_row(sheet: Worksheet, row: int, text: str, last: int, wrapped: dict[int, int],
                    widths: list[float] | None = None) -> int:
    """A footnote or text over the whole printed width; its height is set once the widths are known."""
    cell = write_text(sheet, row, 1, text)
    cell.alignment = WRAP
    cell.font = _font(size=9)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(last, 1))
    wrapped[row] = -1
    return row + 1


def _print_setup(sheet: Worksheet, landscape: bool, title_rows: str | None = None, one_page: bool = False,
                 scale: int | None = None) -> None:
    """A4 in the given orientation, fitted to one page wide (and one tall if ``one_page``), or printed
    at ``scale`` percent when the sheet has manual page breaks that a fit would override."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    if scale is not None:
        sheet.page_setup.scale = scale
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
    else:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 1 if one_page else 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.top = sheet.page_margins.bottom = PAGE_END_MARGIN_IN
    sheet.page_margins.left = sheet.page_margins.right = PAGE_SIDE_MARGIN_IN
    if title_rows:
        sheet.print_title_rows = title_rows


def _escape(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return str(text).replace("&", "&&")


def _page_header(sheet: Worksheet, accounts: AnnualAccounts, title: str) -> None:
    """Header: agency | statement | year (FORELØPIG when open); footer: books' hash | page x of y."""
    agency = accounts.agency.get("name") or accounts.agency.get("short_name") or ""
    status = "" if accounts.status == "closed" else " – FORELØPIG"
    for header, footer in ((sheet.oddHeader, sheet.oddFooter), (sheet.firstHeader, sheet.firstFooter)):
        header.left.text, header.left.size = _escape(agency), 8
        header.center.text, header.center.size = _escape(title[:80]), 8
        header.right.text, header.right.size = _escape(f"Årsregnskap {accounts.year}{status}"), 8
        footer.left.text, footer.left.size = _escape(f"Bøkenes hash {accounts.books_hash}"), 7
        footer.right.text, footer.right.size = "Side &P av &N", 8


# -- the cover and the checks ---------------------------------------------------------------

def _example_figure(accounts: AnnualAccounts) -> dict[str, str]:
    """The first printed figure of the first statement: the example the cover gives for ``explain``."""
    for layout in accounts.layouts:
        table = printed_lines(accounts.tables[layout.statement], layout, accounts.always_printed.get(layout.statement, ()))
        details = table[table["kind"] == "detail"]
        if not details.empty and layout.columns:
            column = next((c for c in layout.columns if int(details.iloc[0][c]) != 0), layout.columns[0])
            return {"statement": layout.statement, "line_id": str(details.iloc[0]["line_id"]), "column": column}
    return {"statement": "balanse", "line_id": "LINJE-ID", "column": "ub"}


def _write_cover(sheet: Worksheet, accounts: AnnualAccounts, names: dict[str, str], remarks: int) -> None:
    """The front page; ``remarks`` how many remarks the check sheet lists (warnings, missing figures and texts)."""
    agency = accounts.agency
    checks = accounts.checks
    ok = sum(c.status == "ok" for c in checks)
    failed = sum(c.status == "FAIL" for c in checks)
    write_text(sheet, 1, 1, f"Årsregnskap {accounts.year}").font = TITLE
    write_text(sheet, 2, 1, agency.get("name", "")).font = _font(bold=True, size=12)
    status = STATUS_TEXT.get(accounts.status, accounts.status)
    facts = [
        ("Virksomhet", agency.get("name", "")),
        ("Kortnavn", agency.get("short_name", "")),
        ("Departement", agency.get("department", "")),
        ("Regnskapsår", str(accounts.year)),
        ("Status", status),
        ("Generert", accounts.generated_at.isoformat()),
        ("Bøkenes hash (ledger audit)", accounts.books_hash),
        ("Kontroller", f"{ok} av {len(checks)} i orden, {failed} feil, {len(checks) - ok - failed} ikke kjørt "
                       f"(listet på arket {CHECKS})"),
        ("Merknader fra oppstillingene", f"{remarks or 'ingen'}" + (f" (listet på arket {CHECKS})" if remarks else "")),
    ]
    row = 4
    for key, value in facts:
        write_text(sheet, row, 1, key).font = BOLD
        cell = write_text(sheet, row, 2, value)
        cell.alignment = WRAP
        if key == "Status" and accounts.status != "closed" or key == "Kontroller" and failed:
            cell.font = RED
        row += 1
    if accounts.history:
        write_text(sheet, row, 1, "Årets status i bøkene").font = BOLD
        for event in accounts.history:
            what = {"closed": "avsluttet", "open": "gjenåpnet"}.get(event.status, event.status)
            cell = write_text(sheet, row, 2, f"{event.at[:19].replace('T', ' ')}: {what} – {event.reason}")
            cell.alignment = WRAP
            row += 1
    if accounts.locks:
        write_text(sheet, row, 1, "Månedslåser (rapportert til statsregnskapet)").font = BOLD
        for lock in accounts.locks:
            what = {"lock": "låst", "unlock": "låst opp"}.get(str(lock.get("action")), str(lock.get("action")))
            through = int(lock.get("locked_through") or 0)
            state = f"låst t.o.m. {accounts.year}-{through:02d}" if through else "ingen måned låst"
            reason = f" – {lock['reason']}" if lock.get("reason") else ""
            cell = write_text(sheet, row, 2, f"{str(lock.get('at', ''))[:19].replace('T', ' ')}: {what} "
                                             f"{accounts.year}-{int(lock.get('month') or 0):02d} ({state}){reason}")
            cell.alignment = WRAP
            row += 1
    row += 1
    hint = write_text(sheet, row, 1, EXPLAIN_HINT.format(aar=accounts.year, **_example_figure(accounts)))
    hint.alignment, hint.font = WRAP, _font(size=8, italic=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    sheet.row_dimensions[row].height = 4 * LINE_HEIGHT
    row += 2
    write_text(sheet, row, 1, "Innhold").font = BOLD
    row += 1
    for layout in accounts.layouts:
        write_text(sheet, row, 1, names[layout.statement]).font = _font(size=9)
        write_text(sheet, row, 2, layout.title).font = _font(size=9)
        write_text(sheet, row, 3, layout.statement).font = GREY
        row += 1
    write_text(sheet, row, 1, CHECKS).font = _font(size=9)
    write_text(sheet, row, 2, "Kontroller og merknader").font = _font(size=9)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 72
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["C"].hidden = True
    sheet.print_area = f"A1:B{row}"
    _print_setup(sheet, landscape=False, one_page=True)


def _write_checks(sheet: Worksheet, accounts: AnnualAccounts, missing: list[str]) -> None:
    """Every internal check in Norwegian terms, then the statements' warnings and missing figures."""
    checks = accounts.checks
    ok = sum(c.status == "ok" for c in checks)
    failed = sum(c.status == "FAIL" for c in checks)
    write_text(sheet, 1, 1, "Kontroller og merknader").font = TITLE
    write_text(sheet, 2, 1, f"Kontroller: {ok} i orden, {failed} feil, {len(checks) - ok - failed} ikke kjørt").font = BOLD
    row = 4
    labels = ["Kontroll", "Beskrivelse", "Status", "Venstre side", "Høyre side", "Differanse"]
    _write_header_row(sheet, row, tuple(labels), 3)
    row += 1
    for check in checks:
        write_text(sheet, row, 1, check.id).font = _font(size=8)
        text = accounts.check_texts.get(check.id.split("[")[0], check.description)
        cell = write_text(sheet, row, 2, text + (f" ({check.detail})" if check.detail else ""))
        cell.alignment, cell.font = WRAP, _font(size=8)
        status = write_text(sheet, row, 3, CHECK_STATUS.get(check.status, check.status))
        if check.status == "FAIL":
            status.font = RED
        for col, value in ((4, check.left), (5, check.right), (6, check.difference)):
            if value is not None:
                write_number(sheet, row, col, present(value), AMOUNT_FORMAT).font = _font(size=8)
        row += 1
    row += 1
    notes = [*accounts.warnings, *missing]
    write_text(sheet, row, 1, f"Merknader fra oppstillingene: {len(notes) or 'ingen'}").font = BOLD
    row += 1
    for text in notes:
        head, _, rest = text.partition(": ")
        write_text(sheet, row, 1, head).font = _font(size=8)
        cell = write_text(sheet, row, 2, rest)
        cell.alignment, cell.font = WRAP, _font(size=8)
        row += 1
    for col, width in zip("ABCDEF", (34, 70, 10, 16, 16, 12)):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A5"
    sheet.print_area = f"A1:F{row}"
    _print_setup(sheet, landscape=True, title_rows="4:4")
