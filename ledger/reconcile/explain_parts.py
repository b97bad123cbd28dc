"""The pieces an explanation is made of: a :class:`Part` of a figure and the posted lines behind it."""

from __future__ import annotations

import attrs
import pandas as pd

LINE_COLUMNS = ["voucher", "date", "account", "statskonto", "artskonto", "amount", "text", "dims", "batch_id"]
"""The columns of the posted lines an explanation lists (with ``presented``)."""


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
    return pd.DataFrame(columns=LINE_COLUMNS + ["presented"])


def select(lines: pd.DataFrame, mask: pd.Series, sign: int) -> pd.DataFrame:
    """The lines of ``mask`` with their ``presented`` amount (``sign`` × amount)."""
    chosen = lines.loc[mask, [c for c in LINE_COLUMNS if c in lines.columns]].copy()
    chosen["presented"] = sign * chosen["amount"].astype("int64")
    return chosen
