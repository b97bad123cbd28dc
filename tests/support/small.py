"""A small chart and budget, and vouchers made in code: enough for hand-computed ledgers."""

from __future__ import annotations

import datetime as dt

from ledger.core.records import Line, Voucher
from ledger.journal.batch import batch_from_vouchers

# A small chart: code, name, SKP, role.  Enough for hand-computed ledgers.
SMALL_CHART = [
    ("1930", "KK innbetalinger", "193", "kk_in"),
    ("1940", "KK utbetalinger", "194", "kk_out"),
    ("1986", "Arbeidsgiveravgift", "1986", "avregning"),
    ("1987", "Nettoføringsordning for mva.", "1987", "avregning"),
    ("2400", "Leverandørgjeld", "240", None),
    ("2600", "Forskuddstrekk", "260", "mellomvaerende"),
    ("5000", "Lønn", "500", None),
    ("5400", "Arbeidsgiveravgift", "540", None),
    ("6730", "Andre konsulenttjenester", "673", None),
    ("8700", "Tilskudd til kommuner", "870", None),
    ("8480", "Tilfeldige og andre inntekter", "848", None),
]
SMALL_BUDGET = {2024: ["0670.01", "0671.60", "1633.01", "5309.29", "5700.72"]}


def voucher(vid: str, *lines: tuple, date: dt.date = dt.date(2024, 3, 1)) -> Voucher:
    """A voucher from (account, øre[, statskonto]) tuples."""
    return Voucher(vid, date, [Line(a[0], a[1], a[2] if len(a) > 2 else None) for a in lines])


def batch(*vouchers: Voucher, source: str = "test", kind: str = "journal"):
    """A batch of vouchers."""
    return batch_from_vouchers(vouchers, source=source, kind=kind)
