"""Three months of small books, every figure computable by hand (kroner in the comments).

January: pay 1 000 on 0670.01 (KK ut 700, withheld tax 300); employer's tax 141 on 0670.01
against 5700.72.  February: a grant 1 000 on 0671.60; the withheld tax 300 paid (nothing
reported).  March: an invoice paid, 100 consultancy on 0670.01 (artskonto 673) and 25 VAT on
1633.01; pay 1 000 on 0670.01.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.books.store import Books
from tests.reliability.conftest import HEADER, run
from tests.support.inputs import APPROPRIATIONS_HEADER, add_inputs

JOURNAL = HEADER + """\
2024-01-25,L1,5000,1000.00,0670.01,,pay January
2024-01-25,L1,1940,-700.00,,,pay January
2024-01-25,L1,2600,-300.00,,,withheld tax January
2024-01-25,A1,5400,141.00,0670.01,,employer's tax January
2024-01-25,A1,1986,-141.00,5700.72,,employer's tax January
2024-02-10,T1,8700,1000.00,0671.60,,grant February
2024-02-10,T1,1940,-1000.00,,,grant February
2024-02-20,S1,2600,300.00,,,withheld tax paid
2024-02-20,S1,1940,-300.00,,,withheld tax paid
2024-03-05,B1,2400,100.00,0670.01,673,invoice paid
2024-03-05,B1,2400,25.00,1633.01,,invoice paid VAT
2024-03-05,B1,1940,-125.00,,,invoice paid
2024-03-25,L2,5000,1000.00,0670.01,,pay March
2024-03-25,L2,1940,-1000.00,,,pay March
"""
ORG = "974760746"
AGENCY = f'name = "Testdirektoratet"\nshort_name = "TEST"\nyear = 2024\norg_number = "{ORG}"\n'.encode()
APPROPRIATIONS = (APPROPRIATIONS_HEADER + "0670.01,0,10000,0,,0,0,,0,0,test\n0671.60,0,5000,0,,0,0,,0,0,test\n"
                  "0671.61,0,5000,0,,0,0,,0,0,test\n").encode()


def make_books(path: Path, tmp: Path, agency: bytes = AGENCY, journal: str = JOURNAL) -> Path:
    """Books at ``path`` with IMDi's 2024 catalogue, small appropriations and the three months."""
    assert run(path, "init").exit_code == 0
    with Books.open(path) as books:
        add_inputs(books, appropriations=APPROPRIATIONS, agency=agency)
    (tmp / "q1.csv").write_text(journal, encoding="utf-8")
    result = run(path, "import", tmp / "q1.csv")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def three_months(tmp_path) -> Path:
    """The three months of this module's docstring, posted."""
    return make_books(tmp_path / "books.sqlite", tmp_path)
