"""Checking the internal identities (``chart_of_accounts/identities.csv``) against the statements.

The figures are the *presented* values of the computed statement tables (øre,
:func:`ledger.reference.layout.evaluate`), so every identity holds to the øre in
consistent books.  Pure: the identities and the tables come in, :class:`CheckResult`
rows go out.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

import attrs
import pandas as pd

from ledger.reference.identities import Identity, Term

Tables = Mapping[str, pd.DataFrame]


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


def figure(tables: Tables, statement: str, line_id: str, column: str) -> int:
    """One presented figure (øre); KeyError naming what is missing.

    A ``line_id`` with a pattern (``?``, ``[…]``, as in :mod:`fnmatch`) sums the detail lines
    it matches, none being 0: ``bevilgning:[0-2]???.[67]?:regnskap`` is every grant post.
    """
    table = tables[statement]
    if is_pattern(line_id):
        if column not in table.columns:
            raise KeyError(f"{statement} has no column {column!r}")
        hits = table["line_id"].map(lambda found: fnmatch.fnmatchcase(str(found), line_id)) & (table["kind"] == "detail")
        return int(table.loc[hits, column].sum())
    rows = table.loc[table["line_id"] == line_id]
    if rows.empty:
        raise KeyError(f"{statement} has no line {line_id!r}")
    if column not in table.columns:
        raise KeyError(f"{statement} has no column {column!r}")
    return int(rows.iloc[0][column])


def is_pattern(line_id: str) -> bool:
    """Whether a term's line id is a pattern over line ids (``?`` or ``[…]``; ``*`` alone binds ``over``)."""
    return "?" in line_id or "[" in line_id


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
