"""Helpers for the cash-statement tests: a small YearData built from small tables.

The chart, layouts and maps are the packaged ones; the budget catalogue is small and
written here (its posts are the rows of the appropriation report and Notes A and B), so
every figure can be computed by hand.
"""

from __future__ import annotations

import io

import attrs
import pandas as pd

from ledger.reference.budget import BudgetCatalogue, BudgetPost, NoteBRules
from ledger.reference.bundle import load_reference
from ledger.statements.inputs import parse_appropriations, parse_comparatives
from ledger.statements.year_data import YearData

REFERENCE = load_reference()
CHART = REFERENCE.chart
MAPPINGS = REFERENCE.mappings
RULES = NoteBRules((1, 29), (24,), 5, 2, "lonnskompensasjon")

# statskonto: (side, post_group, kan_overfores, relation)
SMALL_POSTS = {
    "0670.01": ("expense", "drift", False, "own"),
    "0671.60": ("expense", "overforing", True, "own"),
    "0490.23": ("expense", "drift", False, "belastningsfullmakt"),
    "1633.01": ("expense", "drift", False, "felleskapittel"),
    "3670.01": ("income", "inntekt_drift", False, "own"),
    "5309.29": ("income", "inntekt_drift", False, "felleskapittel"),
    "5700.72": ("income", "inntekt_overforing", False, "felleskapittel"),
}

APPROPRIATIONS_HEADER = ("statskonto,overfort_fra_i_fjor,arets_tildelinger,lonnskompensasjon,forrige_ars_bevilgning,"
                         "mottatt_belastningsfullmakt,avgitt_belastningsfullmakt,merinntektsfullmakt_mot,"
                         "omdisponering,innsparinger\n")


def budget_post(statskonto: str, side: str, group: str, kan: bool, relation: str) -> BudgetPost:
    """A BudgetPost with placeholder texts."""
    chapter, post = statskonto.split(".")
    return BudgetPost(statskonto, chapter, post, f"kap. {chapter}", f"post {post}", side, group, kan, False, relation)


def catalogue(posts: dict = SMALL_POSTS, rules: NoteBRules = RULES, year: int = 2024) -> BudgetCatalogue:
    """A budget catalogue of ``posts`` (statskonto: (side, group, kan_overfores, relation))."""
    return BudgetCatalogue(year, tuple(budget_post(sk, *spec) for sk, spec in posts.items()), rules)


def kr(value: int | float) -> int:
    """Whole kroner → øre (ints only in the books)."""
    return int(round(value * 100))


def lines_frame(vouchers: list[tuple[str, str, list[tuple]]], year: int = 2024) -> pd.DataFrame:
    """Lines from (voucher, kind, [(account, kroner, statskonto?, artskonto?)...])."""
    rows = []
    for voucher, kind, lines in vouchers:
        for line in lines:
            account, amount = line[0], line[1]
            rows.append({"kind": kind, "voucher": voucher, "date": f"{year}-06-30", "year": year,
                         "account": account, "amount": kr(amount),
                         "statskonto": line[2] if len(line) > 2 else None,
                         "artskonto": line[3] if len(line) > 3 else None})
    frame = pd.DataFrame(rows, columns=["kind", "voucher", "date", "year", "account", "amount",
                                        "statskonto", "artskonto"])
    return frame.astype({"amount": "int64"})


def year_data(lines: pd.DataFrame, appropriations: str, comparatives: str | None = None,
              budget: BudgetCatalogue | None = None, layouts: dict | None = None, year: int = 2024) -> YearData:
    """A YearData of small tables (appropriations rows without the header, kroner)."""
    return YearData(
        year=year, lines=lines, reference=attrs.evolve(REFERENCE, layouts=layouts) if layouts else REFERENCE,
        budget=budget or catalogue(),
        appropriations=parse_appropriations((APPROPRIATIONS_HEADER + appropriations).encode()),
        agency={}, comparatives=parse_comparatives(comparatives.encode() if comparatives else None))


def figures(table: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Every (line_id, column) of an evaluated statement → presented øre."""
    columns = [c for c in table.columns if c not in ("line_id", "label", "kind", "note_ref")]
    return {(r["line_id"], c): int(r[c]) for _, r in table.iterrows() for c in columns}


def read_csv_text(text: str) -> pd.DataFrame:
    """A CSV string as a DataFrame of text."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
