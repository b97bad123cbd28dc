"""How the statements are printed: data beside the layouts, keyed by (statement, line_id).

The layouts say *what* a statement holds; these tables say how the printed workbook shows
it, so that it reads like the published accounts (R-115's templates, IMDi's chapter 6):

- ``layouts/print_headers.csv`` — ``statement,after_line,text_columns,labels,new_page,source``:
  the text columns left of the amounts (``label``, ``note``, ``kapittel``, ``kapittelnavn``,
  ``post``, ``posttekst``, ``konto``) and the labels of every printed column, text columns
  first.  A row with an empty ``after_line`` is the sheet's header; a row with a line id
  prints a second header after that line (the income part of the appropriation report);
  ``new_page`` ``yes`` on such a row starts a new page with it, where the publication does
  (optional column; empty: on the same page).
  A statement without a row prints ``label|note`` with the layout's column labels;
- ``layouts/print_lines.csv`` — ``statement,line_id,account,blank,fill,source``: ``account``
  the key of the agency's ``[capital_accounts]`` whose number is printed before the label
  (``60088701 Norges Bank KK /innbetalinger``), ``blank`` the ``|``-separated columns the
  publication leaves blank on the line (``*`` every column), ``fill`` what the line prints
  in its amount columns instead of figures (``useful_life``: each column's asset group's
  useful life from ``asset_groups.csv``);
- ``check_texts.csv`` (beside ``identities.csv``) — ``id,text,source``: each internal check's
  description in Norwegian, for the workbook's check sheet;
- ``layouts/footnotes.csv`` — ``statement,anchor,column,marker,placement,text,source``: a
  note's footnotes and fixed texts.  Where the ``marker`` goes: ``anchor`` a line, whose label
  gets it, or ``title`` (:data:`TITLE`), the statement's title; ``column`` (instead of an
  anchor) a column id, whose label gets it in every header of the sheet (note 7A's
  'Endring *'); neither: the text stands alone.  ``placement`` empty (below the table),
  ``after:LINE_ID`` or ``table:STATEMENT`` (:data:`TABLE`: the footnote is that statement's
  table, a specification printed as a sheet of its own, whose title gets the marker too;
  note 5's ¹ on *Husleie*); ``text`` with placeholders filled when the workbook is written
  (:data:`PLACEHOLDERS`).  A row without a text only marks (a second place of a footnote
  printed once, a ``table:`` footnote, or a marker the publication prints without a text):
  it needs a marker and an anchor or column.  The ``column`` column is optional (files
  written before it stay valid).

The agency's folder has the same ``print_lines.csv``, ``footnotes.csv`` and ``check_texts.csv`` (its own texts:
explanations of variances, *Forklaring til bruk av fullmakter*); a row of the agency with
the statement, anchor and marker of a state row replaces it (:func:`apply_agency_printing`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.tables import table_rows

TEXT_COLUMNS = ("label", "note", "kapittel", "kapittelnavn", "post", "posttekst", "konto")
"""The text columns a sheet may print left of its amounts."""
FILLS = ("useful_life",)
PLACEHOLDERS = {
    "aar": "the accounts' year (also aar-1, aar+1 …)",
    "virksomhet": "the agency's short name (agency.toml short_name)",
    "virksomhet_navn": "the agency's name",
    "belop:STATEMENT:LINE:COLUMN": "a computed figure in whole kroner (1 234 567)",
    "levetid:ASSET_GROUP": "an asset group's useful life (asset_groups.csv)",
    "note_b_sats": "Note B's rate for posts 01-29 (note_b_rules.csv), per cent",
    "note_b_ar": "the years of appropriation a «kan overføres» post may carry over (note_b_rules.csv)",
    "konto:ACCOUNTS": "the year's amount (debit +) on bookkeeping accounts (6421, 6421-6424, 6420|6425-6429), kroner",
    "konto_mill:ACCOUNTS": "the same in millions of kroner with two decimals (4,90)",
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)([+-]\d)?((?::[^{}:]+)*)\}")
_ARGS = {"aar": 0, "virksomhet": 0, "virksomhet_navn": 0, "belop": 3, "levetid": 1, "note_b_sats": 0, "note_b_ar": 0,
         "konto": 1, "konto_mill": 1}
_ACCOUNT_RANGE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
TITLE = "title"
"""The ``anchor`` of a footnote that marks the statement's title (``Note 12 Bankinnskudd … *``)."""
TABLE = "table:"
"""The ``placement`` prefix of a footnote that is another statement's table (``table:note_5_husleie``)."""


