"""Posting one batch, read in chunks: checked whole, written all or nothing.

:func:`post_chunks` takes a batch as the chunks its reader gives (a large journal file
streams in chunks of 2^18 lines, :func:`ledger.journal.reader.open_journal`; a batch made
in code is one chunk).  Each chunk is checked (:class:`ledger.journal.posting_rules.BatchCheck`),
stored as segments, hashed and summed, and let go before the next is read, so the memory
an import needs does not grow with the file: what it keeps is the batch's totals, its
violations, 32 bytes of digest per 65 536 lines and its distinct voucher ids.

Everything is written inside one SQLite savepoint within the caller's transaction.  Only
when the last chunk is checked, and the batch has no violation, is the batch row written
(with its line count, sums, checksum, chained hash and event); a violation, an exception or
a kill before the commit leaves the books as they were.  So the whole file is checked
before anything of it is kept, as it was when a batch was read whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from ledger.books import segments
from ledger.books.chain import chain_hash, utc_now
from ledger.books.digest import LinesHasher, lines_checksum
from ledger.books.errors import PostingRefused
from ledger.books.schema import TOTAL_KEYS
from ledger.core.lazy import defer
from ledger.core.money import MAX_BOOKS_ORE, format_kroner
from ledger.core.records import SourceLocation, Violation

if TYPE_CHECKING:
    from ledger.journal.batch import Batch

pd = defer("pandas")
np = defer("numpy")
pa = defer("pyarrow")


@attrs.frozen
class PostedBatch:
    """What was posted: the batch id, its hash and its totals (øre)."""

    id: int
    source: str
    kind: str
    line_count: int
    voucher_count: int
    debit: int
    credit: int
    hash: str


def post_chunks(books, source: str, sha256: str, kind: str,
                chunks: Iterable[tuple[Batch, list[Violation]]]) -> PostedBatch:
    """Check and post, in ``books`` (:class:`ledger.books.store.Books`), the batch given as
    ``chunks`` (each a :class:`~ledger.journal.batch.Batch` of consecutive lines and the
    reader's violations in it), or raise
    :class:`~ledger.books.store.PostingRefused` with every violation of every chunk.

    Any exception, from the rules or from ``chunks`` itself, leaves the books as they were.
    """
    from ledger.journal.posting_rules import BatchCheck

    db = books._db
    with books.transaction(), _savepoint(db):
        earlier = db.execute("SELECT id, source FROM batches WHERE sha256 = ?", (sha256,)).fetchone()
        if earlier:
            raise PostingRefused([Violation("batch-duplicate",
                                            f"the same content was posted as batch {earlier[0]} ({earlier[1]})",
                                            source=SourceLocation(source, 0))])
        # The segments name their batch, whose row is written last (it holds the batch's
        # hash): the reference is checked at the commit.
        db.execute("PRAGMA defer_foreign_keys = ON")
        batch_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchone()[0]
        first_line = db.execute("SELECT coalesce(max(last_line), 0) + 1 FROM batch_ranges").fetchone()[0]
        check = BatchCheck(books.posting_context(), kind)
        sums, starts = _write_chunks(db, batch_id, first_line, chunks, check)
        violations, vouchers = check.finish(
            lambda ids: books.existing_vouchers(ids, but_batch=batch_id),
            lambda ids, held: _lines_of_vouchers(db, batch_id, [(starts[n], starts[n + 1]) for n in held],
                                                 source, kind, ids))
        if not sums.lines and not violations:
            violations = [Violation("empty", "no lines: an empty batch is refused", source=SourceLocation(source, 0))]
        if not any(v.rule == "amount-bound" for v in violations):
            violations += _bound_violations(books, source, sums.debit + sums.credit)
        if violations:
            raise PostingRefused(violations)
        return _insert_batch(books, batch_id, source, sha256, kind, sums, first_line, vouchers)


def _write_chunks(db, batch_id: int, first_line: int, chunks, check) -> tuple[_BatchSums, list[int]]:
    """Check each chunk with ``check``, store its lines as a segment of ``batch_id`` (ids from
    ``first_line`` on) and sum them: the sums, and each chunk's first line id (then the id
    after the last line)."""
    sums, at, starts = _BatchSums(), first_line, []
    for chunk, format_violations in chunks:
        check.add(chunk, format_violations)
        starts.append(at)
        if chunk.lines.empty:
            continue
        table = segments.as_table(_segment_columns(chunk))
        at = segments.write(db, batch_id, at, table, table.num_rows)
        sums.add(chunk, table)
    return sums, [*starts, at]


@contextlib.contextmanager
def _savepoint(db):
    """A savepoint: released when the block ends, rolled back to when it raises."""
    db.execute("SAVEPOINT post_batch")
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            db.execute("ROLLBACK TO post_batch")
            db.execute("RELEASE post_batch")
        raise
    db.execute("RELEASE post_batch")


class _BatchSums:
    """What the batch row, its event and the totals need, summed chunk by chunk: lines,
    debit, credit, checksum, years, the totals per key (in order of first appearance) and
    the digest of the lines."""

    def __init__(self):
        self.lines = self.debit = self.credit = self.checksum = 0
        self.years: set[int] = set()
        self.totals: dict[tuple, list[int]] = {}
        self.hasher = LinesHasher()

    def add(self, chunk: Batch, table) -> None:
        lines = chunk.lines
        self.lines += len(lines)
        debit, credit = _debit_credit(lines["amount"])
        self.debit, self.credit = self.debit + debit, self.credit + credit
        self.checksum += lines_checksum(lines)
        self.years.update(int(y) for y in lines["year"].unique())
        for *key, amount, count in _totals_rows(chunk):
            held = self.totals.setdefault(tuple(key), [0, 0])
            held[0] += amount
            held[1] += count
        self.hasher.feed(table)


def _segment_columns(batch: Batch) -> dict:
    """The batch's lines as the segments store them: the dictionary columns built from the
    batch's factorisations (made once for the posting rules), the rest as they are."""
    columns = {}
    for name in segments.DIGEST_COLUMNS:
        if name in segments.DICTIONARY_COLUMNS:
            codes, distinct = batch.factorized(name)
            dictionary = pa.array(np.asarray(distinct, dtype=object), type=pa.string(), from_pandas=True)
            indices = pa.array(codes.astype("int32"), mask=codes < 0)
            columns[name] = pa.DictionaryArray.from_arrays(indices, dictionary)
        else:
            columns[name] = batch.lines[name]
    return columns


