"""Internal identities of the annual accounts, as data (``chart_of_accounts/identities.csv``).

Each row says ``left = right`` where both sides are linear expressions over statement
figures: terms ``statement:line_id:column`` or integer øre, joined by `` + `` / `` - ``
(spaces around the operator, since column ids such as ``aar-1`` contain ``-``).
A line id with ``?`` or ``[…]`` (fnmatch) sums the detail lines it matches.
``over`` names a statement whose non-heading lines replace ``*`` in the terms, one
check per line.  This module reads the table; :mod:`ledger.reconcile.identities`
evaluates it against the computed statements.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.tables import ChartError, resolve_data_dir, table_rows

_OPERAND = re.compile(r"^([A-Za-z0-9_]+):([^:\s]+):([^:\s]+)$")


@attrs.frozen
class Term:
    """``sign × statement:line_id:column``, or ``sign × constant`` when ``statement`` is empty."""

    sign: int
    statement: str = ""
    line_id: str = ""
    column: str = ""
    constant: int = 0

    def text(self) -> str:
        """The term as written in the table."""
        return f"{self.statement}:{self.line_id}:{self.column}" if self.statement else str(self.constant)


@attrs.frozen
class Identity:
    """One row of ``identities.csv``."""

    id: str
    over: str
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    description: str
    source: str = ""
    # Allowed |left - right| in øre: only where one side is last year's figure as
    # printed in whole kroner (the comparatives), so it cannot match to the øre.
    tolerance_ore: int = 0


def parse_expression(text: str) -> tuple[Term, ...]:
    """``'a:b:c + d:e:f - 100'`` → terms; a leading ``-`` negates the first term."""
    tokens = text.split()
    terms: list[Term] = []
    sign = 1
    expect_operand = True
    for token in tokens:
        if expect_operand and token in "+-":
            sign = -sign if token == "-" else sign
            continue
        if not expect_operand:
            if token not in ("+", "-"):
                raise ValueError(f"expected + or - before {token!r} in {text!r}")
            sign, expect_operand = (-1 if token == "-" else 1), True
            continue
        match = _OPERAND.match(token)
        if match:
            terms.append(Term(sign, *match.groups()))
        elif re.fullmatch(r"-?\d+", token):
            terms.append(Term(sign, constant=int(token)))
        else:
            raise ValueError(f"not statement:line:column or an integer: {token!r}")
        sign, expect_operand = 1, False
    if expect_operand:
        raise ValueError(f"incomplete expression {text!r}")
    return tuple(terms)


def load_identities(data_dir: str | Path | None = None, content: bytes | None = None) -> tuple[Identity, ...]:
    """Every row of ``identities.csv`` (``ChartError`` naming the row on a bad expression);
    ``content``: an agency's own table instead of the folder's."""
    path = resolve_data_dir(data_dir) / "identities.csv" if content is None else Path("identities.csv")
    found: list[Identity] = []
    problems = Problems()
    for row_no, row in table_rows(path, content):
        try:
            left, right = parse_expression(row["left"]), parse_expression(row["right"])
        except ValueError as exc:
            problems.add(path, row_no, "identity-expression", str(exc))
            continue
        found.append(Identity(row["id"], row.get("over", ""), left, right,
                              row.get("description", ""), row.get("source", ""),
                              int(row.get("tolerance_ore") or 0)))
    problems.raise_if_any(ChartError.of)
    return tuple(found)


