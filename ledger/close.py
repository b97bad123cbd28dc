"""Year-end close of a gross-budgeted agency (bruttobudsjettert), and reopening.

The close is computed by pure functions of a year's lines (a DataFrame with at least
``voucher, account, amount``; ``kind`` is used to leave earlier closing batches out)
and the chart's roles.  Accounts by number (SKP, see DOMAIN.md):

=================================  =====================================================
what                               booking (D debit, C credit), dated 31.12
=================================  =====================================================
inntekt fra bevilgninger           C 3900 / D 1991: the period's costs − transaction-based
                                   income − grants received, i.e. minus the net of every
                                   *operating* account (class 3 outside 39, classes 4-7,
                                   80-81) and of 39 itself (so income already on 39 counts)
collection (innkreving, 82-84)     group 8g's net is cleared on its settlement account
                                   8g90 (SKP 829/839/849) against 1997
grants (tilskudd, 85-87)           85 → 8590 (SKP 859), 86-87 → 8790 (SKP 879) against 1998
the period's result                D/C 8800 (SKP 880 Disponering) against 1999; always 0
                                   after the two bookings above (motsatt sammenstilling)
KK (roles kk_in, kk_out)           zeroed into 1990 *Avregnet med statskassen (IB)*
=================================  =====================================================

Why 1990 for KK: SKP 1990 is the avregnet account that carries balances into the next
year ("(IB)"), and the Treasury zeroes each settlement account at the turn of the year
(prinsippnote, seed l.4351-4353).  1980 (*Mellomværende … kontant (motpost IB)*) is the
cash-basis counterpart and is left alone.  Both sit in the SRS line *Avregnet med
statskassen*, so the choice does not change any statement figure.

The opening balance of ``year + 1`` (:func:`opening_entries`) carries every balance
account (classes 1-2) at 31.12, with the KK and avregning accounts folded into 1990.

:func:`close_year` and :func:`reopen_year` apply this to books.  Lines are append-only:
re-closing after a reopen posts new vouchers and reopening posts reversing vouchers
(``R-<id>``).  Both are idempotent and safe to re-run after a crash between their steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pandas as pd

from ledger.journal import batch_from_vouchers
from ledger.money import format_decimal
from ledger.records import Line, Voucher

APPROPRIATION_INCOME = "3900"
APPROPRIATION_SETTLED = "1991"
COLLECTION_SETTLED = "1997"
GRANTS_SETTLED = "1998"
RESULT_SETTLED = "1999"
RESULT_DISPOSAL = "8800"
AVREGNET_IB = "1990"
AVREGNET_ROLES = ("kk_in", "kk_out", "avregning")

# Purposes of the closing vouchers (the voucher id ends with ``-<purpose>``).
PURPOSES = ("bevilgning", "innkreving", "tilskudd", "resultat", "kk")
CLOSING_KIND = "closing"
OPENING_KIND = "opening"


class CloseError(ValueError):
    """The year cannot be closed or reopened as asked (nothing was changed by this step)."""


def _n(account: str) -> int:
    return int(account) if str(account).isdigit() and len(str(account)) == 4 else -1


def is_appropriation_income(account: str) -> bool:
    """SKP 39: income from appropriations."""
    return 3900 <= _n(account) <= 3999


def collection_group(account: str) -> str | None:
    """The settlement account of a collection account (82-84, settlement accounts included)."""
    n = _n(account)
    return f"{n // 100}90" if 8200 <= n <= 8499 else None


def grants_group(account: str) -> str | None:
    """The settlement account of a grant account (85 → 8590, 86-87 → 8790)."""
    n = _n(account)
    if 8500 <= n <= 8599:
        return "8590"
    return "8790" if 8600 <= n <= 8799 else None


def is_disposal(account: str) -> bool:
    """SKP 88-89: disposal of the result and avregning med statskassen."""
    return 8800 <= _n(account) <= 8999


def is_collection(account: str) -> bool:
    """A collection account that is not a settlement account (82x-84x except x9x)."""
    return collection_group(account) is not None and (_n(account) // 10) % 10 != 9


def is_grant(account: str) -> bool:
    """A grant account that is not a settlement account (85x-87x except 859x, 879x)."""
    return grants_group(account) is not None and _n(account) // 10 not in (859, 879)


def is_operating(account: str) -> bool:
    """Operating income and costs: class 3 outside 39, classes 4-7, 80-81."""
    n = _n(account)
    return (3000 <= n <= 3899) or (4000 <= n <= 7999) or (8000 <= n <= 8199)


def is_statement_account(account: str) -> bool:
    """Classes 3-8: the accounts of the income statement."""
    return 3000 <= _n(account) <= 8999


def _net(lines: pd.DataFrame) -> dict[str, int]:
    if lines.empty:
        return {}
    sums = lines.groupby(lines["account"].astype(str))["amount"].sum()
    return {str(k): int(v) for k, v in sums.items() if int(v)}


def _base(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines without earlier closing batches (the close is computed from these)."""
    if "kind" in lines:
        return lines[lines["kind"] != CLOSING_KIND]
    return lines


