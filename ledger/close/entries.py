"""The year-end close of a gross-budgeted agency (bruttobudsjettert), computed from a year's lines.

Pure functions of a year's lines (a DataFrame with at least ``voucher, account, amount``;
``kind`` is used to leave earlier closing batches out) and the rules of
``chart_of_accounts/close_rules.csv`` and ``carry_forward.csv``
(:class:`~ledger.reference.bundle.ReferenceData`).  With the state's rules:

=================================  =====================================================
what                               booking (D debit, C credit), dated 31.12
=================================  =====================================================
inntekt fra bevilgninger           C 3900 / D 1991: the period's costs − transaction-based
                                   income, i.e. minus the net of every operating account
                                   (30-38, classes 4-7, 80-81) and of 39 itself
collection (innkreving, 82-84)     group 8g's net is cleared on its settlement account
                                   8g90 (SKP 829/839/849) against 1997
grants (tilskudd, 85-87)           85 → 8590 (SKP 859), 86-87 → 8790 (SKP 879) against 1998
the period's result                8800 (SKP 880 Disponering) against 1999; always 0
                                   after the bookings above (motsatt sammenstilling)
KK (roles kk_in, kk_out)           zeroed into 1990 *Avregnet med statskassen (IB)*
=================================  =====================================================

Each purpose is one voucher; a rule's net includes what earlier purposes booked on its
accounts (so the result is taken after inntekt fra bevilgninger).

Why 1990 for KK: SKP 1990 is the avregnet account that carries balances into the next
year ("(IB)"), and the Treasury zeroes each settlement account at the turn of the year
(prinsippnote, seed l.4351-4353).  1980 (*Mellomværende … kontant (motpost IB)*) is the
cash-basis counterpart and is left alone.  Both sit in the SRS line *Avregnet med
statskassen*, so the choice does not change any statement figure.

The opening balance of ``year + 1`` (:func:`opening_entries`) carries the balance
accounts at 31.12 as ``carry_forward.csv`` says (classes 1-2; KK and avregning folded
into 1990).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

import pandas as pd

from ledger.core.records import BatchKind, Line, Voucher
from ledger.reference.rules import CarryRule, CloseRule

APPROPRIATION_PURPOSE = "bevilgning"


def net_by_account(lines: pd.DataFrame) -> dict[str, int]:
    """Σ amount per account (øre), accounts with a non-zero net only."""
    if lines.empty:
        return {}
    sums = lines.groupby(lines["account"].astype(str))["amount"].sum()
    return {str(k): int(v) for k, v in sums.items() if int(v)}


def without_closing(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines without earlier closing batches (the close is computed from these)."""
    if "kind" in lines:
        return lines[lines["kind"] != BatchKind.CLOSING]
    return lines


def _covered(rule: CloseRule | CarryRule, account: str, roles: Mapping[str, str | None]) -> bool:
    if rule.accounts is not None:
        return rule.accounts.holds(account)
    return roles.get(account) == rule.role


def _purposes(rules: Iterable[CloseRule]) -> list[str]:
    return list(dict.fromkeys(rule.purpose for rule in rules))


def closing_lines(lines: pd.DataFrame, rules: Iterable[CloseRule], roles: Mapping[str, str | None],
                  year: int, prefix: str | None = None) -> pd.DataFrame:
    """The closing entries of ``year`` as lines: ``voucher, purpose, account, amount``.

    ``lines``: the year's lines (opening balance included; closing batches are left
    out).  ``roles``: account → role (KK is found by role).  One voucher per purpose of
    ``rules``; vouchers that would move nothing are left out.
    """
    prefix = prefix or f"YE{year}"
    rules = tuple(rules)
    net = net_by_account(without_closing(lines))
    rows: list[tuple[str, str, int]] = []  # purpose, account, amount
    for purpose in _purposes(rules):
        booked: dict[str, int] = {}
        # what earlier purposes booked counts in this one's net (the result comes last)
        current = dict(net)
        for _, account, amount in rows:
            current[account] = current.get(account, 0) + amount
        against = ""
        for rule in (r for r in rules if r.purpose == purpose):
            against = rule.against
            for account, amount in current.items():
                if amount and _covered(rule, account, roles):
                    target = rule.closes_on or account
                    booked[target] = booked.get(target, 0) + amount
        total = sum(booked.values())
        rows += [(purpose, target, -amount) for target, amount in sorted(booked.items()) if amount]
        if total:
            rows.append((purpose, against, total))
    frame = pd.DataFrame(rows, columns=["purpose", "account", "amount"])
    frame.insert(0, "voucher", [f"{prefix}-{p}" for p in frame["purpose"]])
    # a voucher needs two lines: drop vouchers left with one (cannot happen when balanced)
    counts = frame.groupby("voucher")["amount"].transform("size")
    return frame[counts >= 2].astype({"amount": "int64"}).reset_index(drop=True)


