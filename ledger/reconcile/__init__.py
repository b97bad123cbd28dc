"""The reconciliation of the annual accounts: internal checks and published figures.

- :mod:`ledger.reconcile.identities` — the linear identities of ``identities.csv``, checked;
- :mod:`ledger.reconcile.rules` — the few checks that are not linear;
- :mod:`ledger.reconcile.published` — every published figure against the computed one;
- :mod:`ledger.reconcile.explain` — what makes up a figure, down to its vouchers.

:func:`internal_checks` is what the workbook's cover sheet and ``ledger verify`` show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ledger.reconcile.identities import CheckResult, check_all
from ledger.reconcile.rules import run_checks
from ledger.reference.identities import Identity


def internal_checks(tables: Mapping[str, pd.DataFrame], identities: Iterable[Identity],
                    prior: Mapping[str, pd.DataFrame] | None = None) -> list[CheckResult]:
    """Every internal identity (``identities.csv``) and rule over the computed statement tables;
    with last year's tables (``prior``, when last year is closed in the books) the checks across years."""
    return check_all(identities, tables) + run_checks(tables, prior)
