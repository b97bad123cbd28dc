"""The posted lines as columnar segments: compressed Arrow IPC blobs inside the books' SQLite file.

A batch's lines are cut, in posting order, into segments of at most :data:`SEGMENT_LINES`
lines.  Each segment is one row of the append-only ``segments`` table (schema 5): the id
of its first line, its batch, its line count, the range of years its lines fall in, the
SHA-256 of its bytes and the bytes themselves, an Arrow IPC stream of the columns of
:data:`ledger.books.digest.DIGEST_COLUMNS` (the repetitive text columns dictionary-encoded,
the buffers compressed with zstd).  A line's id is its segment's first line plus its
position in it; the ids of a batch are consecutive (``batch_ranges``).

Why this layout (issue #16, figures in ``benchmarks/PERFORMANCE.md``): 2.9 million lines
take 17 MiB and 0.4 s to encode, where the same lines as SQLite rows took 250 MiB and 17 s
of ``executemany`` through Python, and every reader (audit, statements, ``explain
--vouchers``, SAF-T) gets Arrow columns back in a fraction of a second, with no Python
object per line.  The books stay one file; the lines stay append-only and covered by the
batch digest of the event chain, which is a function of the values, not of the layout.

Every read checks a segment's bytes against its SHA-256 before Arrow looks at them, so a
damaged or edited blob is refused (:class:`SegmentDamaged`) by every reader, not only by
``ledger audit``; an edit that also rewrote the SHA-256 is found by the audit's digest.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from ledger.books.digest import DIGEST_COLUMNS, INTEGER_COLUMNS
from ledger.core.lazy import defer

pa = defer("pyarrow")

# At most this many lines per segment: a reader that needs a few columns of a large batch
# decodes one segment at a time, and a streaming import can write as it reads.
SEGMENT_LINES = 1 << 20
# Text columns with few distinct values (a year has at most 366 dates, a chart a few
# thousand accounts): stored as a dictionary and codes.  ``voucher`` is nearly unique.
DICTIONARY_COLUMNS = frozenset({"date", "account", "statskonto", "artskonto", "text", "dims"})
_COMPRESSION = "zstd"


class SegmentDamaged(Exception):
    """A segment whose bytes are not what was written (its SHA-256 or its Arrow stream)."""


def _schema():
    fields = []
    for name in DIGEST_COLUMNS:
        if name in INTEGER_COLUMNS:
            fields.append(pa.field(name, pa.int64(), nullable=False))
        elif name in DICTIONARY_COLUMNS:
            fields.append(pa.field(name, pa.dictionary(pa.int32(), pa.string())))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def as_table(columns: dict) -> "pa.Table":
    """The lines given as columns (pandas Series, Arrow arrays or lists, named as in
    :data:`DIGEST_COLUMNS`) as an Arrow table of the segments' schema."""
    import pyarrow.compute as pc

    schema, arrays = _schema(), []
    for field in schema:
        values = columns[field.name]
        array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_dictionary(field.type):
            if not pa.types.is_dictionary(array.type):
                array = pc.dictionary_encode(array.cast(pa.string()))
            array = array.cast(field.type)
        else:
            array = array.cast(field.type)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=schema)


def encode(table: "pa.Table") -> bytes:
    """One segment's bytes: ``table`` (the segments' schema) as a compressed Arrow IPC stream."""
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression=pa.Codec(_COMPRESSION, compression_level=1))
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table, max_chunksize=1 << 16)
    return sink.getvalue().to_pybytes()


def decode(data: bytes, sha256: str, where: str, columns: Sequence[str] | None = None) -> "pa.Table":
    """The lines of one segment (only ``columns``, the others not decompressed), after
    checking its bytes against ``sha256``.

    Raises :class:`SegmentDamaged` naming ``where`` when they differ or do not decode."""
    import pyarrow.ipc as ipc

    if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != sha256:
        raise SegmentDamaged(f"{where}: its bytes differ from what was written (SHA-256)")
    schema, options = _schema(), None
    if columns is not None:
        indices = sorted(schema.get_field_index(c) for c in columns)
        options = ipc.IpcReadOptions(included_fields=indices)
        schema = pa.schema([schema.field(i) for i in indices])
    try:
        reader = ipc.open_stream(pa.py_buffer(data), options=options)
        if not reader.schema.equals(schema):
            raise SegmentDamaged(f"{where}: its columns are not those of a segment")
        table = reader.read_all()
    except (pa.ArrowException, ValueError, OSError) as exc:  # pragma: no cover - the SHA-256 matched
        raise SegmentDamaged(f"{where}: not a readable segment: {exc}") from None
    return table.select(list(columns)) if columns is not None else table


