"""Internal identities of the annual accounts, as data (``chart_of_accounts/identities.csv``).

Each row says ``left = right`` where both sides are linear expressions over statement
figures: terms ``statement:line_id:column`` or integer øre, joined by `` + `` / `` - ``
(spaces around the operator, since column ids such as ``2024-12-31`` contain ``-``).
``over`` names a statement whose non-heading lines replace ``*`` in the terms, one
check per line.  The figures are the *presented* values of the computed statement
tables (øre, :func:`ledger.layout.evaluate`), so every identity holds to the øre in
consistent books.

Pure: the tables come in, :class:`CheckResult` rows go out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import pandas as pd

from ledger.chart import ChartError, read_table, resolve_data_dir

Tables = Mapping[str, pd.DataFrame]
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


@attrs.frozen
class CheckResult:
    """The outcome of one check: ``ok``, ``FAIL`` or ``skipped`` (a statement not computed)."""

    id: str
    description: str
    status: str
    left: int | None = None
    right: int | None = None
    detail: str = ""

    @property
    def difference(self) -> int | None:
        """left − right in øre (None when not computed)."""
        return None if self.left is None or self.right is None else self.left - self.right


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


def load_identities(data_dir: str | Path | None = None) -> tuple[Identity, ...]:
    """Every row of ``identities.csv`` (``ChartError`` naming the row on a bad expression)."""
    path = resolve_data_dir(data_dir) / "identities.csv"
    found: list[Identity] = []
    for row_no, row in read_table(path):
        try:
            left, right = parse_expression(row["left"]), parse_expression(row["right"])
        except ValueError as exc:
            raise ChartError(path, row_no, "identity-expression", str(exc)) from None
        found.append(Identity(row["id"], row.get("over", ""), left, right,
                              row.get("description", ""), row.get("source", ""),
                              int(row.get("tolerance_ore") or 0)))
    return tuple(found)


def figure(tables: Tables, statement: str, line_id: str, column: str) -> int:
    """One presented figure (øre); KeyError naming what is missing."""
    table = tables[statement]
    rows = table.loc[table["line_id"] == line_id]
    if rows.empty:
        raise KeyError(f"{statement} has no line {line_id!r}")
    if column not in table.columns:
        raise KeyError(f"{statement} has no column {column!r}")
    return int(rows.iloc[0][column])


def _value(terms: Iterable[Term], tables: Tables) -> int:
    return sum(t.sign * (t.constant if not t.statement else figure(tables, t.statement, t.line_id, t.column))
               for t in terms)


def _instances(identity: Identity, tables: Tables) -> list[tuple[str, tuple[Term, ...], tuple[Term, ...]]]:
    if not identity.over:
        return [(identity.id, identity.left, identity.right)]
    table = tables[identity.over]
    lines = table.loc[table["kind"] != "heading", "line_id"]
    bind = lambda terms, line: tuple(attrs.evolve(t, line_id=line) if t.line_id == "*" else t for t in terms)
    return [(f"{identity.id}[{line}]", bind(identity.left, line), bind(identity.right, line)) for line in lines]


def statements_of(identity: Identity) -> set[str]:
    """The statements an identity reads."""
    return {t.statement for t in (*identity.left, *identity.right) if t.statement} | (
        {identity.over} if identity.over else set())


def check_identity(identity: Identity, tables: Tables) -> list[CheckResult]:
    """Evaluate one identity (one result per line when it runs ``over`` a statement)."""
    missing = sorted(s for s in statements_of(identity) if s not in tables)
    if missing:
        return [CheckResult(identity.id, identity.description, "skipped",
                            detail=f"not computed: {', '.join(missing)}")]
    results = []
    for check_id, left, right in _instances(identity, tables):
        try:
            lv, rv = _value(left, tables), _value(right, tables)
        except KeyError as exc:
            results.append(CheckResult(check_id, identity.description, "FAIL", detail=str(exc.args[0])))
            continue
        ok = abs(lv - rv) <= identity.tolerance_ore
        results.append(CheckResult(check_id, identity.description, "ok" if ok else "FAIL", lv, rv))
    return results


def check_all(identities: Iterable[Identity], tables: Tables) -> list[CheckResult]:
    """Every identity against the computed tables, in table order."""
    return [result for identity in identities for result in check_identity(identity, tables)]
