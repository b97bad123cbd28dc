"""The monthly report written as the public file ``statsregnskapet_aar_YYYY.csv`` is.

``;``-separated, every field in double quotes, ISO-8859-1, ``Beløp`` in kroner with a
decimal comma and three decimals (``-847732,870``), debit positive (statsregnskapet
README).  ``fmt="csv"`` writes the same rows for people: UTF-8, ``,``-separated, ``Beløp``
with a decimal point and two decimals.  Text fields pass through
:func:`ledger.export.neutral.neutral` like every CSV the engine writes.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from ledger.export.neutral import neutral
from ledger.statements.statsregnskapet import COLUMNS

PUBLIC_ENCODING = "iso-8859-1"


class EncodingProblem(ValueError):
    """A text the public file's encoding (ISO-8859-1) cannot hold, named by row and column."""


def public_amount(ore: int) -> str:
    """Øre as the public file writes kroner: ``-847732,870``."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), 100)
    return f"{sign}{kroner},{rest:02d}0"


def plain_amount(ore: int) -> str:
    """Øre as kroner with a decimal point: ``-847732.87``."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), 100)
    return f"{sign}{kroner}.{rest:02d}"


def render(rows: pd.DataFrame, fmt: str = "public") -> bytes:
    """The rows (:func:`ledger.statements.statsregnskapet.statsregnskapet`) as the file's bytes.

    ``fmt`` ``public``: the published format (ISO-8859-1, ``;``, quoted, decimal comma);
    ``csv``: UTF-8 for people.  :class:`EncodingProblem` for a text outside ISO-8859-1.
    """
    public = fmt == "public"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if public else ",", quoting=csv.QUOTE_ALL if public else csv.QUOTE_MINIMAL,
                        lineterminator="\r\n" if public else "\n")
    writer.writerow(COLUMNS)
    amount = public_amount if public else plain_amount
    for number, row in enumerate(rows.itertuples(index=False), start=2):
        record = dict(zip(rows.columns, row))
        fields = [str(neutral(record[c])) if c != "Beløp" else amount(record["amount_ore"]) for c in COLUMNS]
        if public:
            for column, value in zip(COLUMNS, fields):
                try:
                    value.encode(PUBLIC_ENCODING)
                except UnicodeEncodeError as exc:
                    raise EncodingProblem(f"row {number}, column {column}: {value!r} has {value[exc.start]!r}, "
                                          f"which ISO-8859-1 (the public file's encoding) cannot hold; use "
                                          f"--format csv, or change the text where it comes from") from None
        writer.writerow(fields)
    return out.getvalue().encode(PUBLIC_ENCODING if public else "utf-8")
