"""Posting rules, checked on a whole batch before anything is written.

Every rule is a column operation over the batch's line table, so a batch of
millions of lines is checked without a Python object per line.  All violations
are collected (not just the first), each with its file:line, voucher and rule code:

==================== ==========================================================
rule code            what it means
==================== ==========================================================
voucher-lines        a voucher needs at least two lines
voucher-balance      a voucher's lines must sum to exactly 0 øre
voucher-date         all lines of a voucher carry the same date
voucher-duplicate    a voucher id is already in the books
account-unknown      the account is not in the books' chart
statskonto-format    a statskonto is ``KKKK.PP``
statskonto-unknown   the statskonto is not in the year's budget catalogue
artskonto-format     an artskonto is three digits, or the line's own four-digit
                     SKP code on the SKP sub-accounts 1985-1999
year-closed          the date lies in a closed year
month-locked         the date lies in a month locked after it was reported
                     (``ledger lock``); journal batches only: opening and
                     closing batches carry balances, not reported flows
settlement-identity  the statskonto-coded lines must sum to minus the lines on
                     KK and mellomværende accounts (DOMAIN.md); opening and
                     closing batches are exempt
==================== ==========================================================
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import attrs
import numpy as np
import pandas as pd

from ledger.core.money import format_decimal
from ledger.core.records import ARTSKONTO_RE, BALANCE_KINDS, STATSKONTO_RE, Violation
from ledger.journal.batch import Batch

# The four-digit SKP sub-accounts whose artskonto is the account itself (the avregning
# accounts 1985 gruppeliv, 1986 arbeidsgiveravgift, 1987 nettoført mva … 1999 resultat).
OWN_CODE_ACCOUNTS = range(1985, 2000)


@attrs.frozen
class PostingContext:
    """What the rules need to know about the books a batch is posted into.

    ``statskontoer`` maps a year to its budget catalogue's statskontoer; a year
    without a catalogue is checked for the ``KKKK.PP`` format only.
    ``existing_vouchers`` are the batch's voucher ids already in the books.
    """

    accounts: frozenset[str]
    settlement_accounts: frozenset[str]
    statskontoer: Mapping[int, frozenset[str]] = attrs.field(factory=dict)
    closed_years: frozenset[int] = frozenset()
    locked_months: Mapping[int, int] = attrs.field(factory=dict)
    existing_vouchers: Collection[str] = frozenset()


def check_batch(batch: Batch, context: PostingContext) -> list[Violation]:
    """Every rule violation in ``batch``, in source order."""
    if batch.lines.empty:
        return []
    check = BatchCheck(context, batch.kind)
    check.add(batch)
    known = frozenset(context.existing_vouchers)
    violations, _ = check.finish(lambda ids: frozenset(v for v in ids.to_pylist() if v in known),
                                 lambda ids, chunks: _lines_of_vouchers(batch, ids))
    return violations


class BatchCheck:
    """The posting rules over one batch read in chunks (in source order, any number), the
    lines of a voucher anywhere in it.

    A chunk's line rules are final when it is added, and so are its voucher rules for the
    vouchers of no other chunk.  The few vouchers found in several chunks (one across a chunk
    boundary, or lines of a voucher far apart in the file) are checked again in :meth:`finish`
    over all their lines.  Between chunks it keeps the violations found and each chunk's
    distinct voucher ids (about a dozen bytes a voucher), never the lines.
    """

    def __init__(self, context: PostingContext, kind: str):
        self.context, self.kind = context, kind
        self._format: list[Violation] = []      # the reader's findings
        self._found: list[Violation] = []       # the line rules': final
        self._per_chunk: list[Violation] = []   # the voucher rules' within each chunk
        self._vouchers: list = []               # each chunk's distinct voucher ids (Arrow)
        self._broken: set = set()               # vouchers with a line the reader could not read

    def add(self, chunk: Batch, format_violations=()) -> None:
        """Check the next chunk; ``format_violations``: what the reader found in it.  A voucher
        with a line the reader could not read is left out of the rules: its sums would mislead."""
        import pyarrow as pa

        distinct = chunk.factorized("voucher")[1]
        self._vouchers.append(pa.array(np.asarray(distinct, dtype=object), pa.large_string(), from_pandas=True))
        if format_violations:
            self._format += format_violations
            self._broken |= {v.voucher for v in format_violations}
            chunk = _readable(chunk, self._broken)
        if chunk.lines.empty:
            return
        self._found += _line_rules(chunk, self.context)
        self._per_chunk += _voucher_rules(chunk, self.context)

    def finish(self, existing, lines_of) -> tuple[list[Violation], int]:
        """Every violation of the batch in source order, and its number of distinct vouchers.

        ``existing(ids)``: which of the voucher ids (an Arrow array) the books already hold;
        ``lines_of(ids, chunks)``: the batch's lines of those vouchers (a :class:`Batch`, with
        at least the columns the voucher rules read), which lie in the chunks numbered
        ``chunks`` (0 the first added): to check again the vouchers found in several chunks and
        to place a duplicate at its first line.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self._vouchers:
            return list(self._format), 0
        counted = pc.value_counts(pa.chunked_array(self._vouchers, pa.large_string()))
        ids, counts = counted.field("values"), counted.field("counts")
        several = ids.filter(pc.greater(counts, 1))
        again = set(several.to_pylist())
        found = self._found + [v for v in self._per_chunk if v.voucher not in again]
        if again:
            lines = lines_of(several, self._chunks_holding(several))
            found += _voucher_rules(_readable(lines, self._broken), self.context)
        held = existing(ids)
        if held:
            named = pa.array(sorted(held), pa.large_string())
            found += _duplicates(lines_of(named, self._chunks_holding(named)), held)
        found = self._format + [v for v in found if v.voucher not in self._broken]
        return sorted(found, key=lambda v: (v.source.line if v.source else 0, v.rule)), len(ids)

    def _chunks_holding(self, ids) -> list[int]:
        """The numbers of the chunks with a line of one of the vouchers ``ids``."""
        import pyarrow.compute as pc

        return [n for n, held in enumerate(self._vouchers) if pc.any(pc.is_in(held, value_set=ids)).as_py()]


