"""Year inputs for test books: IMDi's 2024 budget catalogue unless a test gives its own."""

from __future__ import annotations

from pathlib import Path

from ledger.books.documents import AGENCY, APPROPRIATIONS, BUDGET
from ledger.books.store import Books
from ledger.reference.budget import BudgetCatalogue, parse_budget
from tests.support.books import REFERENCE

IMDI_2024 = Path(__file__).resolve().parents[2] / "fixtures" / "2024"
IMDI_BUDGET = (IMDI_2024 / "budget.csv").read_bytes()
APPROPRIATIONS_HEADER = ("statskonto,overfort_fra_i_fjor,arets_tildelinger,lonnskompensasjon,forrige_ars_bevilgning,"
                         "mottatt_belastningsfullmakt,avgitt_belastningsfullmakt,merinntektsfullmakt_mot,"
                         "omdisponering,innsparinger,source\n")
AGENCY_FACTS = b'name = "Testdirektoratet"\nshort_name = "TEST"\nyear = 2024\n'


def catalogue(year: int = 2024, content: bytes = IMDI_BUDGET) -> BudgetCatalogue:
    """A budget catalogue read the way the books read it."""
    return parse_budget(content, BUDGET, year, REFERENCE.post_groups, REFERENCE.note_b_rules)


def add_inputs(books: Books, year: int = 2024, budget: bytes = IMDI_BUDGET, appropriations: bytes | None = None,
               agency: bytes = AGENCY_FACTS) -> None:
    """Give ``books`` the inputs of ``year`` as one revision (no appropriations: an empty table)."""
    books.add_input_revision(year, "tests", {BUDGET: budget, AGENCY: agency,
                                             APPROPRIATIONS: appropriations or APPROPRIATIONS_HEADER.encode()})
