"""Immutable records at the edges of the engine: lines, vouchers, violations.

Large imports travel as DataFrames (see :mod:`ledger.journal.reader`); these records are
for single vouchers, the API and error reports, where readability matters more
than speed.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

# ASCII digits only (Python's \d also matches other scripts' digits).
# The years of the books: journal dates and the YEAR of a command (README "Accepted dates").
FIRST_YEAR, LAST_YEAR = 2000, 2099
STATSKONTO_RE = re.compile(r"^[0-9]{4}\.[0-9]{2}$")
ARTSKONTO_RE = re.compile(r"^[0-9]{3}$")


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _dimensions(value: object) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, dict) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))  # type: ignore[union-attr]


@attrs.frozen
class SourceLocation:
    """Where something was read: file name and 1-based line number."""

    file: str
    line: int

    def __str__(self) -> str:
        # Line 0 means the whole file (a batch-level finding).
        return f"{self.file}:{self.line}" if self.line else self.file


@attrs.frozen
class Line:
    """One posting line (postering): an account debited (+) or credited (-) in øre.

    ``statskonto`` (kapittel.post, ``KKKK.PP``) is set on the lines reported to the
    central government accounts; ``artskonto`` is the three-digit nature they are
    reported under (defaults to the account's SKP code when reporting).
    """

    account: str = attrs.field(converter=str)
    amount: int = attrs.field(validator=attrs.validators.instance_of(int))
    statskonto: str | None = attrs.field(default=None, converter=_optional_str)
    artskonto: str | None = attrs.field(default=None, converter=_optional_str)
    dimensions: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_dimensions)
    text: str = ""
    source: SourceLocation | None = None

    @amount.validator
    def _not_bool(self, _attribute: attrs.Attribute, value: object) -> None:
        if isinstance(value, bool):
            raise TypeError("amount must be int øre, not bool")


@attrs.frozen
class Voucher:
    """A voucher (bilag): lines posted together, which must sum to 0 øre."""

    id: str = attrs.field(converter=str)
    date: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))
    lines: tuple[Line, ...] = attrs.field(converter=tuple)
    source: SourceLocation | None = None

    @property
    def total(self) -> int:
        """Sum of the lines in øre (0 for a balanced voucher)."""
        return sum(line.amount for line in self.lines)


@attrs.frozen
class Violation:
    """A broken posting rule: where, which voucher, which rule, and what."""

    rule: str
    message: str
    voucher: str | None = None
    source: SourceLocation | None = None

    def __str__(self) -> str:
        where = str(self.source) if self.source else "-"
        voucher = f" voucher {self.voucher}" if self.voucher else ""
        return f"{where}:{voucher} [{self.rule}] {self.message}"


class BatchKind(enum.StrEnum):
    """What a batch of lines is: the year's journal, an opening balance, or closing entries.

    Stored as text in the books (``batches.kind``); a :class:`enum.StrEnum` compares
    equal to that text.
    """

    JOURNAL = "journal"
    OPENING = "opening"
    CLOSING = "closing"


BALANCE_KINDS = frozenset({BatchKind.OPENING, BatchKind.CLOSING})
"""Batch kinds that carry balances, not the year's payments: exempt from the
settlement identity, and left out of the cash statements' movements."""