def _readable(batch: Batch, broken: set) -> Batch:
    """``batch`` without the vouchers in ``broken``."""
    if not broken:
        return batch
    return attrs.evolve(batch, lines=batch.lines[~batch.lines["voucher"].isin(broken)].reset_index(drop=True))


def _lines_of_vouchers(batch: Batch, ids) -> Batch:
    """The lines of ``batch`` whose voucher is one of ``ids`` (an Arrow array)."""
    wanted = batch.lines["voucher"].isin(ids.to_pylist())
    return attrs.evolve(batch, lines=batch.lines[wanted].reset_index(drop=True))


def _duplicates(lines: Batch, held) -> list[Violation]:
    """``voucher-duplicate`` at the first line of each voucher of ``lines`` the books hold."""
    first = lines.lines.groupby("voucher", sort=False)["src_line"].min()
    return [Violation("voucher-duplicate", "voucher id is already in the books", str(voucher),
                      lines.location(line)) for voucher, line in first.items() if voucher in held]


def _line_rules(batch: Batch, context: PostingContext) -> list[Violation]:
    lines = batch.lines
    artskonto = lines["artskonto"]
    coded = pd.Series(_codes_where(batch, "statskonto", lambda v: v != ""), index=lines.index)
    bad_format = coded & ~pd.Series(_codes_where(batch, "statskonto", lambda v: bool(STATSKONTO_RE.match(v))),
                                    index=lines.index)
    checks = [
        ("account-unknown", ~_known(batch, "account", context.accounts),
         lambda r: f"account {r.account} is not in the chart"),
        ("statskonto-format", bad_format,
         lambda r: f"statskonto {r.statskonto!r} is not KKKK.PP"),
        ("statskonto-unknown", coded & ~bad_format & _unknown_statskonto(batch, context),
         lambda r: f"statskonto {r.statskonto} is not in the {r.year} budget catalogue"),
        ("artskonto-format", _bad_artskonto(batch, artskonto), _artskonto_message),
        ("year-closed", lines["year"].isin(context.closed_years),
         lambda r: f"{r.year} is closed; post corrections in an open year"),
        ("month-locked", _in_locked_month(batch, context) & ~lines["year"].isin(context.closed_years),
         lambda r: (f"{r.date} lies in a locked month: {r.year} is locked through "
                    f"{r.year}-{context.locked_months[r.year]:02d} (reported; `ledger lock`); post the "
                    f"correction in an open month")),
    ]
    found = []
    for rule, mask, message in checks:
        if not mask.any():
            continue
        for row in lines[mask].itertuples():
            found.append(Violation(rule, message(row), row.voucher, batch.location(row.src_line)))
    return found


def _in_locked_month(batch: Batch, context: PostingContext) -> pd.Series:
    """Lines of a journal batch dated in or before their year's last locked month."""
    lines = batch.lines
    if batch.kind in BALANCE_KINDS or not context.locked_months:
        return pd.Series(False, index=lines.index)
    through = lines["year"].map(dict(context.locked_months)).fillna(0).astype("int64")
    codes, dates = batch.factorized("date")  # the month of each distinct date, once
    month = np.array([int(str(d)[5:7]) for d in dates] + [0], dtype="int64")[codes]
    return (through > 0) & (month <= through.to_numpy())


def _codes_where(batch: Batch, column: str, test) -> np.ndarray:
    """``test`` of each line's value of ``column``, evaluated once per distinct value (a
    missing value is False)."""
    codes, distinct = batch.factorized(column)
    return np.array([bool(test(value)) for value in distinct] + [False], dtype=bool)[codes]


def _known(batch: Batch, column: str, allowed: Collection) -> pd.Series:
    """The lines whose ``column`` is in ``allowed``."""
    return pd.Series(_codes_where(batch, column, lambda v: v in allowed), index=batch.lines.index)


