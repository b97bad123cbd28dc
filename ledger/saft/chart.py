"""Charts from SAF-T files, and how a file's accounts map to the state chart.

An account *maps to the state chart* when its ``GroupingCategory`` is ``KS``
(Kontoplan_stat) and its ``GroupingCode`` is a non-reserved code of the SKP list
(``chart_of_accounts/skp/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ledger.reference.chart import Chart, is_reserved
from ledger.saft.read import STATE_GROUPING, SaftAccount


def state_codes(chart: Chart) -> dict[str, str]:
    """SKP code → name of the state chart, reserved codes left out."""
    return {code: a.name for code, a in chart.skp_accounts.items() if not is_reserved(a.name)}


def unmapped(accounts: Iterable[SaftAccount], skp: Mapping[str, str]) -> list[tuple[SaftAccount, str]]:
    """The accounts that do not map to the state chart (SKP code → name ``skp``), each with the reason."""
    found = []
    for account in accounts:
        if account.grouping_category != STATE_GROUPING:
            category = account.grouping_category or "none"
            found.append((account, f"grouping category {category}, not {STATE_GROUPING}"))
        elif not account.grouping_code:
            found.append((account, f"no {STATE_GROUPING} grouping code"))
        elif account.grouping_code not in skp:
            found.append((account, f"{STATE_GROUPING} code {account.grouping_code!r} is not in the state chart"))
    return found


def chart_rows(accounts: Iterable[SaftAccount], skp: Mapping[str, str] | None = None
               ) -> list[tuple[str, str, str | None, None]]:
    """Books chart rows ``(code, name, skp, role)``: the file's ids and names, role none.

    ``skp`` is the KS grouping code when it is a code of the state chart, else None.
    """
    return [(a.id, a.name or a.id, a.ks_code if a.ks_code in skp else None, None) for a in accounts]


def account_map(accounts: Iterable[SaftAccount], books_accounts: pd.DataFrame) -> dict[str, str]:
    """File account id → books account, for file accounts the books do not have.

    Such an account is posted to the books' account of its KS code: the code
    itself when it is a four-digit bookkeeping account, else the code plus ``0``.
    Accounts without a match are left out (the posting rules then name them).
    """
    known = set(books_accounts["code"])
    mapped = {}
    for account in accounts:
        if account.id in known or account.ks_code is None:
            continue
        for candidate in (account.ks_code, account.ks_code + "0"):
            if candidate in known and len(candidate) == 4:
                mapped[account.id] = candidate
                break
    return mapped
