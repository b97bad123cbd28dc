"""The reconciliation of the annual accounts: internal checks and published figures.

- :mod:`ledger.reconcile.identities` — linear identities as data (``identities.csv``);
- :mod:`ledger.reconcile.rules` — the few checks that are not linear;
- :mod:`ledger.reconcile.published` — every published figure against the computed one.

:func:`internal_checks` is what the workbook's cover sheet and ``ledger verify`` show.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ledger.reconcile.identities import CheckResult, check_all, load_identities
from ledger.reconcile.rules import run_checks


def internal_checks(tables: Mapping[str, pd.DataFrame]) -> list[CheckResult]:
    """Every internal identity and rule over the computed statement tables."""
    return check_all(load_identities(), tables) + run_checks(tables)
