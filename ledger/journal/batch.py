"""A batch: the lines read from one source, to be posted all together or not at all.

Large imports travel as a DataFrame of lines (:data:`LINE_COLUMNS`); single vouchers
made in code (the close, tests) become a batch through :func:`batch_from_vouchers`.
"""

from __future__ import annotations

import hashlib
import json

import attrs
import numpy as np
import pandas as pd

from ledger.core.records import BatchKind, SourceLocation

# The columns of a batch's line table, in the order the books store them.
LINE_COLUMNS = (
    "voucher", "date", "year", "account", "amount", "statskonto", "artskonto",
    "text", "dims", "src_line",
)


@attrs.frozen(eq=False)
class Batch:
    """Lines read from one source, to be posted all together or not at all.

    ``lines`` has the columns of :data:`LINE_COLUMNS`: ``amount`` int64 øre,
    ``year`` int64, ``date`` ISO text, ``statskonto``/``artskonto`` text or None,
    ``dims`` JSON text of the line's dimensions, ``src_line`` the 1-based line number.
    ``kind`` is ``journal``, ``opening`` (an opening balance) or ``closing``.
    """

    source: str
    sha256: str
    lines: pd.DataFrame
    kind: str = BatchKind.JOURNAL
    # Each column's factorisation, made once on first use (the posting rules, the totals
    # and the segments all need the codes of the same few columns of millions of lines).
    _factorized: dict = attrs.field(factory=dict, repr=False, init=False)

    def factorized(self, column: str):
        """``(codes, distinct)`` of a column of the lines (``pd.factorize``: codes int32 in order
        of first appearance, -1 for a missing value), computed once per batch."""
        if column not in self._factorized:
            self.remember_factorized(column, *pd.factorize(self.lines[column], use_na_sentinel=True))
        return self._factorized[column]

    def remember_factorized(self, column: str, codes, distinct) -> None:
        """Record a factorisation of ``column`` already made (by the reader), exactly as
        :meth:`factorized` would make it."""
        # int32 codes: half the memory of pandas' int64 for the millions of lines of a year
        # (a batch has fewer than 2^31 lines).
        self._factorized[column] = (np.asarray(codes, dtype="int32"), distinct)

    def location(self, src_line: int) -> SourceLocation:
        """The source location of a line of this batch."""
        return SourceLocation(self.source, int(src_line))


def empty_batch(source: str, content: bytes, kind: str) -> Batch:
    """A batch with no lines (what a file that cannot be read gives, beside its violations)."""
    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("amount", "year", "src_line") else object)
                          for c in LINE_COLUMNS})
    return Batch(source, hashlib.sha256(content).hexdigest(), empty, kind)


def batch_from_vouchers(vouchers, source: str, kind: str = BatchKind.JOURNAL) -> Batch:
    """A batch from :class:`~ledger.core.records.Voucher` records (API and tests)."""
    rows = []
    # Lines without a source location are numbered in order, as a file would be.
    for voucher in vouchers:
        for line in voucher.lines:
            rows.append({
                "voucher": voucher.id, "date": voucher.date.isoformat(), "year": voucher.date.year,
                "account": line.account, "amount": line.amount, "statskonto": line.statskonto,
                "artskonto": line.artskonto, "text": line.text,
                "dims": json.dumps(dict(line.dimensions), ensure_ascii=False, sort_keys=True),
                "src_line": line.source.line if line.source else len(rows) + 2,
            })
    if not rows:
        return empty_batch(source, b"", kind)
    frame = pd.DataFrame(rows, columns=list(LINE_COLUMNS)).astype(
        {"amount": "int64", "year": "int64", "src_line": "int64"})
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return Batch(source, digest, frame, kind)