def write(db: sqlite3.Connection, batch_id: int, first_line: int, columns, count: int) -> int:
    """Store ``count`` lines of batch ``batch_id`` given as ``columns`` (as :func:`as_table`
    takes them, or a table it made) as segments, ids from ``first_line`` on; the id after the
    last line."""
    import pyarrow.compute as pc

    at = first_line
    for start in range(0, count, SEGMENT_LINES):
        end = min(start + SEGMENT_LINES, count)
        piece = (columns.slice(start, end - start) if isinstance(columns, pa.Table)
                 else as_table({name: _slice(columns[name], start, end) for name in DIGEST_COLUMNS}))
        data = encode(piece)
        years = pc.min_max(piece["year"]).as_py()
        db.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (at, batch_id, piece.num_rows, years["min"], years["max"],
                    hashlib.sha256(data).hexdigest(), data))
        at += piece.num_rows
    return at


def _slice(values, start: int, end: int):
    if start == 0 and end == len(values):
        return values
    if hasattr(values, "iloc"):
        return values.iloc[start:end]
    return values[start:end]


def segment_rows(db: sqlite3.Connection, batch_ids: Iterable[int] | None = None,
                 year: int | None = None) -> list[tuple]:
    """(first_line, batch_id, line_count, min_year, max_year) of the segments, in id order;
    only those of ``batch_ids`` and holding lines of ``year`` when given."""
    where, params = [], []
    if batch_ids is not None:
        ids = list(batch_ids)
        where.append(f"batch_id IN ({', '.join('?' * len(ids))})" if ids else "0")
        params += ids
    if year is not None:
        where.append("? BETWEEN min_year AND max_year")
        params.append(year)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return db.execute("SELECT first_line, batch_id, line_count, min_year, max_year FROM segments"
                      f"{clause} ORDER BY first_line", params).fetchall()


def read(db: sqlite3.Connection, first_line: int, columns: Sequence[str] | None = None) -> "pa.Table":
    """The lines of the segment starting at ``first_line`` (checked against its SHA-256);
    only ``columns`` when given."""
    row = db.execute("SELECT batch_id, sha256, data FROM segments WHERE first_line = ?", (first_line,)).fetchone()
    if row is None:
        raise SegmentDamaged(f"the segment of line {first_line} is missing")
    return decode(row[2], row[1], f"batch {row[0]}, the segment of lines from {first_line}", columns)


def iter_tables(db: sqlite3.Connection, rows: Sequence[tuple],
                columns: Sequence[str] | None = None) -> Iterator[tuple[tuple, "pa.Table"]]:
    """Each segment of ``rows`` (from :func:`segment_rows`) with its lines, one at a time."""
    for row in rows:
        yield row, read(db, row[0], columns)


def plain(table: "pa.Table") -> "pa.Table":
    """``table`` with its dictionary columns decoded into plain text."""
    return pa.Table.from_arrays([c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c
                                 for c in table.columns], names=table.column_names)


def with_ids(row: tuple, table: "pa.Table") -> "pa.Table":
    """The lines of the segment ``row`` (from :func:`segment_rows`) with their ``id`` and
    ``batch_id`` as the first columns."""
    import numpy as np

    first, batch_id, count = row[0], row[1], row[2]
    table = table.add_column(0, "batch_id", pa.array(np.full(count, batch_id, dtype="int64")))
    return table.add_column(0, "id", pa.array(np.arange(first, first + count, dtype="int64")))


def lines_table(db: sqlite3.Connection, rows: Sequence[tuple], columns: Sequence[str] | None = None,
                ids: bool = True) -> "pa.Table":
    """The lines of the segments ``rows`` as one table (plain text columns), with ``id`` and
    ``batch_id`` first when ``ids``."""
    tables = []
    for row, table in iter_tables(db, rows, columns):
        table = plain(table)
        tables.append(with_ids(row, table) if ids else table)
    if not tables:
        schema = _schema()
        names = list(columns) if columns is not None else [f.name for f in schema]
        fields = [pa.field(n, pa.string() if pa.types.is_dictionary(schema.field(n).type) else schema.field(n).type)
                  for n in names]
        if ids:
            fields = [pa.field("id", pa.int64()), pa.field("batch_id", pa.int64()), *fields]
        return pa.schema(fields).empty_table()
    return pa.concat_tables(tables)


def vouchers_of_batches(db: sqlite3.Connection) -> dict[int, "pa.Array"]:
    """Batch id → the distinct voucher ids of its lines (every batch with segments)."""
    import pyarrow.compute as pc

    rows = segment_rows(db)
    return {batch_id: pc.unique(lines_table(db, [r for r in rows if r[1] == batch_id], ["voucher"],
                                            ids=False)["voucher"].combine_chunks())
            for batch_id in sorted({r[1] for r in rows})}