def closing_entries(lines: pd.DataFrame, rules: Iterable[CloseRule], roles: Mapping[str, str | None],
                    year: int, prefix: str | None = None) -> list[Voucher]:
    """The closing vouchers of ``year`` (see :func:`closing_lines`), dated 31.12."""
    return _vouchers(closing_lines(lines, rules, roles, year, prefix), dt.date(year, 12, 31),
                     text=lambda purpose: f"Årsavslutning {year}: {purpose}")


NO_DIMENSIONS = "{}"


def net_by_account_and_dims(lines: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Σ amount per (account, dimensions JSON), non-zero nets only."""
    if lines.empty:
        return {}
    dims = lines["dims"].fillna(NO_DIMENSIONS) if "dims" in lines else pd.Series(NO_DIMENSIONS, index=lines.index)
    sums = lines.groupby([lines["account"].astype(str), dims.astype(str)])["amount"].sum()
    return {(str(a), str(d)): int(v) for (a, d), v in sums.items() if int(v)}


def carried_balances(closed_lines: pd.DataFrame, rules: Iterable[CarryRule],
                     roles: Mapping[str, str | None]) -> dict[tuple[str, str], int]:
    """(account, dimensions) → balance carried into the next year from the closed lines of a year.

    Balances keep their dimensions (a project under construction, an open invoice), so
    the notes of the next year can still tell them apart; an account folded into another
    (KK and avregning into 1990) is carried without them.
    """
    rules = tuple(rules)
    ranges = [r for r in rules if r.accounts is not None]
    folds = [r for r in rules if r.role is not None]
    carried: dict[tuple[str, str], int] = {}
    for (account, dims), amount in net_by_account_and_dims(closed_lines).items():
        if not any(r.accounts.holds(account) for r in ranges):
            continue
        fold = next((r.carried_to for r in folds if roles.get(account) == r.role), None)
        key = (fold, NO_DIMENSIONS) if fold else (account, dims)
        carried[key] = carried.get(key, 0) + amount
    return {k: v for k, v in sorted(carried.items()) if v}


def opening_entries(closed_lines: pd.DataFrame, rules: Iterable[CarryRule], roles: Mapping[str, str | None],
                    year: int, prefix: str | None = None) -> list[Voucher]:
    """The opening balance of ``year + 1`` from the closed lines of ``year`` (one voucher)."""
    carried = carried_balances(closed_lines, rules, roles)
    if len(carried) < 2:
        return []
    text = f"Inngående balanse fra {year}"
    lines = [Line(account, amount, dimensions=json.loads(dims), text=text)
             for (account, dims), amount in carried.items()]
    return [Voucher(f"{prefix or f'IB{year + 1}'}-ib", dt.date(year + 1, 1, 1), lines)]


def _vouchers(frame: pd.DataFrame, date: dt.date, text) -> list[Voucher]:
    vouchers = []
    for vid, group in frame.groupby("voucher", sort=False):
        lines = [Line(r.account, int(r.amount), text=text(r.purpose)) for r in group.itertuples()]
        vouchers.append(Voucher(str(vid), date, lines))
    return vouchers


def reversal(lines: pd.DataFrame) -> list[Voucher]:
    """Reversing vouchers ``R-<id>`` for the vouchers of ``lines`` not yet reversed there."""
    if lines.empty:
        return []
    ids = set(lines["voucher"].astype(str))
    out = []
    for vid, group in lines.groupby("voucher", sort=True):
        vid = str(vid)
        if vid.startswith("R-") or f"R-{vid}" in ids:
            continue
        date = dt.date.fromisoformat(str(group["date"].iloc[0]))
        out.append(Voucher(f"R-{vid}", date, [
            Line(str(r.account), -int(r.amount), dimensions=_dims(r), text=f"Tilbakeføring av {vid}")
            for r in group.itertuples()]))
    return out


def _dims(row) -> dict[str, str]:
    text = getattr(row, "dims", None)
    return json.loads(text) if isinstance(text, str) and text else {}


def appropriation_income(closing: pd.DataFrame) -> int:
    """Inntekt fra bevilgninger booked by the close (øre, presented positive): the amount
    debited to the counter account of the appropriation voucher (its last line)."""
    rows = closing[closing["purpose"] == APPROPRIATION_PURPOSE]
    return int(rows["amount"].iloc[-1]) if len(rows) else 0