# What the voucher rules read of a line.
_VOUCHER_RULE_COLUMNS = ["voucher", "date", "year", "account", "amount", "statskonto", "src_line"]


def _lines_of_vouchers(db, batch_id: int, spans: list[tuple[int, int]], source: str, kind: str, ids) -> Batch:
    """The lines of batch ``batch_id`` (being written) whose voucher is one of ``ids``, read
    back from its segments within the line id ``spans`` (start, end) as a
    :class:`~ledger.journal.batch.Batch` of the columns the voucher rules read."""
    import pyarrow.compute as pc
    from ledger.journal.batch import Batch

    rows = [r for r in segments.segment_rows(db, [batch_id]) if any(a < r[0] + r[2] and r[0] < b for a, b in spans)]
    pieces = [segments.plain(table.filter(pc.is_in(table["voucher"], value_set=ids.cast(pa.string()))))
              for _, table in segments.iter_tables(db, rows, _VOUCHER_RULE_COLUMNS)]
    frame = (pa.concat_tables(pieces).to_pandas() if pieces
             else pd.DataFrame({c: pd.Series(dtype=object) for c in _VOUCHER_RULE_COLUMNS}))
    frame = frame.astype({c: "int64" for c in ("year", "amount", "src_line")})
    frame["statskonto"] = frame["statskonto"].astype(object).where(frame["statskonto"].notna(), None)
    return Batch(source, "", frame, kind)


