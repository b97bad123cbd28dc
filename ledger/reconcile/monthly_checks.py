"""The checks before a submission to statsregnskapet (``ledger check 2024-03``).

Each rule is a row of ``chart_of_accounts/monthly_checks.csv`` (rule, measure, source);
this module computes each *measure* over a period's lines and returns what breaks it as
:class:`Finding` values, each naming the rule, the statskonto / artskonto / account, the
amount and the vouchers.  Pure: the caller loads the period (every line, with its voucher).
"""

from __future__ import annotations

import attrs
import pandas as pd

from ledger.core.money import format_decimal
from ledger.core.records import BatchKind
from ledger.reference.monthly import MonthlyCheck
from ledger.statements import base
from ledger.statements.artskonto import artskonto_codes
from ledger.statements.base import StatementError
from ledger.statements.bevilgning import capital_movements
from ledger.statements.year_data import YearData

SHOWN_VOUCHERS = 5
"""How many vouchers a finding names (then a count)."""


@attrs.frozen
class Finding:
    """One broken check: ``rule``, what is wrong, the keys it concerns, the amount (øre) and vouchers."""

    rule: str
    message: str
    statskonto: str = ""
    artskonto: str = ""
    account: str = ""
    amount: int = 0
    vouchers: tuple[str, ...] = ()

    def __str__(self) -> str:
        keys = " ".join(f"{k} {v}" for k, v in (("statskonto", self.statskonto), ("artskonto", self.artskonto),
                                                ("account", self.account)) if v)
        named = ", ".join(self.vouchers[:SHOWN_VOUCHERS])
        more = len(self.vouchers) - SHOWN_VOUCHERS
        named += f" and {more} more" if more > 0 else ""
        return (f"[{self.rule}] {keys + ': ' if keys else ''}{self.message}; amount {format_decimal(self.amount)}"
                + (f"; vouchers {named}" if named else ""))


def _vouchers(lines: pd.DataFrame) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in lines["voucher"] if str(v)}))


def _report_and_capital_sum(data: YearData) -> list[Finding]:
    netto = int(base.reported(data)["amount"].sum())
    capital = capital_movements(data)
    total = netto + sum(capital.values())
    if total == 0:
        return []
    parts = ", ".join(f"{line} {format_decimal(v)}" for line, v in capital.items())
    return [Finding("", f"netto rapportert {format_decimal(netto)} and the capital accounts ({parts}) do not sum "
                        "to zero", amount=total)]


def _statskonto_allocated(data: YearData) -> list[Finding]:
    lines = base.reported(data)
    found = []
    posts = {p.statskonto: p for p in data.budget} if data.budget is not None else {}
    allotted = set(data.appropriations["statskonto"]) if "statskonto" in data.appropriations else set()
    for statskonto, group in lines.groupby("statskonto", sort=True):
        amount = int(group["amount"].sum())
        if not (group["amount"] != 0).any():
            continue
        post = posts.get(statskonto)
        if post is None:
            found.append(Finding("", f"not in the {data.year} budget catalogue (budget.csv): no allocation",
                                 statskonto=statskonto, amount=amount, vouchers=_vouchers(group)))
        elif post.relation == "own" and statskonto not in allotted:
            found.append(Finding("", f"an own post without an allocation in appropriations.csv for {data.year}",
                                 statskonto=statskonto, amount=amount, vouchers=_vouchers(group)))
    return found


def _allowed_combination(data: YearData) -> list[Finding]:
    lines = base.reported(data)
    if lines.empty:
        return []
    try:
        codes = artskonto_codes(data, lines)
    except StatementError as exc:
        return [Finding("", str(exc))]
    frame = lines.assign(code=codes.astype(str))
    found = []
    for (statskonto, code), group in frame.groupby(["statskonto", "code"], sort=True):
        allowed = data.reference.monthly.allowed(statskonto, code)
        if allowed:
            continue
        why = ("no row of statskonto_artskonto.csv holds its chapter" if allowed is None
               else "a combination the standard chart does not allow (statskonto_artskonto.csv)")
        found.append(Finding("", why, statskonto=statskonto, artskonto=code, amount=int(group["amount"].sum()),
                             vouchers=_vouchers(group)))
    return found


def _settlement_uncoded(data: YearData) -> list[Finding]:
    lines = base.movements(data)
    settlement = base.accounts_with_roles(data, "kk_in", "kk_out", "mellomvaerende")
    coded = lines[lines["account"].isin(settlement) & (lines["statskonto"] != "")]
    return [Finding("", "a KK or mellomværende account carries a statskonto", statskonto=statskonto,
                    account=account, amount=int(group["amount"].sum()), vouchers=_vouchers(group))
            for (account, statskonto), group in coded.groupby(["account", "statskonto"], sort=True)]


def _voucher_identity(data: YearData) -> list[Finding]:
    lines = base.clean(data.lines[data.lines["kind"] == BatchKind.JOURNAL])
    if lines.empty:
        return []
    settlement = base.accounts_with_roles(data, "kk_in", "kk_out", "mellomvaerende")
    reported = lines["amount"].where(lines["statskonto"] != "", 0)
    settled = lines["amount"].where(lines["account"].isin(settlement), 0)
    per = pd.DataFrame({"voucher": lines["voucher"], "net": reported + settled}).groupby("voucher")["net"].sum()
    bad = per[(per != 0) & (per.index != "")]
    return [Finding("", "the statskonto-coded lines and the KK/mellomværende lines of the voucher do not cancel",
                    amount=int(net), vouchers=(str(voucher),)) for voucher, net in bad.items()]


MEASURES = {
    "report_and_capital_sum": _report_and_capital_sum,
    "statskonto_allocated": _statskonto_allocated,
    "allowed_combination": _allowed_combination,
    "settlement_uncoded": _settlement_uncoded,
    "voucher_identity": _voucher_identity,
}


@attrs.frozen
class CheckOutcome:
    """One rule of ``monthly_checks.csv`` and its findings (none: the check passed)."""

    check: MonthlyCheck
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """Whether the check found nothing."""
        return not self.findings


def run_monthly_checks(data: YearData) -> list[CheckOutcome]:
    """Every check of ``data.reference.monthly.checks`` over the period's lines in ``data``.

    ``data`` must hold every line (with its voucher), as
    :func:`ledger.statements.loading.load_period` gives it.
    """
    outcomes = []
    for check in data.reference.monthly.checks:
        findings = MEASURES[check.measure](data)
        outcomes.append(CheckOutcome(check, tuple(attrs.evolve(f, rule=check.rule) for f in findings)))
    return outcomes
