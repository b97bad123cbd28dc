"""How the statements are printed: data beside the layouts, keyed by (statement, line_id).

The layouts say *what* a statement holds; these tables say how the printed workbook shows
it, so that it reads like the published accounts (R-115's templates, IMDi's chapter 6):

- ``layouts/print_headers.csv`` — ``statement,after_line,text_columns,labels,source``: the
  text columns left of the amounts (``label``, ``note``, ``kapittel``, ``kapittelnavn``,
  ``post``, ``posttekst``, ``konto``) and the labels of every printed column, text columns
  first.  A row with an empty ``after_line`` is the sheet's header; a row with a line id
  prints a second header after that line (the income part of the appropriation report).
  A statement without a row prints ``label|note`` with the layout's column labels;
- ``layouts/print_lines.csv`` — ``statement,line_id,account,blank,fill,source``: ``account``
  the key of the agency's ``[capital_accounts]`` whose number is printed before the label
  (``60088701 Norges Bank KK /innbetalinger``), ``blank`` the ``|``-separated columns the
  publication leaves blank on the line (``*`` every column), ``fill`` what the line prints
  in its amount columns instead of figures (``useful_life``: each column's asset group's
  useful life from ``asset_groups.csv``);
- ``check_texts.csv`` (beside ``identities.csv``) — ``id,text,source``: each internal check's
  description in Norwegian, for the workbook's check sheet;
- ``layouts/footnotes.csv`` — ``statement,anchor,marker,placement,text,source``: a note's
  footnotes and fixed texts.  ``anchor`` the line whose label gets ``marker`` (empty: the
  text stands alone); ``placement`` empty (below the table) or ``after:LINE_ID``; ``text``
  with placeholders filled when the workbook is written (:data:`PLACEHOLDERS`).

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
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)([+-]\d)?((?::[^{}:]+)*)\}")
_ARGS = {"aar": 0, "virksomhet": 0, "virksomhet_navn": 0, "belop": 3, "levetid": 1, "note_b_sats": 0, "note_b_ar": 0}


@attrs.frozen
class SheetHeader:
    """A header row of a printed statement: its text columns and every column's label."""

    statement: str
    after_line: str
    text_columns: tuple[str, ...]
    labels: tuple[str, ...]
    source: str = ""


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
    """A footnote or fixed text of a statement; ``origin`` says whose it is (``state``, ``agency``)."""

    statement: str
    anchor: str
    marker: str
    placement: str
    text: str
    source: str = ""
    origin: str = "state"


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
    """What is wrong with the placeholders of ``text`` (unknown names, wrong number of arguments)."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        name, args = match.group(1), [a for a in match.group(3).split(":") if a]
        if name not in _ARGS:
            found.append(f"unknown placeholder {{{name}}} (known: {', '.join(PLACEHOLDERS)})")
        elif len(args) != _ARGS[name]:
            found.append(f"{{{name}}} takes {_ARGS[name]} argument(s), got {len(args)}")
    return found


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
        found.setdefault(row["statement"], []).append(SheetHeader(
            row["statement"], row.get("after_line", ""), columns, tuple(row.get("labels", "").split("|")),
            row.get("source", "")))
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
                   origin: str = "state") -> list[Footnote]:
    """``footnotes.csv``: the footnotes and fixed texts in file order (placeholders checked)."""
    notes = []
    for row_no, row in table_rows(path, content):
        text = row.get("text", "")
        placement = row.get("placement", "")
        broken = placeholder_problems(text)
        if not text:
            broken.append("empty text")
        if placement and not placement.startswith("after:"):
            broken.append(f"placement {placement!r} is neither empty nor after:LINE_ID")
        if not row.get("source"):
            broken.append("say where the text comes from (column source)")
        for message in broken:
            problems.add(path, row_no, "footnote", message)
        if not broken:
            notes.append(Footnote(row["statement"], row.get("anchor", ""), row.get("marker", ""), placement, text,
                                  row["source"], origin))
    return notes


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
    """``own`` added to ``notes``; one with a note's statement, anchor and marker replaces it."""
    keys = {(n.statement, n.anchor, n.marker) for n in own if n.anchor or n.marker}
    return [n for n in notes if (n.statement, n.anchor, n.marker) not in keys] + own


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
    year, like the appropriation report's posts, cannot be checked before the year)."""
    def known(statement: str, line_id: str) -> bool:
        layout = layouts.get(statement)
        return layout is not None and (line_id in layout.line_ids
                                       or any(line.kind == "rows" for line in layout.lines))
    for (statement, line_id), line in printing.lines.items():
        if not known(statement, line_id):
            problems.add("print_lines.csv", None, "line-unknown", f"{statement} has no line {line_id!r}")
    for statement, notes in printing.footnotes.items():
        for note in notes:
            for line_id in filter(None, (note.anchor, note.placement.removeprefix("after:"))):
                if not known(statement, line_id):
                    problems.add("footnotes.csv", None, "line-unknown", f"{statement} has no line {line_id!r}")
    for statement, headers in printing.headers.items():
        for header in headers:
            if statement not in layouts:
                problems.add("print_headers.csv", None, "statement-unknown", f"no statement {statement!r}")
            elif len(header.labels) != len(header.text_columns) + len(layouts[statement].columns):
                problems.add("print_headers.csv", None, "labels",
                             f"{statement}: {len(header.labels)} labels for {len(header.text_columns)} text and "
                             f"{len(layouts[statement].columns)} amount columns")

