"""Small hand-built books and stand-in statements for the export/verify/explain tests.

The stand-in statements compute every layout generically (account mappings via
``ledger.layout.aggregate``; the appropriation report by statskonto), so the tests
do not depend on the real statement modules, which other work supplies.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ledger import books_setup
from ledger.journal import parse_journal
from ledger.layout import aggregate, evaluate
from ledger.store import Books
from ledger.year_data import AGENCY, APPROPRIATIONS

OPENING = """date,voucher,account,amount,statskonto,artskonto,text
2024-01-01,IB2024,1040,1000.00,,,Inngående balanse
2024-01-01,IB2024,1990,-1000.00,,,Inngående balanse
"""
JOURNAL = """date,voucher,account,amount,statskonto,artskonto,text
2024-01-25,L1,5000,1000.00,0670.01,,Lønn januar
2024-01-25,L1,1940,-700.00,,,Lønn januar
2024-01-25,L1,2600,-300.00,,,Forskuddstrekk januar
2024-01-25,A1,5400,141.00,0670.01,,Arbeidsgiveravgift januar
2024-01-25,A1,1986,-141.00,5700.72,,Arbeidsgiveravgift januar
2024-02-20,F1,6730,100.00,,,"=HYPERLINK(""http://x"",""y"")"
2024-02-20,F1,1987,25.00,,,Konsulent faktura 1001
2024-02-20,F1,2400,-125.00,,,Konsulent faktura 1001
2024-03-05,B1,2400,100.00,0670.01,673,Betalt faktura 1001
2024-03-05,B1,2400,25.00,1633.01,,Betalt faktura 1001 mva
2024-03-05,B1,1940,-125.00,,,Betalt faktura 1001
2024-03-10,T1,8700,"1 000,50",0671.60,,Integreringstilskudd
2024-03-10,T1,8480,-50.00,5309.29,,Tilbakebetalt tilskudd motregnet
2024-03-10,T1,1940,-950.50,,,Integreringstilskudd
"""
EXTRA = """date,voucher,account,amount,statskonto,artskonto,text
2024-06-01,X1,5000,2500.00,0670.01,,Ekstra lønn
2024-06-01,X1,1940,-2500.00,,,Ekstra lønn
"""
APPROPRIATIONS_CSV = """statskonto,overfort_fra_i_fjor,arets_tildelinger,lonnskompensasjon,forrige_ars_bevilgning,mottatt_belastningsfullmakt,avgitt_belastningsfullmakt,merinntektsfullmakt_mot,omdisponering,innsparinger,source
0670.01,100,5000,0,,0,0,,0,0,test
0671.60,0,2000,0,,0,0,,0,0,test
"""
AGENCY_TOML = '''name = "=HYPERLINK(\\"http://x\\",\\"y\\")"
short_name = "TEST"
department = "+Testdepartementet"
'''
_STATSKONTO = re.compile(r"^\d{4}\.\d{2}$")


def post(books: Books, text: str, source: str, kind: str = "journal") -> None:
    """Post journal text (assert it is clean)."""
    batch, violations = parse_journal(text.encode(), source=source, kind=kind)
    assert not violations, violations
    books.post(batch)


def make_books(path: Path, extra: bool = False) -> Path:
    """Books with the packaged chart, a small 2024 journal and its input documents."""
    with books_setup.create_books(path) as books:
        books.add_document(2024, APPROPRIATIONS, APPROPRIATIONS_CSV.encode())
        books.add_document(2024, AGENCY, AGENCY_TOML.encode())
        post(books, OPENING, "opening.csv", kind="opening")
        post(books, JOURNAL, "journal.csv")
        if extra:
            post(books, EXTRA, "extra.csv")
    return path


def _bevilgning(data, layout) -> dict:
    amounts, lines = {}, data.lines
    approp = data.appropriations.set_index("statskonto")
    for line in layout.lines:
        if line.kind != "detail":
            continue
        if _STATSKONTO.match(line.line_id):
            amounts[(line.line_id, "regnskap")] = int(lines.loc[lines["statskonto"] == line.line_id, "amount"].sum())
            if line.line_id in approp.index and "samlet_tildeling" in layout.columns:
                row = approp.loc[line.line_id]
                samlet = int(row["overfort_fra_i_fjor"] + row["arets_tildelinger"])
                amounts[(line.line_id, "samlet_tildeling")] = samlet
                amounts[(line.line_id, "avvik")] = samlet - amounts[(line.line_id, "regnskap")]
    return {k: v for k, v in amounts.items() if k[1] in layout.columns}


def generic_statement(name: str):
    """A stand-in statement: mapped accounts per column, statskontoer for the appropriation report."""
    def compute(data) -> pd.DataFrame:
        layout = data.layouts[name]
        lines = data.lines
        if name == "artskonto":
            reported = lines.loc[lines["statskonto"].notna() & (lines["statskonto"] != "")]
            default = reported["account"].map(lambda c: data.chart.accounts[c].skp)
            lines = reported.assign(account=reported["artskonto"].fillna(default))
        amounts: dict = {}
        rows = data.mappings.get(name, ())
        for column in layout.columns:
            if column.isdigit() and int(column) < data.year:
                continue
            selected = lines.loc[lines["kind"] == "opening"] if column.endswith("-01-01") else lines
            if rows:
                amounts.update(aggregate(selected[["account", "amount"]], rows, column))
        if name == "bevilgning":
            amounts.update(_bevilgning(data, layout))
        return evaluate(layout, amounts)
    return compute


def fake_statements(layouts) -> dict:
    """A stand-in for every layout."""
    return {name: generic_statement(name) for name in layouts}


def write_published(tables: dict, layouts, folder: Path, statements=("bevilgning", "resultat", "note_2")) -> Path:
    """Published CSVs (whole kroner) made from computed tables, as a publication would print them."""
    from ledger.money import to_kroner

    folder.mkdir(parents=True, exist_ok=True)
    for name in statements:
        rows = []
        for line in tables[name].itertuples(index=False):
            if line.kind == "heading":
                continue
            for column in layouts[name].columns:
                value = int(tables[name].loc[tables[name]["line_id"] == line.line_id, column].iloc[0])
                rows.append({"statement": name, "line_id": line.line_id, "label": line.label, "column": column,
                             "amount": to_kroner(value), "unit": "kr", "seed_line": ""})
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    return folder