def as_roles(chart) -> dict[str, str | None]:
    """Account → role, from a :class:`ledger.chart.Chart` or such a mapping itself."""
    if hasattr(chart, "accounts") and not isinstance(chart, dict):
        return {code: account.role for code, account in chart.accounts.items()}
    return dict(chart)


def closing_lines(lines: pd.DataFrame, chart, year: int, prefix: str | None = None) -> pd.DataFrame:
    """The closing entries of ``year`` as lines: ``voucher, purpose, account, amount``.

    ``lines``: the year's lines (opening balance included; closing batches are left
    out).  ``chart``: a Chart, or an account → role mapping (KK is found by role).  One voucher per purpose of
    :data:`PURPOSES`; vouchers that would move nothing are left out.
    """
    prefix = prefix or f"YE{year}"
    roles = as_roles(chart)
    net = _net(_base(lines))
    rows: list[tuple[str, str, int]] = []  # purpose, account, amount

    def add(purpose: str, pairs: Iterable[tuple[str, int]]) -> None:
        for account, amount in pairs:
            if amount:
                rows.append((purpose, account, int(amount)))

    operating = sum(v for a, v in net.items() if is_operating(a) or is_appropriation_income(a))
    add("bevilgning", [(APPROPRIATION_INCOME, -operating), (APPROPRIATION_SETTLED, operating)])
    for purpose, group_of, counter in (("innkreving", collection_group, COLLECTION_SETTLED),
                                       ("tilskudd", grants_group, GRANTS_SETTLED)):
        per_settlement: dict[str, int] = {}
        for account, amount in net.items():
            target = group_of(account)
            if target:
                per_settlement[target] = per_settlement.get(target, 0) + amount
        add(purpose, [(s, -v) for s, v in sorted(per_settlement.items())])
        add(purpose, [(counter, sum(per_settlement.values()))])
    # after the two bookings above classes 3-8 sum to the disposals already posted (0)
    after = sum(v for a, v in net.items() if is_statement_account(a)) + sum(
        v for _, a, v in rows if is_statement_account(a))
    add("resultat", [(RESULT_DISPOSAL, -after), (RESULT_SETTLED, after)])
    kk = {a: v for a, v in net.items() if roles.get(a) in ("kk_in", "kk_out")}
    add("kk", [*((a, -v) for a, v in sorted(kk.items())), (AVREGNET_IB, sum(kk.values()))])
    frame = pd.DataFrame(rows, columns=["purpose", "account", "amount"])
    frame.insert(0, "voucher", [f"{prefix}-{p}" for p in frame["purpose"]])
    # a voucher needs two lines: drop vouchers left with one (cannot happen when balanced)
    counts = frame.groupby("voucher")["amount"].transform("size")
    return frame[counts >= 2].astype({"amount": "int64"}).reset_index(drop=True)


def closing_entries(lines: pd.DataFrame, chart, year: int,
                    prefix: str | None = None) -> list[Voucher]:
    """The closing vouchers of ``year`` (see :func:`closing_lines`), dated 31.12."""
    return _vouchers(closing_lines(lines, chart, year, prefix), dt.date(year, 12, 31),
                     text=lambda purpose: f"Årsavslutning {year}: {purpose}")


def opening_entries(closed_lines: pd.DataFrame, chart, year: int,
                    prefix: str | None = None) -> list[Voucher]:
    """The opening balance of ``year + 1`` from the closed lines of ``year``.

    Balance accounts (classes 1-2) at 31.12; KK and avregning accounts folded into 1990.
    """
    roles = as_roles(chart)
    carried: dict[str, int] = {}
    for account, amount in _net(closed_lines).items():
        if not 1000 <= _n(account) <= 2999:
            continue
        target = AVREGNET_IB if roles.get(account) in AVREGNET_ROLES else account
        carried[target] = carried.get(target, 0) + amount
    frame = pd.DataFrame([("ib", a, v) for a, v in sorted(carried.items()) if v],
                         columns=["purpose", "account", "amount"])
    frame.insert(0, "voucher", f"{prefix or f'IB{year + 1}'}-ib")
    if len(frame) < 2:
        return []
    return _vouchers(frame, dt.date(year + 1, 1, 1), text=lambda _: f"Inngående balanse fra {year}")


def _vouchers(frame: pd.DataFrame, date: dt.date, text) -> list[Voucher]:
    vouchers = []
    for vid, group in frame.groupby("voucher", sort=False):
        lines = [Line(r.account, int(r.amount), text=text(r.purpose)) for r in group.itertuples()]
        vouchers.append(Voucher(str(vid), date, lines))
    return vouchers


def reversal(lines: pd.DataFrame, date_of=None) -> list[Voucher]:
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
            Line(str(r.account), -int(r.amount), text=f"Tilbakeføring av {vid}") for r in group.itertuples()]))
    return out


