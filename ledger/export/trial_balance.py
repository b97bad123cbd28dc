"""The trial balance (saldobalanse) as ``ledger balance`` prints it.

Rows come from the books' totals (:meth:`ledger.books.store.Books.trial_balance_rows`),
names of their keys from the caller; this module writes them as an aligned table, CSV
or JSON.
It uses the standard library only, so the command starts and answers in about a
tenth of a second whatever the size of the books.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

from ledger.core.money import format_decimal
from ledger.export.neutral import neutral

COLUMNS = ("name", "debit", "credit", "balance")


def records(rows: Sequence[tuple[str, int]], names: Mapping[str, str], key: str) -> list[dict[str, str]]:
    """One dict per key: the key, its name, debit, credit and balance in kroner (text)."""
    return [{key: code, "name": names.get(code, ""), "debit": format_decimal(max(amount, 0)),
             "credit": format_decimal(max(-amount, 0)), "balance": format_decimal(amount)}
            for code, amount in rows]


def render(rows: Sequence[tuple[str, int]], names: Mapping[str, str], key: str, fmt: str) -> str:
    """The trial balance as ``table`` (with a Sum row), ``csv`` or ``json``."""
    found = records(rows, names, key)
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[key, *COLUMNS], lineterminator="\n")
        writer.writeheader()
        # Account names come from the books (a SAF-T file's): never a formula.
        writer.writerows({k: neutral(v) for k, v in row.items()} for row in found)
        return out.getvalue()
    amounts = [amount for _, amount in rows]
    found.append({key: "Sum", "name": "", "debit": format_decimal(sum(a for a in amounts if a > 0)),
                  "credit": format_decimal(-sum(a for a in amounts if a < 0)),
                  "balance": format_decimal(sum(amounts))})
    return _aligned([key, *COLUMNS], found)


def _aligned(columns: list[str], found: list[dict[str, str]]) -> str:
    """Every cell right-aligned to its column's widest entry, one space apart."""
    widths = [max([len(c), *(len(r[c]) for r in found)]) for c in columns]
    lines = [" ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += [" ".join(r[c].rjust(w) for c, w in zip(columns, widths)) for r in found]
    return "\n".join(lines)
