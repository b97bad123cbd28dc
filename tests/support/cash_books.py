"""Helpers for the cash-statement tests: a small YearData built from small tables.

The chart, the artskonto/mellomværende layouts and maps are the packaged ones; the
budget catalogue and the statskonto layouts (bevilgning, notes A and B) are small and
written here, so every figure can be computed by hand.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import attrs
import pandas as pd

from ledger.reference.budget import BudgetCatalogue, BudgetPost, NoteBRules
from ledger.reference.bundle import load_reference
from ledger.reference.layout import read_layout
from ledger.statements.inputs import parse_appropriations, parse_comparatives
from ledger.statements.year_data import YearData

REFERENCE = load_reference()
CHART = REFERENCE.chart
PACKAGED_LAYOUTS = REFERENCE.layouts
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

BEVILGNING_CSV = """line_id,label,kind,sum_of,sign,note_ref,seed_line
0670.01,Driftsutgifter,detail,,1,"A, B",
0671.60,Integreringstilskudd,detail,,1,"A, B",
0490.23,Spesielle driftsutgifter,detail,,1,A,
1633.01,Driftsutgifter,detail,,1,A,
sum_utgiftsfort,Sum utgiftsført,sum,0670.01+0671.60+0490.23+1633.01,1,,
3670.01,Diverse inntekter,detail,,-1,,
5309.29,Ymse,detail,,-1,,
5700.72,Arbeidsgiveravgift,detail,,-1,,
sum_inntektsfort,Sum inntektsført,sum,3670.01+5309.29+5700.72,1,,
netto_rapportert,Netto rapportert til bevilgningsregnskapet,sum,sum_utgiftsfort-sum_inntektsfort,1,,
kapitalkontoer,Kapitalkontoer,heading,,1,,
60088701,Norges Bank KK /innbetalinger,detail,,1,,
60088702,Norges Bank KK/utbetalinger,detail,,1,,
705005,Endring i mellomværende med statskassen,detail,,1,,
sum_rapportert,Sum rapportert,sum,netto_rapportert+60088701+60088702+705005,1,,
"""
NOTE_A_CSV = """line_id,label,kind,sum_of,sign,note_ref,seed_line
0670.01,0670 01,detail,,1,,
0671.60,0671 60,detail,,1,,
"""
NOTE_B_CSV = '''line_id,label,kind,sum_of,sign,note_ref,seed_line
0670.01,0670 01,detail,,1,,
0671.60,"0671 60 ""kan overføres""",detail,,1,,
'''
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


def small_layouts(bevilgning: str = BEVILGNING_CSV, note_a: str = NOTE_A_CSV, note_b: str = NOTE_B_CSV) -> dict:
    """The packaged layouts with bevilgning and notes A and B replaced by small ones."""
    layouts = dict(PACKAGED_LAYOUTS)
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("bevilgning", bevilgning), ("note_a", note_a), ("note_b", note_b)):
            path = Path(folder) / f"{name}.csv"
            path.write_text(text, encoding="utf-8")
            packaged = PACKAGED_LAYOUTS[name]
            layouts[name] = read_layout(path, name, packaged.title, packaged.columns, packaged.column_labels,
                                        order=packaged.order)
    return layouts


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
        year=year, lines=lines, reference=attrs.evolve(REFERENCE, layouts=layouts or small_layouts()),
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
