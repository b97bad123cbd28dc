"""The input documents of a year (appropriations, agency facts, last year's comparatives).

The parsers turn the documents the books keep into tables with amounts in int64 øre
(:class:`~ledger.statements.year_data.YearData` holds them).  A document that cannot
be read raises :class:`InputError` naming the document, the row and the rule of every
problem found.
"""

from __future__ import annotations

import difflib
import io
import re
import tomllib
from collections.abc import Mapping

from pathlib import Path

import attrs
import pandas as pd

from ledger.books.documents import AGENCY as AGENCY_DOCUMENT
from ledger.books.documents import APPROPRIATIONS as APPROPRIATIONS_DOCUMENT
from ledger.books.documents import BUDGET, REQUIRED
from ledger.books.documents import COMPARATIVES as COMPARATIVES_DOCUMENT
from ledger.books.documents import FOOTNOTES as FOOTNOTES_DOCUMENT
from ledger.core.money import parse_amounts
from ledger.core.problems import Problems, ProblemsError
from ledger.core.units import UNITS
from ledger.reference.budget import BudgetCatalogue, parse_budget
from ledger.reference.layout import year_column, years_back
from ledger.reference.rules import AGENCY_FIGURES
from ledger.reference.tables import ChartError, header_of, read_text_table
APPROPRIATION_AMOUNTS = (
    "overfort_fra_i_fjor", "arets_tildelinger", "lonnskompensasjon", "forrige_ars_bevilgning",
    "mottatt_belastningsfullmakt", "avgitt_belastningsfullmakt", "omdisponering", "innsparinger",
)
COMPARATIVE_COLUMNS = ("statement", "line_id", "column", "amount", "unit")


class InputError(ProblemsError):
    """An input document that cannot be read: every problem with document, row and rule."""


