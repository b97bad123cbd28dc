"""Split analyses: one SAF-T line spread over departments, projects … by ``Analysis`` amounts.

A ``Line`` may carry several ``Analysis`` elements of one ``AnalysisType``, each
with its own amount: 1.10 writes ``AnalysisAmount`` (on the line's side: a share of
a credit line is a credit), 1.30 ``DebitAnalysisAmount`` or ``CreditAnalysisAmount``
(each share its own side).  Amounts are in the header's default currency; a share
may add ``CurrencyCode``/``CurrencyAmount`` in the line's foreign currency.

:func:`split_line` turns a line into the lines the books get:

- a type with one analysis applies to the whole line (its amount, if given, must
  be the line's);
- a type with several analyses, each with an amount, *splits* the line: one posted
  line per share, with that analysis as its value and the share as its amount.
  The shares must add up to the line, in the default currency and, when the line
  and every share give one, in the foreign currency;
- every other type of the line goes on each share;
- two types that both split the line are refused: the file gives each type's
  shares of the line, not how the shares of one type fall on the other's, and
  the books would have to invent it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ledger.core.money import format_decimal


@attrs.frozen
class Share:
    """One ``Analysis`` of a line: type, id, and its amount (signed øre, debit +) when it has one."""

    type: str
    id: str
    amount: int | None = None
    currency: str | None = None
    currency_amount: int | None = None


@attrs.frozen
class LineAmount:
    """A line's amount (signed øre in the default currency) and its foreign currency, if any."""

    amount: int
    currency: str | None = None
    currency_amount: int | None = None


@attrs.frozen
class SplitProblem:
    """Why a line cannot be split: the rule and the message (the caller adds where)."""

    rule: str
    message: str


Analyses = tuple[tuple[str, str], ...]


def split_line(shares: Sequence[Share], line: LineAmount) -> list[tuple[Analyses, int]] | SplitProblem:
    """The posted lines of a line: ``(analyses, amount)`` each, or the problem that refuses it."""
    by_type: dict[str, list[Share]] = {}
    for share in shares:
        by_type.setdefault(share.type, []).append(share)
    splitting = []
    for kind, group in by_type.items():
        problem = _check_type(kind, group, line)
        if problem:
            return problem
        if _splits(group):
            splitting.append(kind)
    if len(splitting) > 1:
        counts = " and ".join(f"{kind} ({len(by_type[kind])} shares)" for kind in splitting)
        return SplitProblem("analysis-combination", f"analysis types {counts} both split the line: the file "
                            "does not say how the shares of one fall on the other's")
    whole = tuple((kind, group[0].id) for kind, group in by_type.items() if kind not in splitting)
    if not splitting:
        return [(whole, line.amount)]
    kind = splitting[0]
    position = list(by_type).index(kind)
    return [(whole[:position] + ((kind, share.id),) + whole[position:], share.amount) for share in by_type[kind]]


def _splits(group: list[Share]) -> bool:
    """Whether a type's analyses split the line (several distinct shares)."""
    return len(group) > 1 and not _repeated(group)


def _repeated(group: list[Share]) -> bool:
    """The same analysis written more than once without amounts: one analysis."""
    return all(s.amount is None for s in group) and len({s.id for s in group}) == 1


def _check_type(kind: str, group: list[Share], line: LineAmount) -> SplitProblem | None:
    for share in group:
        if share.currency is not None and share.currency != line.currency:
            in_line = f"the line's {line.currency}" if line.currency else "a line in the default currency"
            return SplitProblem("analysis-currency", f"analysis {kind} {share.id} gives an amount in "
                                f"{share.currency}, on {in_line}")
    if len(group) == 1 or _repeated(group):
        share = group[0]
        if share.amount is not None and share.amount != line.amount:
            return SplitProblem("analysis-split", f"analysis {kind} {share.id} has the amount "
                                f"{format_decimal(share.amount)}, the line {format_decimal(line.amount)}")
        return None
    if any(s.amount is None for s in group):
        return SplitProblem("analysis-duplicate", f"analysis type {kind!r} appears {len(group)} times on the "
                            "line, not each with an amount: the line cannot be split")
    total = sum(s.amount for s in group)
    if total != line.amount:
        return SplitProblem("analysis-split", f"the shares of analysis type {kind} sum to "
                            f"{format_decimal(total)}, the line is {format_decimal(line.amount)} "
                            f"(difference {format_decimal(total - line.amount)})")
    foreign = [s.currency_amount for s in group]
    if line.currency_amount is not None and None not in foreign and sum(foreign) != line.currency_amount:
        return SplitProblem("analysis-split", f"the shares of analysis type {kind} sum to "
                            f"{format_decimal(sum(foreign))} {line.currency}, the line is "
                            f"{format_decimal(line.currency_amount)} {line.currency}")
    return None
