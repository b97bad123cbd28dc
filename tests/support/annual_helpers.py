"""Small hand-built books for the export, verify and explain tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ledger.books.setup import create_books
from ledger.books.store import Books
from ledger.journal.reader import parse_journal
from ledger.reference.bundle import load_reference
from tests.support.inputs import add_inputs

REFERENCE = load_reference()

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


def post(books: Books, text: str, source: str, kind: str = "journal") -> None:
    """Post journal text (assert it is clean)."""
    batch, violations = parse_journal(text.encode(), source=source, kind=kind)
    assert not violations, violations
    books.post(batch)


def make_books(path: Path, extra: bool = False) -> Path:
    """Books with the packaged chart, a small 2024 journal and its input documents."""
    with create_books(path, REFERENCE) as books:
        add_inputs(books, 2024, appropriations=APPROPRIATIONS_CSV.encode(), agency=AGENCY_TOML.encode())
        post(books, OPENING, "opening.csv", kind="opening")
        post(books, JOURNAL, "journal.csv")
        if extra:
            post(books, EXTRA, "extra.csv")
    return path


def write_published(tables: dict, layouts, folder: Path, statements=("bevilgning", "resultat", "note_2")) -> Path:
    """Published CSVs (whole kroner) made from computed tables, as a publication would print them."""
    from ledger.core.money import to_kroner

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


def written_workbook(accounts, folder: Path):
    """The workbook of ``accounts`` saved in ``folder`` and read back with openpyxl."""
    from openpyxl import load_workbook

    from ledger.export.xlsx import build_workbook

    path = folder / f"arsregnskap-{accounts.year}.xlsx"
    build_workbook(accounts).save(path)
    return load_workbook(path)