def _read_csv(content: bytes, document: str, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise InputError([_problem(document, None, "csv", f"not a readable CSV file: {exc}")]) from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError([_problem(document, 1, "header", f"missing column(s): {', '.join(missing)}")])
    return frame


def _problem(document: str, row: int | None, rule: str, message: str):
    problems = Problems()
    problems.add(document, row, rule, message)
    return problems.found[0]


def _kroner_columns_to_ore(frame: pd.DataFrame, columns, document: str) -> pd.DataFrame:
    frame = frame.copy()
    problems = Problems()
    for column in columns:
        text = frame[column].fillna("").astype(str).str.strip().replace("", "0")
        ore, bad = parse_amounts(text)
        for index in bad[bad].index:
            # the header is line 1, so row i of the frame is line i + 2 of the file
            problems.add(document, int(index) + 2, "amount",
                         f"{column}: not an amount with at most two decimals: {text[index]!r}")
        frame[column] = ore
    problems.raise_if_any(InputError)
    return frame


def _shifted(columns: pd.Series, document: str) -> pd.Series:
    """Last year's column ids as this year's: ``aar-k`` → ``aar-(k+1)``."""
    problems = Problems()
    shifted = []
    for index, column in columns.items():
        back = years_back(str(column))
        if back is None:
            problems.add(document, int(index) + 2, "column", f"{column!r} is not a year column (aar, aar-1 …)")
            back = 0
        shifted.append(year_column(back + 1))
    problems.raise_if_any(InputError)
    return pd.Series(shifted, index=columns.index, dtype=object)


def parse_appropriations(content: bytes | None, document: str = APPROPRIATIONS_DOCUMENT) -> pd.DataFrame:
    """``appropriations.csv`` → one row per statskonto, amount columns in øre."""
    if content is None:
        return pd.DataFrame(columns=["statskonto", *APPROPRIATION_AMOUNTS]).astype(
            {c: "int64" for c in APPROPRIATION_AMOUNTS})
    frame = _read_csv(content, document, ("statskonto", *APPROPRIATION_AMOUNTS))
    # An empty forrige_ars_bevilgning means "not known", kept apart from 0.
    known_previous = frame["forrige_ars_bevilgning"].str.strip() != ""
    frame = _kroner_columns_to_ore(frame, APPROPRIATION_AMOUNTS, document)
    frame["forrige_ars_bevilgning_kjent"] = known_previous
    return frame


def parse_agency(content: bytes | None, document: str = AGENCY_DOCUMENT) -> dict[str, object]:
    """``agency.toml`` → a dict (name, year, employees, agreed_fte, performed_fte …)."""
    if content is None:
        return {}
    try:
        return tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError([_problem(document, getattr(exc, "lineno", None), "toml", str(exc))]) from None


def parse_comparatives(content: bytes | None, document: str = COMPARATIVES_DOCUMENT) -> pd.DataFrame:
    """``comparatives.csv`` → ``statement, line_id, column, amount, unit`` in this year's column ids.

    The document holds last year's published figures with last year's own column ids
    (``aar`` = last year, ``aar-1`` = the year before …), as last year's accounts printed
    them; each is shifted one year back (``aar`` → ``aar-1``).  Other columns (``ub``,
    ``ib``, statement-specific ones) are not comparatives and are refused.  Money
    (``kr``, ``kr_1000``) is converted to øre; other units (``pct``, ``fte``, ``count``)
    are kept as printed, in hundredths, so that the column stays int64.
    """
    columns = list(COMPARATIVE_COLUMNS)
    if content is None:
        return pd.DataFrame(columns=columns).astype({"amount": "int64"})
    frame = _read_csv(content, document, COMPARATIVE_COLUMNS)
    frame = _kroner_columns_to_ore(frame, ["amount"], document)
    frame["column"] = _shifted(frame["column"], document)
    thousands = frame["unit"] == "kr_1000"
    frame.loc[thousands, "amount"] = frame.loc[thousands, "amount"] * 1000
    frame.loc[thousands, "unit"] = "kr"
    return frame[columns]


# -- a year folder, checked whole --------------------------------------------------

AGENCY_KEYS = {
    "name": str, "short_name": str, "org_number": str, "department": str, "budgeting": str, "year": int,
    "employees": (int, float), "agreed_fte": (int, float), "performed_fte": (int, float),
    "srs": dict, "projects": dict, "capital_accounts": dict, "texts": dict,
}
"""The keys of ``agency.toml`` and their TOML types (tables for the agency's options and texts)."""
_WHOLE_KRONER = re.compile(r"^-?\d+$")
_STATSKONTO = re.compile(r"^\d{4}\.\d{2}$")


@attrs.frozen(eq=False)
class YearInputs:
    """A year's input documents, read and checked: the catalogue, appropriations, agency facts, comparatives."""

    budget: BudgetCatalogue
    appropriations: pd.DataFrame
    agency: dict[str, object]
    comparatives: pd.DataFrame


def read_year_inputs(files: Mapping[str, bytes], year: int, post_groups, note_b_rules,
                     layouts: Mapping[str, object]) -> YearInputs:
    """Check a year folder's documents whole and read them; :class:`InputError` lists every problem.

    ``files`` maps document names (``budget.csv`` …) to their content.  Checked: the
    required documents are there; the catalogue's rows (format, post group, flags); the
    appropriations' columns, whole-kroner amounts and statskontoer (each in the
    catalogue, once); the agency facts' keys and types (and the organisation number's
    check digit); the comparatives' columns, statements, lines and amounts.
    """
    problems = Problems()
    for name in REQUIRED:
        if name not in files:
            problems.add(name, None, "missing-file", f"the year folder has no {name}")
    budget = None
    if BUDGET in files:
        try:
            budget = parse_budget(files[BUDGET], BUDGET, year, post_groups, note_b_rules)
        except ChartError as exc:
            problems.extend(exc.problems)
    if APPROPRIATIONS_DOCUMENT in files:
        problems.extend(check_appropriations(files[APPROPRIATIONS_DOCUMENT], budget))
    if AGENCY_DOCUMENT in files:
        problems.extend(check_agency(files[AGENCY_DOCUMENT], year))
    if COMPARATIVES_DOCUMENT in files:
        problems.extend(check_comparatives(files[COMPARATIVES_DOCUMENT], layouts))
    if FOOTNOTES_DOCUMENT in files:
        problems.extend(check_footnotes(files[FOOTNOTES_DOCUMENT], layouts))
    problems.raise_if_any(InputError)
    return YearInputs(budget, parse_appropriations(files[APPROPRIATIONS_DOCUMENT]),
                      parse_agency(files[AGENCY_DOCUMENT]), parse_comparatives(files.get(COMPARATIVES_DOCUMENT)))


def _table(content: bytes, name: str, required: tuple[str, ...], problems: Problems) -> list[tuple[int, dict]]:
    """The rows of a document, or none when a required column is missing (each one a problem)."""
    try:
        columns = header_of(content)
        missing = [c for c in required if c not in columns]
        for column in missing:
            problems.add(name, 1, "header", f"missing column {column!r}")
        return [] if missing else list(read_text_table(content, name))
    except ChartError as exc:
        problems.extend(exc.problems)
        return []


def check_appropriations(content: bytes, budget: BudgetCatalogue | None) -> list:
    """The problems of an appropriations document (against the year's catalogue, if it could be read)."""
    problems = Problems()
    name = APPROPRIATIONS_DOCUMENT
    required = ("statskonto", *APPROPRIATION_AMOUNTS, "merinntektsfullmakt_mot")
    seen: dict[str, int] = {}
    for line, row in _table(content, name, required, problems):
        statskonto = row["statskonto"]
        if not _STATSKONTO.match(statskonto):
            problems.add(name, line, "statskonto-format", f"{statskonto!r} is not KKKK.PP")
            continue
        if statskonto in seen:
            problems.add(name, line, "statskonto-duplicate", f"{statskonto} is already on line {seen[statskonto]}")
        seen[statskonto] = line
        for column in APPROPRIATION_AMOUNTS:
            value = row[column]
            if value and not _WHOLE_KRONER.match(value):
                problems.add(name, line, "amount-integer", f"{column}: {value!r} is not a whole number of kroner")
        post = budget.get(statskonto) if budget is not None else None
        if budget is not None and post is None:
            problems.add(name, line, "statskonto-not-in-budget", f"{statskonto} is not in the year's budget.csv")
        linked = row["merinntektsfullmakt_mot"]
        if linked and budget is not None and (budget.get(linked) is None or budget.get(linked).side != "income"):
            problems.add(name, line, "merinntekt-post", f"merinntektsfullmakt_mot {linked!r} is no income post "
                         "of the year's budget.csv")
        allotted = any(row[c] not in ("", "0") for c in ("overfort_fra_i_fjor", "arets_tildelinger"))
        if post is not None and post.relation != "own" and allotted:
            problems.add(name, line, "allotment-not-own", f"{statskonto} is a {post.relation} post; only the "
                         "agency's own posts are allotted")
    return problems.found


def _mod11(number: str) -> bool:
    """The MOD11 check digit of a Norwegian organisation number (weights 3 2 7 6 5 4 3 2)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(number, weights)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


def check_agency(content: bytes, year: int) -> list:
    """The problems of an agency facts document (``agency.toml``)."""
    problems = Problems()
    name = AGENCY_DOCUMENT
    try:
        facts = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.add(name, getattr(exc, "lineno", None), "toml", str(exc))
        return problems.found
    for key, value in facts.items():
        if key not in AGENCY_KEYS:
            close = difflib.get_close_matches(key, AGENCY_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.add(name, None, "agency-key", f"unknown key {key!r}{hint}")
        elif not isinstance(value, AGENCY_KEYS[key]) or isinstance(value, bool):
            problems.add(name, None, "agency-type", f"{key} = {value!r} is not a {AGENCY_KEYS[key]}")
    number = str(facts.get("org_number", "")).replace(" ", "")
    if number and not (len(number) == 9 and number.isdigit() and _mod11(number)):
        problems.add(name, None, "org-number", f"org_number {facts['org_number']!r} is not a valid organisation "
                     "number (nine digits, MOD11 check digit)")
    if "year" in facts and facts["year"] != year:
        problems.add(name, None, "agency-year", f"year = {facts['year']} in the inputs of {year}")
    for key in AGENCY_FIGURES:
        if isinstance(facts.get(key), (int, float)) and facts[key] < 0:
            problems.add(name, None, "agency-negative", f"{key} = {facts[key]} is negative")
    return problems.found


def check_comparatives(content: bytes, layouts: Mapping[str, object]) -> list:
    """The problems of a comparatives document (last year's figures, last year's column ids)."""
    problems = Problems()
    name = COMPARATIVES_DOCUMENT
    for line, row in _table(content, name, COMPARATIVE_COLUMNS, problems):
        layout = layouts.get(row["statement"])
        if layout is None:
            problems.add(name, line, "statement-unknown", f"no statement {row['statement']!r}")
            continue
        if row["line_id"] not in layout.line_ids:
            problems.add(name, line, "line-unknown", f"{row['statement']} has no line {row['line_id']!r}")
        back = years_back(row["column"])
        if back is None or year_column(back + 1) not in layout.columns:
            problems.add(name, line, "column", f"{row['column']!r}: {row['statement']} has no such prior-year column")
        if not _WHOLE_KRONER.match(row["amount"].replace(" ", "")):
            problems.add(name, line, "amount-integer", f"{row['amount']!r} is not a whole number")
        if row["unit"] not in UNITS:
            problems.add(name, line, "unit", f"unit {row['unit']!r} not in {UNITS}")
    return problems.found


FOOTNOTE_COLUMNS = ("statement", "anchor", "marker", "placement", "text", "source")


def check_footnotes(content: bytes, layouts: Mapping[str, object]) -> list:
    """The problems of the year's ``footnotes.csv`` (the agency's texts of this year): the columns
    and placeholders of the agency folder's file, each statement, line, column and table known."""
    from ledger.reference.printing import footnote_problems, read_footnotes

    problems = Problems()
    name = FOOTNOTES_DOCUMENT
    _table(content, name, FOOTNOTE_COLUMNS, problems)
    if problems.found:
        return problems.found
    for note in read_footnotes(Path(name), problems, content, origin="year", keep_broken=True):
        for rule, message in footnote_problems(note, layouts):
            problems.add(name, note.row, rule, message)
    return problems.found