def _bad_artskonto(batch: Batch, artskonto: pd.Series) -> pd.Series:
    """Lines with an artskonto that is not three digits (nor the line's own four-digit code)."""
    bad = pd.Series(_codes_where(batch, "artskonto", lambda v: v != "" and not ARTSKONTO_RE.match(v)),
                    index=batch.lines.index)
    if bad.any():  # the own codes are looked at only when a code is not three digits
        bad &= ~_own_four_digit_code(artskonto.fillna(""), batch.lines["account"])
    return bad


def _own_four_digit_code(artskonto: pd.Series, accounts: pd.Series) -> pd.Series:
    """Lines whose artskonto is their own account, a four-digit SKP sub-account (1985-1999).

    Those sub-accounts are SKP codes that are their own bookkeeping account
    (DESIGN.md, Accounts), so the code a journal writes for them has four digits.
    """
    own = {str(code) for code in OWN_CODE_ACCOUNTS}
    return (artskonto == accounts) & accounts.isin(own)


def _artskonto_message(row) -> str:
    message = f"artskonto {row.artskonto!r} is not three digits"
    if len(row.artskonto) == 4 and row.artskonto.isdigit():
        message += (f" (a four-digit artskonto is the line's own SKP sub-account {OWN_CODE_ACCOUNTS.start}-"
                    f"{OWN_CODE_ACCOUNTS.stop - 1}; this line's account is {row.account})")
    return message


def _unknown_statskonto(batch: Batch, context: PostingContext) -> pd.Series:
    lines = batch.lines
    unknown = pd.Series(False, index=lines.index)
    years = lines["year"]
    for year, known in context.statskontoer.items():
        in_year = years == year
        if in_year.any():
            unknown |= in_year & ~_known(batch, "statskonto", known)
    return unknown


def _voucher_rules(batch: Batch, context: PostingContext) -> list[Violation]:
    per_voucher = _per_voucher(batch, context)
    column = {name: per_voucher[name].to_numpy() for name in ("lines", "total", "reported", "settled", "dates")}
    checks = [
        ("voucher-lines", column["lines"] < 2,
         lambda v: f"has {v.lines} line; a voucher needs at least two"),
        ("voucher-balance", column["total"] != 0,
         lambda v: f"does not balance: lines sum to {format_decimal(v.total)}"),
        ("voucher-date", column["dates"] > 1,
         lambda v: f"lines carry {v.dates} different dates"),
        ("settlement-identity",
         # An unbalanced voucher is reported as such; the identity adds nothing then.
         (batch.kind not in BALANCE_KINDS) & (column["total"] == 0) & (column["reported"] + column["settled"] != 0),
         lambda v: (f"statskonto-coded lines sum to {format_decimal(v.reported)} but KK and "
                    f"mellomværende lines to {format_decimal(v.settled)}; they must cancel")),
    ]
    found = []
    for rule, mask, message in checks:
        if not mask.any():
            continue
        for row in per_voucher[mask].itertuples():
            found.append(Violation(rule, message(row), str(row.voucher), batch.location(row.first_line)))
    return found


def _per_voucher(batch: Batch, context: PostingContext) -> pd.DataFrame:
    """Per voucher (in order of first appearance): its id, line count, sum, statskonto-coded
    and settlement sums, number of distinct dates and first source line.

    Vectorised over the voucher codes: the lines are ordered by voucher once (a no-op
    when each voucher's lines are together, as in nearly every file) and summed by
    ``reduceat`` in exact int64.  (The vouchers are a column, not the index: numpy asks an
    index of text for attributes it lacks by hashing it whole, every time.)
    """
    lines = batch.lines
    codes, vouchers = batch.factorized("voucher")
    date_codes, _ = batch.factorized("date")
    amount = lines["amount"].to_numpy(dtype="int64")
    reported = np.where(batch.factorized("statskonto")[0] >= 0, amount, 0)
    settled = np.where(_known(batch, "account", context.settlement_accounts).to_numpy(), amount, 0)
    src_line = lines["src_line"].to_numpy(dtype="int64")
    if len(codes) > 1 and (np.diff(codes) < 0).any():
        order = np.argsort(codes, kind="stable")
        codes, date_codes = codes[order], date_codes[order]
        amount, reported, settled, src_line = amount[order], reported[order], settled[order], src_line[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=int)
    counts = np.diff(np.r_[starts, len(codes)])
    first_date, last_date = np.minimum.reduceat(date_codes, starts), np.maximum.reduceat(date_codes, starts)
    frame = pd.DataFrame({
        "voucher": np.asarray(vouchers, dtype=object),
        "lines": counts, "total": np.add.reduceat(amount, starts), "reported": np.add.reduceat(reported, starts),
        "settled": np.add.reduceat(settled, starts), "dates": (first_date != last_date).astype("int64") + 1,
        "first_line": np.minimum.reduceat(src_line, starts),
    })
    several = frame["dates"] > 1
    if several.any():  # the number of distinct dates, for the message
        named = frame.loc[several, "voucher"]
        some = lines.loc[lines["voucher"].isin(named)]
        frame.loc[several, "dates"] = some.groupby("voucher")["date"].nunique().reindex(named).to_numpy()
    return frame
