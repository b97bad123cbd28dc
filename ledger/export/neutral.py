"""CSV fields a spreadsheet would run as formulas, made inert (OWASP "CSV injection").

A field that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)``,
``@SUM(…)``, ``-2+3``).  :func:`neutral` prefixes such a field with a single quote, as
OWASP recommends, unless it is a number (``-1234.50`` stays a number).  The csv
module then quotes the field where its content needs it.  Standard library only: the
trial balance (``ledger balance --format csv``) does not load pandas.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")


def neutral(value: object) -> object:
    """``value``, with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.match(value):
        return value
    return "'" + value


def neutral_frame(frame):
    """A copy of a DataFrame with every text cell passed through :func:`neutral`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].map(neutral)
    return out
