"""Closing and reopening a year in the books.

:func:`close_year` posts the closing entries (:mod:`ledger.close.entries`), carries the
balances into ``year + 1`` as an opening batch and locks the year; :func:`reopen_year`
reverses both with new entries and an audit record.  Lines are append-only: re-closing
after a reopen posts new vouchers and reopening posts reversing vouchers (``R-<id>``).
Each is one transaction of the books (entries, carry-forward and the year's status
together): a process killed at any point leaves the year as it was or wholly closed
(reopened), never half.  Both are idempotent.
"""

from __future__ import annotations

import attrs
import pandas as pd

from ledger.books.documents import APPROPRIATIONS, BUDGET
from ledger.books.store import Books
from ledger.close.entries import (appropriation_income, carried_balances, closing_entries, closing_lines,
                                  net_by_account, net_by_account_and_dims, opening_entries, reversal)
from ledger.core.money import MAX_BOOKS_ORE, format_decimal, format_kroner
from ledger.core.records import BatchKind, Voucher
from ledger.journal.batch import batch_from_vouchers
from ledger.reference.bundle import ReferenceData


CLOSE_LOCK = "ledger close"
"""The reason of the month lock a close writes (``ledger close 2024``): a reopen undoes only that lock."""


class CloseError(ValueError):
    """The year cannot be closed or reopened as asked (nothing was changed by this step)."""


@attrs.frozen
class CloseResult:
    """What :func:`close_year` or :func:`reopen_year` did, in words (``messages``)."""

    year: int
    changed: bool
    messages: tuple[str, ...]
    posted_batches: tuple[int, ...] = ()


def _carry_forward_lines(books: Books, year: int) -> pd.DataFrame:
    """Opening lines of ``year + 1`` posted by the close (and reopen) of ``year``."""
    nxt = books.lines(year + 1, kinds=[BatchKind.OPENING])
    marker = (f"ledger close {year}", f"ledger reopen {year}")
    return nxt[nxt["source"].astype(str).str.startswith(marker)]


def _post(books: Books, vouchers: list[Voucher], source: str, kind: str, posted: list[int]) -> None:
    if vouchers:
        posted.append(books.post(batch_from_vouchers(vouchers, source=source, kind=kind)).id)


def close_year(books: Books, year: int, reference: ReferenceData, reason: str | None = None) -> CloseResult:
    """Post the closing entries of ``year``, carry its balances into ``year + 1``, lock it:
    all in one transaction.

    A closed year is left as it is (``changed`` False).  Refuses (:class:`CloseError`)
    a year without postings, a year whose next year is already closed, and books whose
    amounts are past the bound (their sums would not be exact).
    """
    with books.transaction():
        return _close(books, year, reference, reason)


