"""The pieces an explanation is made of: a :class:`Part` of a figure and the posted lines behind it."""

from __future__ import annotations

import attrs
import pandas as pd

LINE_COLUMNS = ["voucher", "date", "account", "statskonto", "artskonto", "amount", "text", "dims", "batch_id"]
"""The columns of the posted lines an explanation lists (with ``presented``)."""

ROW_COLUMNS = ["id", "line_count", "sign"]
"""What an explanation keeps of each selected row to find its posted lines: the line's id (-1
for a row that sums lines: :meth:`ledger.books.store.Books.compact_lines`), how many lines it
stands for, and the sign its amount is presented with."""


@attrs.frozen
class Part:
    """One component of a figure: ``kind`` (account, artskonto, statskonto, term, input,
    numerator, denominator), its key and name, and its contribution in øre as presented
    (line sign applied; a key figure's terms in their own unit).  ``ref`` is
    ``STATEMENT LINE COLUMN`` when the part is itself a figure that ``explain`` explains."""

    kind: str
    key: str
    name: str
    amount: int
    ref: str = ""


def empty_lines() -> pd.DataFrame:
    """No posted lines."""
    return pd.DataFrame(columns=LINE_COLUMNS + ROW_COLUMNS + ["presented"])


def select(lines: pd.DataFrame, mask: pd.Series, sign: int) -> pd.DataFrame:
    """The lines of ``mask`` with their ``presented`` amount (``sign`` × amount), id, line
    count (1 for a posted line) and sign."""
    chosen = lines.loc[mask, [c for c in LINE_COLUMNS + ROW_COLUMNS[:2] if c in lines.columns]].copy()
    if "line_count" not in chosen:
        chosen["line_count"] = 1
    chosen["sign"] = sign
    chosen["presented"] = sign * chosen["amount"].astype("int64")
    return chosen