# -- books ----------------------------------------------------------------------

@attrs.frozen
class CloseResult:
    """What :func:`close_year` or :func:`reopen_year` did, in words (``messages``)."""

    year: int
    changed: bool
    messages: tuple[str, ...]
    posted_batches: tuple[int, ...] = ()


def roles_of(books) -> dict[str, str | None]:
    """Account → role from the books' own chart."""
    accounts = books.accounts()
    return {str(c): (r or None) for c, r in zip(accounts["code"], accounts["role"])}


def _carry_forward_lines(books, year: int) -> pd.DataFrame:
    """Opening lines of ``year + 1`` posted by the close (and reopen) of ``year``."""
    nxt = books.lines(year + 1, kinds=[OPENING_KIND])
    marker = (f"ledger close {year}", f"ledger reopen {year}")
    return nxt[nxt["source"].astype(str).str.startswith(marker)]


def _post(books, vouchers: list[Voucher], source: str, kind: str, posted: list[int]) -> None:
    if vouchers:
        posted.append(books.post(batch_from_vouchers(vouchers, source=source, kind=kind)).id)


def close_year(books, year: int, reason: str | None = None) -> CloseResult:
    """Post the closing entries of ``year``, carry its balances into ``year + 1``, lock it.

    A closed year is left as it is (``changed`` False).  Refuses (:class:`CloseError`)
    a year without postings and a year whose next year is already closed.
    """
    status = books.year_status(year)
    if status == "closed":
        return CloseResult(year, False, (f"{year} is already closed; nothing changed",))
    if status is None:
        raise CloseError(f"{year} has no postings; nothing to close")
    if books.year_status(year + 1) == "closed":
        raise CloseError(f"{year + 1} is closed; reopen it before closing {year}")
    roles = roles_of(books)
    # The close needs only each account's net: read the batch totals, not every line.
    totals = books.totals(year)
    base = totals[totals["kind"] != CLOSING_KIND]
    existing = books.lines(year, kinds=[CLOSING_KIND])
    seq = len(books.batches()) + 1
    wanted = closing_lines(base, roles, year)
    posted: list[int] = []
    messages = []
    if _net(existing) != _net(wanted):
        vouchers = reversal(existing) + closing_entries(base, roles, year, prefix=f"YE{year}-{seq}")
        _post(books, vouchers, f"ledger close {year}", CLOSING_KIND, posted)
        messages.append(_describe(wanted))
    closed = books.totals(year)
    carried = _carry_forward_lines(books, year)
    opening = opening_entries(closed, roles, year, prefix=f"IB{year + 1}-{seq}")
    wanted_open = {ln.account: ln.amount for v in opening for ln in v.lines}
    if _net(carried) != {a: v for a, v in wanted_open.items() if v}:
        others = books.lines(year + 1, kinds=[OPENING_KIND])
        others = others[~others["id"].isin(carried["id"])]
        if not others.empty:
            messages.append(f"{year + 1} already has an opening balance from {sorted(set(others['source']))}; "
                            f"no carry-forward posted (compare it with `ledger balance {year}`)")
        else:
            _post(books, reversal(carried) + opening, f"ledger close {year}: carry forward", OPENING_KIND, posted)
            messages.append(f"carried {len(wanted_open)} balance accounts into {year + 1} (opening 01.01.{year + 1})")
    books.set_year_status(year, "closed", reason or f"ledger close {year}")
    messages.append(f"{year} closed")
    return CloseResult(year, True, tuple(messages), tuple(posted))


def _describe(wanted: pd.DataFrame) -> str:
    income = int(wanted.loc[wanted["account"] == APPROPRIATION_INCOME, "amount"].sum())
    return (f"posted {wanted['voucher'].nunique()} closing vouchers; inntekt fra bevilgninger "
            f"{format_decimal(-income)} kr")


def reopen_year(books, year: int, reason: str) -> CloseResult:
    """Open a closed ``year`` again: reverse its closing entries and its carry-forward.

    The reason goes to the audit log.  Refuses (:class:`CloseError`) a year that is not
    closed, an empty reason, and a year whose next year is closed.
    """
    if not reason or not reason.strip():
        raise CloseError("give a reason for reopening (it goes to the audit log)")
    if books.year_status(year) != "closed":
        raise CloseError(f"{year} is not closed; nothing to reopen")
    if books.year_status(year + 1) == "closed":
        raise CloseError(f"{year + 1} is closed; reopen it first")
    books.set_year_status(year, "open", reason)
    posted: list[int] = []
    _post(books, reversal(books.lines(year, kinds=[CLOSING_KIND])), f"ledger reopen {year}", CLOSING_KIND, posted)
    _post(books, reversal(_carry_forward_lines(books, year)), f"ledger reopen {year}: carry forward reversed",
          OPENING_KIND, posted)
    return CloseResult(year, True, (f"{year} reopened ({reason}); reversed its closing entries"
                                    f" and carry-forward in {len(posted)} batch(es)",), tuple(posted))
