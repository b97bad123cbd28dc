"""What every statement is computed from: the posted lines of a year and its inputs.

:class:`YearData` is built by :func:`ledger.year_data.load_year` from the books; the
statements in this package are pure functions of it.  The parsers here turn the
input documents (appropriations, agency facts, last year's comparatives) into
tables with amounts in int64 øre.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Mapping

import attrs
import pandas as pd

from ledger.chart import BudgetCatalogue, Chart, load_common_chapters, load_statskonto_lines
from ledger.layout import Layout, MappingRow
from ledger.money import parse_amounts

APPROPRIATION_AMOUNTS = (
    "overfort_fra_i_fjor", "arets_tildelinger", "lonnskompensasjon", "forrige_ars_bevilgning",
    "mottatt_belastningsfullmakt", "avgitt_belastningsfullmakt", "omdisponering", "innsparinger",
)


@attrs.frozen(eq=False)
class YearData:
    """The books of one year and its inputs, as the statements see them.

    ``lines``: the posted lines of the year (see :meth:`ledger.store.Books.lines`),
    ``amount`` int64 øre, debit positive.  Usually compacted
    (:meth:`ledger.store.Books.compact_lines`): only the vouchers touching the accounts
    of ``chart_of_accounts/whole_vouchers.csv`` are there line by line; other lines
    are summed (empty ``voucher``), so a statement may group by voucher only on those
    accounts.  ``appropriations``: one row per
    statskonto, amounts in øre.  ``comparatives``: last year's closed figures
    (``statement, line_id, column, amount, unit``; money in øre).  ``asset_groups``:
    the fixed-asset groups of notes 3 and 4 (:class:`ledger.chart.AssetGroup` by name).
    """

    year: int
    lines: pd.DataFrame
    chart: Chart
    budget: BudgetCatalogue | None
    layouts: Mapping[str, Layout]
    mappings: Mapping[str, tuple[MappingRow, ...]]
    appropriations: pd.DataFrame
    agency: Mapping[str, object]
    comparatives: pd.DataFrame
    # fixed-asset groups (``chart_of_accounts/asset_groups.csv``): name -> AssetGroup
    asset_groups: Mapping[str, object] = attrs.field(factory=dict)
    # common chapters with one Treasury account (``common_chapters.csv``): chapter -> account
    common_chapter_accounts: Mapping[str, str] = attrs.field(factory=load_common_chapters)
    # lines fed by a statskonto (``statskonto_lines.csv``): statement -> {statskonto: line_id}
    statskonto_lines: Mapping[str, Mapping[str, str]] = attrs.field(factory=load_statskonto_lines)


class InputError(ValueError):
    """An input document that cannot be read."""


def _kroner_columns_to_ore(frame: pd.DataFrame, columns) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        text = frame[column].fillna("").astype(str).str.strip().replace("", "0")
        ore, bad = parse_amounts(text)
        if bad.any():
            raise InputError(f"column {column}: not amounts: {list(text[bad])[:3]}")
        frame[column] = ore
    return frame


def parse_appropriations(content: bytes | None) -> pd.DataFrame:
    """``appropriations.csv`` → one row per statskonto, amount columns in øre."""
    if content is None:
        return pd.DataFrame(columns=["statskonto", *APPROPRIATION_AMOUNTS]).astype(
            {c: "int64" for c in APPROPRIATION_AMOUNTS})
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    # An empty forrige_ars_bevilgning means "not known", kept apart from 0.
    known_previous = frame["forrige_ars_bevilgning"].str.strip() != ""
    frame = _kroner_columns_to_ore(frame, APPROPRIATION_AMOUNTS)
    frame["forrige_ars_bevilgning_kjent"] = known_previous
    return frame


def parse_agency(content: bytes | None) -> dict[str, object]:
    """``agency.toml`` → a dict (name, year, employees, agreed_fte, performed_fte …)."""
    if content is None:
        return {}
    try:
        return tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"agency.toml: {exc}") from None


def parse_comparatives(content: bytes | None) -> pd.DataFrame:
    """``comparatives/<year>.csv`` → ``statement, line_id, column, amount, unit``.

    Money (``kr``, ``kr_1000``) is converted to øre; other units (``pct``, ``fte``,
    ``count``) are kept as printed, in hundredths, so that the column stays int64.
    """
    columns = ["statement", "line_id", "column", "amount", "unit"]
    if content is None:
        return pd.DataFrame(columns=columns).astype({"amount": "int64"})
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    frame = _kroner_columns_to_ore(frame, ["amount"])
    thousands = frame["unit"] == "kr_1000"
    frame.loc[thousands, "amount"] = frame.loc[thousands, "amount"] * 1000
    frame.loc[thousands, "unit"] = "kr"
    return frame[columns]
