"""The statements by name: ``ledger show NAME YEAR``, the export and ``verify`` look them up here.

A statement is a pure function ``YearData -> DataFrame`` returning the evaluated layout
(``line_id, label, kind, note_ref`` and one int64 column per layout column; see
:func:`ledger.reference.layout.evaluate`).  :data:`STATEMENTS` names every one; each
has a layout of the same name in ``chart_of_accounts/layouts/``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ledger.statements import artskonto, bevilgning, note_b, srs_accounts, srs_assets, srs_keyfigures, srs_treasury
from ledger.statements.year_data import YearData

StatementFunction = Callable[[YearData], pd.DataFrame]

CASH_STATEMENTS: dict[str, StatementFunction] = {
    "bevilgning": bevilgning.bevilgning, "bevilgning_beholdninger": bevilgning.beholdninger,
    "note_a": bevilgning.note_a, "note_b": note_b.note_b,
    "artskonto": artskonto.artskonto, "mellomvaerende": artskonto.mellomvaerende,
}
"""The cash statements (bevilgningsrapportering, artskontorapportering): they read the
year's reported lines and the settlement accounts, never the close."""
SRS_STATEMENTS: dict[str, StatementFunction] = {
    "resultat": srs_accounts.resultat, "balanse": srs_accounts.balanse,
    "note_1": srs_accounts.note_1, "note_2": srs_accounts.note_2,
    "note_3": srs_assets.note_3, "note_3_prosjekter": srs_assets.note_3_prosjekter, "note_4": srs_assets.note_4,
    "note_5": srs_accounts.note_5, "note_5_husleie": srs_treasury.note_5_husleie,
    "note_6": srs_accounts.note_6, "note_7a": srs_treasury.note_7a, "note_7b": srs_accounts.note_7b,
    "note_8": srs_accounts.note_8, "note_9": srs_treasury.note_9,
    "note_10": srs_accounts.note_10, "note_11": srs_accounts.note_11,
    "note_12": srs_accounts.note_12, "note_13": srs_accounts.note_13,
    "nokkeltall": srs_keyfigures.nokkeltall,
}
"""The SRS (accrual) statements and notes, the key figures and table 4.3."""
STATEMENTS: dict[str, StatementFunction] = {**CASH_STATEMENTS, **SRS_STATEMENTS}
"""Every statement of the state's layouts by name."""


def statements_for(reference) -> dict[str, StatementFunction]:
    """The statements of ``reference``: the state's, and an agency's own by their ``computed_by``
    (``year_mapping``: the year's lines on the statement's mapping; ``konsulent``: table 4.3)."""
    found = dict(STATEMENTS)
    for name, kind in reference.computed_by.items():
        found[name] = srs_keyfigures.konsulent if kind == "konsulent" else srs_accounts.year_note(name)
    return found