def _bound_violations(books, source: str, absolute: int) -> list[Violation]:
    held = books.absolute_total()
    if held + absolute <= MAX_BOOKS_ORE:
        return []
    return [Violation("amount-bound", f"the absolute amounts of the books would sum to "
                      f"{format_kroner(held + absolute)} kr, past the bound of {format_kroner(MAX_BOOKS_ORE)} kr"
                      " (no total may leave what the books can add up exactly)", source=SourceLocation(source, 0))]


def _insert_batch(books, batch_id: int, source: str, sha256: str, kind: str, sums: _BatchSums,
                  first_line: int, vouchers: int) -> PostedBatch:
    """The batch row, its line range, totals, new years and event: the batch's segments are written."""
    db = books._db
    digest = sums.hasher.hexdigest(sums.lines)
    prev = books._last_batch_hash()
    batch_hash = chain_hash(prev, sha256, source, kind, sums.lines, sums.debit, sums.credit, sums.checksum)
    row = (source, sha256, kind, utc_now(), sums.lines, sums.debit, sums.credit, sums.checksum, prev, batch_hash)
    db.execute("INSERT INTO batches (id, source, sha256, kind, posted_at, line_count, debit, credit, checksum,"
               " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (batch_id, *row))
    last_line = first_line + sums.lines - 1
    db.execute("INSERT INTO batch_ranges VALUES (?, ?, ?)", (batch_id, first_line, last_line))
    db.executemany(f"INSERT INTO totals VALUES ({batch_id}, ?, ?, ?, ?, ?, ?, ?)",
                   [(*key, amount, count) for key, (amount, count) in sums.totals.items()])
    for year in sorted(sums.years):
        opened = db.execute("INSERT OR IGNORE INTO years VALUES (?, 'open', ?)", (year, utc_now()))
        if opened.rowcount:
            books._year_event(year, "first posting")
    books._batch_event((batch_id, *row), first_line, last_line, vouchers, digest)
    return PostedBatch(batch_id, source, kind, sums.lines, vouchers, sums.debit, sums.credit, books.head_hash())


def _totals_rows(batch: Batch) -> list[tuple]:
    """The rows of ``totals`` for a batch: its lines summed per (year, account, statskonto,
    artskonto, dims), with the line count, in order of first appearance.

    Grouped by Arrow's hash aggregation over the batch's factorisation codes (small
    integers, made once for the posting rules), summed in exact int64.
    """
    lines = batch.lines
    keys = {}
    for name in TOTAL_KEYS:
        codes = pd.factorize(lines[name])[0] if name == "year" else batch.factorized(name)[0]
        keys[name] = pa.array(np.asarray(codes, dtype="int32"))
    table = pa.table({**keys, "amount": pa.array(lines["amount"].to_numpy(dtype="int64")),
                      "row": pa.array(np.arange(len(lines), dtype="int64"))})
    grouped = table.group_by(list(TOTAL_KEYS), use_threads=True).aggregate(
        [("amount", "sum"), ("amount", "count"), ("row", "min")])
    order = np.argsort(grouped["row_min"].to_numpy(), kind="stable")
    first = grouped["row_min"].to_numpy()[order]
    amounts = grouped["amount_sum"].to_numpy()[order]
    counts = grouped["amount_count"].to_numpy()[order]
    values = [_python_list(lines[name].iloc[first]) for name in TOTAL_KEYS]
    return list(zip(*values, amounts.tolist(), counts.tolist()))


def _python_list(column: pd.Series) -> list:
    """Python values of ``column`` for sqlite3: ints, str, None for a missing value."""
    if column.dtype.kind in "iu":
        return column.to_numpy(dtype="int64").tolist()
    return [None if v is None or v != v else v for v in column.astype(object).tolist()]


def _debit_credit(amounts: pd.Series) -> tuple[int, int]:
    """The debit and credit sums of ``amounts`` as exact Python ints (never a wrapped int64)."""
    if amounts.empty:
        return 0, 0
    biggest = int(amounts.abs().max())
    if biggest * len(amounts) < 2**62:  # int64 sums cannot wrap
        return int(amounts[amounts > 0].sum()), int(-amounts[amounts < 0].sum())
    values = amounts.astype(object)
    return int(values[amounts > 0].sum()), int(-values[amounts < 0].sum())