@attrs.frozen
class SheetHeader:
    """A header row of a printed statement: its text columns and every column's label."""

    statement: str
    after_line: str
    text_columns: tuple[str, ...]
    labels: tuple[str, ...]
    source: str = ""
    new_page: bool = False


@attrs.frozen
class PrintLine:
    """How one line prints: an account number before it, cells left blank, text instead of figures."""

    statement: str
    line_id: str
    account: str = ""
    blank: tuple[str, ...] = ()
    fill: str = ""
    source: str = ""


@attrs.frozen
class Footnote:
    """A footnote or fixed text of a statement; ``origin`` says whose it is (``state``, ``agency``,
    ``year``); ``column`` the column whose label gets the marker; ``file`` and ``row`` where it was read."""

    statement: str
    anchor: str
    marker: str
    placement: str
    text: str
    source: str = ""
    origin: str = "state"
    column: str = ""
    file: str = "footnotes.csv"
    row: int | None = None

    @property
    def table(self) -> str:
        """The statement whose table this footnote is (``placement`` ``table:STATEMENT``), or ''."""
        return self.placement.removeprefix(TABLE) if self.placement.startswith(TABLE) else ""

    @property
    def after(self) -> str:
        """The line this text is printed after (``placement`` ``after:LINE_ID``), or ''."""
        return self.placement.removeprefix("after:") if self.placement.startswith("after:") else ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What a text of the agency or the year replaces: statement, anchor, column and marker."""
        return self.statement, self.anchor, self.column, self.marker


@attrs.frozen
class Printing:
    """The print tables: headers by statement, print lines by (statement, line_id), footnotes by statement."""

    headers: Mapping[str, tuple[SheetHeader, ...]] = attrs.field(factory=dict)
    lines: Mapping[tuple[str, str], PrintLine] = attrs.field(factory=dict)
    footnotes: Mapping[str, tuple[Footnote, ...]] = attrs.field(factory=dict)
    check_texts: Mapping[str, str] = attrs.field(factory=dict)

    def line(self, statement: str, line_id: str) -> PrintLine:
        """The print line of (statement, line_id), or a plain one."""
        return self.lines.get((statement, line_id)) or PrintLine(statement, line_id)


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the placeholders of ``text`` (unknown names, wrong number of arguments,
    accounts that are not four-digit accounts or ranges)."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        name, args = match.group(1), [a for a in match.group(3).split(":") if a]
        if name not in _ARGS:
            found.append(f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
        elif len(args) != _ARGS[name]:
            found.append(f"{{{name}}} takes {_ARGS[name]} argument(s), got {len(args)}")
        elif name in ("konto", "konto_mill") and account_ranges(args[0]) is None:
            found.append(f"{match.group(0)}: accounts are four-digit accounts or ranges separated by '|' "
                         "(6421, 6421-6424, 6420|6425-6429)")
    return found


def account_ranges(text: str) -> tuple[tuple[str, str], ...] | None:
    """``6420|6425-6429`` → (('6420', '6420'), ('6425', '6429')); None if a part is not an account or range."""
    ranges = []
    for part in text.split("|"):
        match = _ACCOUNT_RANGE.match(part.strip())
        if match is None or (match.group(2) or match.group(1)) < match.group(1):
            return None
        ranges.append((match.group(1), match.group(2) or match.group(1)))
    return tuple(ranges)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip()) if text else ()


def read_headers(path: Path, problems: Problems, content: bytes | None = None) -> dict[str, tuple[SheetHeader, ...]]:
    """``print_headers.csv``: statement → its header rows, in file order."""
    found: dict[str, list[SheetHeader]] = {}
    for row_no, row in table_rows(path, content):
        columns = _split(row.get("text_columns", ""))
        unknown = [c for c in columns if c not in TEXT_COLUMNS]
        if unknown or not columns:
            problems.add(path, row_no, "text-columns", f"text_columns {unknown or columns} not in {TEXT_COLUMNS}")
            continue
        new_page = row.get("new_page", "")
        if new_page not in ("", "yes") or (new_page and not row.get("after_line")):
            problems.add(path, row_no, "new-page", f"new_page {new_page!r}: empty, or yes on a header printed "
                         "after a line (the sheet's own header begins the sheet)")
            continue
        found.setdefault(row["statement"], []).append(SheetHeader(
            row["statement"], row.get("after_line", ""), columns, tuple(row.get("labels", "").split("|")),
            row.get("source", ""), new_page == "yes"))
    return {k: tuple(v) for k, v in found.items()}


def read_print_lines(path: Path, problems: Problems, content: bytes | None = None) -> dict[tuple[str, str], PrintLine]:
    """``print_lines.csv``: (statement, line_id) → how the line prints."""
    found: dict[tuple[str, str], PrintLine] = {}
    for row_no, row in table_rows(path, content):
        fill = row.get("fill", "")
        if fill and fill not in FILLS:
            problems.add(path, row_no, "fill", f"fill {fill!r} not in {FILLS}")
            continue
        if not row.get("source"):
            problems.add(path, row_no, "source", "say where the print practice comes from (column source)")
            continue
        key = (row["statement"], row["line_id"])
        found[key] = PrintLine(*key, row.get("account", ""), _split(row.get("blank", "")), fill, row["source"])
    return found


def read_footnotes(path: Path, problems: Problems, content: bytes | None = None,
                   origin: str = "state", keep_broken: bool = False) -> list[Footnote]:
    """``footnotes.csv``: the footnotes and fixed texts in file order, each row checked on its own
    (:func:`row_problems`); a broken row is left out unless ``keep_broken``."""
    notes = []
    for row_no, row in table_rows(path, content):
        note = Footnote(row.get("statement", ""), row.get("anchor", ""), row.get("marker", ""),
                        row.get("placement", ""), row.get("text", ""), row.get("source", ""), origin,
                        row.get("column", ""), str(path), row_no)
        broken = row_problems(note)
        for message in broken:
            problems.add(path, row_no, "footnote", message)
        if keep_broken or not broken:
            notes.append(note)
    return notes


def row_problems(note: Footnote) -> list[str]:
    """What is wrong with a footnote row on its own: placeholders, placement, where the marker goes,
    a text or a marker that stands for one, a source."""
    broken = placeholder_problems(note.text)
    if note.placement and not (note.after or note.table):
        broken.append(f"placement {note.placement!r} is neither empty, after:LINE_ID nor {TABLE}STATEMENT")
    if note.anchor and note.column:
        broken.append(f"a marker goes on a line or title (anchor {note.anchor!r}) or on a column label "
                      f"(column {note.column!r}), not both")
    marks = bool(note.marker and (note.anchor or note.column))
    if note.table and not marks:
        broken.append(f"a {TABLE}STATEMENT footnote needs a marker and an anchor or column")
    if not note.text and not marks:
        broken.append("empty text: a row without a text only marks, so it needs a marker and an anchor or column")
    if not note.source:
        broken.append("say where the text comes from (column source)")
    return broken


def footnote_problems(note: Footnote, layouts: Mapping[str, object]) -> list[tuple[str, str]]:
    """``(rule, message)`` of what ``note`` names that ``layouts`` lack: its statement, the line of its
    anchor or placement (not checked on a statement whose lines are made for the year, like the
    appropriation report's posts), the column of its marker, the statement of its ``table:``."""
    layout = layouts.get(note.statement)
    if layout is None:
        return [("statement-unknown", f"no statement {note.statement!r}")]
    found = []
    open_rows = any(line.kind == "rows" for line in layout.lines)
    anchor = "" if note.anchor == TITLE else note.anchor
    for line_id in filter(None, (anchor, note.after)):
        if line_id not in layout.line_ids and not open_rows:
            found.append(("line-unknown", f"{note.statement} has no line {line_id!r}"))
    if note.column and note.column not in layout.columns:
        found.append(("column-unknown", f"{note.statement} has no column {note.column!r} "
                                        f"(its columns: {', '.join(layout.columns)})"))
    if note.table and note.table not in layouts:
        found.append(("statement-unknown", f"{note.placement}: no statement {note.table!r}"))
    return found


def group_footnotes(notes: list[Footnote]) -> dict[str, tuple[Footnote, ...]]:
    """Footnotes by statement, in order."""
    found: dict[str, list[Footnote]] = {}
    for note in notes:
        found.setdefault(note.statement, []).append(note)
    return {k: tuple(v) for k, v in found.items()}


def load_printing(folder: Path, problems: Problems) -> Printing:
    """The state's print tables in ``folder/layouts`` (a missing table is empty)."""
    layouts = folder / "layouts"
    headers = read_headers(layouts / "print_headers.csv", problems) if (layouts / "print_headers.csv").exists() else {}
    lines = read_print_lines(layouts / "print_lines.csv", problems) if (layouts / "print_lines.csv").exists() else {}
    notes = read_footnotes(layouts / "footnotes.csv", problems) if (layouts / "footnotes.csv").exists() else []
    texts = read_check_texts(folder / "check_texts.csv") if (folder / "check_texts.csv").exists() else {}
    return Printing(headers, lines, group_footnotes(notes), texts)


def read_check_texts(path: Path, content: bytes | None = None) -> dict[str, str]:
    """``check_texts.csv`` (``id,text,source``): an identity's description in Norwegian, for the check sheet."""
    return {row["id"]: row["text"] for _, row in table_rows(path, content) if row.get("text")}


def apply_agency_printing(printing: Printing, files: Mapping[str, bytes], problems: Problems) -> Printing:
    """The state's print tables with the agency's ``print_lines.csv`` and ``footnotes.csv`` applied."""
    lines = dict(printing.lines)
    if "print_lines.csv" in files:
        lines.update(read_print_lines(Path("print_lines.csv"), problems, files["print_lines.csv"]))
    notes = [n for group in printing.footnotes.values() for n in group]
    if "footnotes.csv" in files:
        notes = _over(notes, read_footnotes(Path("footnotes.csv"), problems, files["footnotes.csv"], origin="agency"))
    texts = dict(printing.check_texts)
    if "check_texts.csv" in files:
        texts.update(read_check_texts(Path("check_texts.csv"), files["check_texts.csv"]))
    return Printing(printing.headers, lines, group_footnotes(notes), texts)


def _over(notes: list[Footnote], own: list[Footnote]) -> list[Footnote]:
    """``own`` added to ``notes``; one with a note's statement, anchor, column and marker replaces it."""
    keys = {n.key for n in own if n.anchor or n.column or n.marker}
    return [n for n in notes if n.key not in keys] + own


def apply_year_footnotes(printing: Printing, content: bytes | None, problems: Problems) -> Printing:
    """``printing`` with the year's own ``footnotes.csv`` (a document of the year's inputs) applied
    over the state's and the agency's texts, as the agency's are over the state's."""
    if content is None:
        return printing
    notes = [n for group in printing.footnotes.values() for n in group]
    own = read_footnotes(Path("footnotes.csv"), problems, content, origin="year")
    return attrs.evolve(printing, footnotes=group_footnotes(_over(notes, own)))


def check_printing(printing: Printing, layouts: Mapping[str, object], problems: Problems) -> None:
    """Every statement named is a layout; every fixed line id is a line of it (lines made for the
    year, like the appropriation report's posts, cannot be checked before the year); every
    footnote's anchor, column and table known (:func:`footnote_problems`)."""
    def known(statement: str, line_id: str) -> bool:
        layout = layouts.get(statement)
        return layout is not None and (line_id in layout.line_ids
                                       or any(line.kind == "rows" for line in layout.lines))
    for (statement, line_id), line in printing.lines.items():
        if not known(statement, line_id):
            problems.add("print_lines.csv", None, "line-unknown", f"{statement} has no line {line_id!r}")
    for notes in printing.footnotes.values():
        for note in notes:
            for rule, message in footnote_problems(note, layouts):
                problems.add(note.file, note.row, rule, message)
    for statement, headers in printing.headers.items():
        for header in headers:
            if statement not in layouts:
                problems.add("print_headers.csv", None, "statement-unknown", f"no statement {statement!r}")
            elif len(header.labels) != len(header.text_columns) + len(layouts[statement].columns):
                problems.add("print_headers.csv", None, "labels",
                             f"{statement}: {len(header.labels)} labels for {len(header.text_columns)} text and "
                             f"{len(layouts[statement].columns)} amount columns")