def _close(books: Books, year: int, reference: ReferenceData, reason: str | None) -> CloseResult:
    status = books.year_status(year)
    if status == "closed":
        return CloseResult(year, False, (f"{year} is already closed; nothing changed",))
    if status is None:
        raise CloseError(f"{year} has no postings; nothing to close")
    if books.year_status(year + 1) == "closed":
        raise CloseError(f"{year + 1} is closed; reopen it before closing {year}")
    if books.year_status(year - 1) == "open":
        raise CloseError(f"{year - 1} is still open in these books; close it before {year}")
    missing = [name for name in (BUDGET, APPROPRIATIONS) if books.document(year, name) is None]
    if missing:
        raise CloseError(f"{year} has no {' or '.join(missing)}; give the year's inputs first "
                         f"(ledger inputs import {year} DIR)")
    if not books.has_movements(year):
        raise CloseError(f"{year} has no postings beyond its opening balance; nothing to close")
    if books.absolute_total() > MAX_BOOKS_ORE:
        raise CloseError(f"the books' amounts sum past the bound of {format_kroner(MAX_BOOKS_ORE)} kr; "
                         "their balances cannot be computed exactly, nothing closed")
    roles = reference.chart.roles
    rules = reference.close_rules
    # The close needs only each account's net: read the batch totals, not every line.
    totals = books.totals(year)
    base = totals[totals["kind"] != BatchKind.CLOSING]
    existing = books.lines(year, kinds=[BatchKind.CLOSING])
    seq = len(books.batches()) + 1
    wanted = closing_lines(base, rules, roles, year)
    posted: list[int] = []
    messages = []
    if net_by_account(existing) != net_by_account(wanted):
        vouchers = reversal(existing) + closing_entries(base, rules, roles, year, prefix=f"YE{year}-{seq}")
        _post(books, vouchers, f"ledger close {year}", BatchKind.CLOSING, posted)
        messages.append(f"posted {wanted['voucher'].nunique()} closing vouchers; inntekt fra bevilgninger "
                        f"{format_decimal(appropriation_income(wanted))} kr")
    closed = books.totals(year)
    carried = _carry_forward_lines(books, year)
    opening = opening_entries(closed, reference.carry_rules, roles, year, prefix=f"IB{year + 1}-{seq}")
    wanted_open = carried_balances(closed, reference.carry_rules, roles)
    if net_by_account_and_dims(carried) != wanted_open:
        others = books.lines(year + 1, kinds=[BatchKind.OPENING])
        others = others[~others["id"].isin(carried["id"])]
        if not others.empty:
            messages.append(f"{year + 1} already has an opening balance from {sorted(set(others['source']))}; "
                            f"no carry-forward posted (compare it with `ledger balance {year}`)")
        else:
            _post(books, reversal(carried) + opening, f"ledger close {year}: carry forward", BatchKind.OPENING,
                  posted)
            accounts = len({account for account, _ in wanted_open})
            messages.append(f"carried {accounts} balance accounts into {year + 1} (opening 01.01.{year + 1})")
    books.set_year_status(year, "closed", reason or f"ledger close {year}")
    if books.locked_through(year) < 12:
        books.set_locked_through(year, 12, "lock", f"{CLOSE_LOCK} {year}")
        messages.append(f"{year}-01 to {year}-12 locked")
    messages.append(f"{year} closed")
    return CloseResult(year, True, tuple(messages), tuple(posted))


def reopen_year(books: Books, year: int, reason: str) -> CloseResult:
    """Open a closed ``year`` again: reverse its closing entries and its carry-forward.

    The reason goes to the audit log.  Refuses (:class:`CloseError`) a year that is not
    closed, an empty reason, and a year whose next year is closed.
    """
    if not reason or not reason.strip():
        raise CloseError("give a reason for reopening (it goes to the audit log)")
    with books.transaction():
        return _reopen(books, year, reason)


def _reopen(books: Books, year: int, reason: str) -> CloseResult:
    if books.year_status(year) != "closed":
        raise CloseError(f"{year} is not closed; nothing to reopen")
    if books.year_status(year + 1) == "closed":
        raise CloseError(f"{year + 1} is closed; reopen it first")
    books.set_year_status(year, "open", reason)
    history = [h for h in books.lock_history() if h["year"] == year]
    if history and history[-1]["reason"] == f"{CLOSE_LOCK} {year}" and history[-1]["previous"] < 12:
        # the months the close locked are open again; those locked before the close stay locked
        books.set_locked_through(year, history[-1]["previous"] + 1, "unlock", f"ledger reopen {year}: {reason}")
    posted: list[int] = []
    _post(books, reversal(books.lines(year, kinds=[BatchKind.CLOSING])), f"ledger reopen {year}",
          BatchKind.CLOSING, posted)
    _post(books, reversal(_carry_forward_lines(books, year)), f"ledger reopen {year}: carry forward reversed",
          BatchKind.OPENING, posted)
    return CloseResult(year, True, (f"{year} reopened ({reason}); reversed its closing entries"
                                    f" and carry-forward in {len(posted)} batch(es)",), tuple(posted))
