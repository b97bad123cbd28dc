"""Registers the SRS (accrual) statements: resultat, balanse, notes 1-13 with note 3's
project table and note 5's specifications, notes 7A/7B, key figures and table 4.3.

``ledger show resultat|balanse|note 3|note 7a|nokkeltall|konsulent YEAR``.  The modules:
:mod:`statements.srs_base` (the closed view: before and after ``ledger close`` alike),
:mod:`statements.srs_accounts` (account mappings), :mod:`statements.srs_assets` (notes 3, 4),
:mod:`statements.srs_treasury` (7A, 9, husleie), :mod:`statements.srs_keyfigures`.
"""

from __future__ import annotations

from statements import srs_accounts as acc
from statements import srs_assets as assets
from statements import srs_keyfigures as kf
from statements import srs_treasury as treasury
from statements.registry import statement

SRS_STATEMENTS = {
    "resultat": acc.resultat, "balanse": acc.balanse, "note_1": acc.note_1, "note_2": acc.note_2,
    "note_3": assets.note_3, "note_3_prosjekter": assets.note_3_prosjekter, "note_4": assets.note_4,
    "note_5": acc.note_5, "note_5_husleie": treasury.note_5_husleie, "note_5_leie": acc.note_5_leie,
    "note_5_konsulent": acc.note_5_konsulent, "note_5_fremmede": acc.note_5_fremmede,
    "note_5_ovrige": acc.note_5_ovrige, "note_6": acc.note_6, "note_7a": treasury.note_7a,
    "note_7b": acc.note_7b, "note_8": acc.note_8, "note_9": treasury.note_9, "note_10": acc.note_10,
    "note_11": acc.note_11, "note_12": acc.note_12, "note_13": acc.note_13,
    "nokkeltall": kf.nokkeltall, "konsulent": kf.konsulent,
}

for _name, _function in SRS_STATEMENTS.items():
    statement(_name)(_function)
