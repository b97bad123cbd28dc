"""The input documents of a year (appropriations, agency facts, last year's comparatives).

The parsers turn the documents the books keep into tables with amounts in int64 øre
(:class:`~ledger.statements.year_data.YearData` holds them).  A document that cannot
be read raises :class:`InputError` naming the document, the row and the rule of every
problem found.
"""

from __future__ import annotations

import io
import tomllib

import pandas as pd

from ledger.books.setup import AGENCY as AGENCY_DOCUMENT
from ledger.books.setup import APPROPRIATIONS as APPROPRIATIONS_DOCUMENT
from ledger.books.setup import COMPARATIVES as COMPARATIVES_DOCUMENT
from ledger.core.money import parse_amounts
from ledger.core.problems import Problems, ProblemsError
from ledger.reference.layout import year_column, years_back
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
