"""Canonical digests of what the books store: the lines of a batch, and small rows.

The audit must see a change of any stored value, so a batch records a cryptographic
digest (SHA-256) of a canonical serialisation of every line, not a sum that an
attacker can balance (+x on one line, −x on another).  The same function runs at
import (over the DataFrame about to be inserted) and in ``ledger audit`` (over the
rows read back from SQLite), without SQL and at import speed: it feeds the hash
column by column from arrays (numpy for integers, pyarrow buffers for text).

The serialisation, fixed here and in docs/DESIGN.md:

- The lines are cut into chunks of :data:`CHUNK_LINES` in posting (id) order.  Each
  chunk is hashed alone; the batch digest is the SHA-256 of ``lines:<count>`` followed
  by the 32-byte digests of the chunks.  (A later streaming import can hash chunk by
  chunk; the audit reads a batch chunk by chunk.)
- A chunk is hashed column by column in the order of :data:`DIGEST_COLUMNS`: the
  column's name and a NUL byte, then for an integer column the values as
  little-endian int64; for a text column one byte per value (1 present, 0 NULL),
  the n+1 little-endian int64 offsets of the values' UTF-8 bytes (starting at 0),
  then those bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from ledger.core.lazy import defer

np = defer("numpy")
pa = defer("pyarrow")

# Every stored column of a line but its id and batch id (the audit checks those by the
# batch's id range), in the order they are hashed.
DIGEST_COLUMNS = ("voucher", "date", "year", "account", "amount", "statskonto", "artskonto",
                  "text", "dims", "src_line")
INTEGER_COLUMNS = frozenset({"year", "amount", "src_line"})
CHUNK_LINES = 65_536
# A checksum of a batch's lines that catches amounts moved between lines:
# sum over lines of (amount mod P) * (src_line mod P) mod P, computed the same
# way at posting and in the audit, without overflowing int64.
CHECKSUM_PRIME = 1_000_003


def lines_checksum(lines) -> int:
    """The batch checksum of lines (a DataFrame with ``amount`` and ``src_line``; see
    :data:`CHECKSUM_PRIME`).  Additive: a batch's is the sum of its chunks'."""
    p = CHECKSUM_PRIME
    # numpy's % is a floor modulo (never negative for a positive divisor), as in the audit.
    amount = lines["amount"].astype("int64") % p
    return int((amount * (lines["src_line"].astype("int64") % p) % p).sum())


class LinesHasher:
    """The digest of a batch's lines, fed in posting order: whole chunks of :data:`CHUNK_LINES`
    (:meth:`add`, :meth:`add_serialised`) or tables of any length (:meth:`feed`), whose lines it
    cuts into those chunks across calls.  The line count, which heads the digest, is given at
    the end, so a streaming import hashes as it reads: what it keeps is 32 bytes per chunk."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._pending = None

    def add(self, columns: dict[str, Sequence]) -> None:
        """Add the next chunk (column name → its values)."""
        self._chunks.append(chunk_digest(columns))

    def add_serialised(self, columns: dict[str, tuple]) -> None:
        """Add the next chunk given already serialised: for an integer column ``(values,)``
        (int64), for a text column ``(valid, lengths, data)`` (uint8 flags, int64 byte
        lengths, the values' UTF-8 bytes one after the other)."""
        h = hashlib.sha256()
        for name in DIGEST_COLUMNS:
            h.update(name.encode() + b"\0")
            if name in INTEGER_COLUMNS:
                h.update(np.asarray(columns[name][0], dtype="<i8").tobytes())
            else:
                valid, lengths, data = columns[name]
                offsets = np.zeros(len(lengths) + 1, dtype="<i8")
                np.cumsum(lengths, out=offsets[1:])
                h.update(np.asarray(valid, dtype="u1").tobytes())
                h.update(offsets.tobytes())
                h.update(data)
        self._chunks.append(h.digest())

    def feed(self, table: "pa.Table") -> None:
        """Add the next lines (an Arrow table with the columns of :data:`DIGEST_COLUMNS`, any
        number of lines); the lines short of a whole chunk wait for the next call or the end."""
        if self._pending is not None and self._pending.num_rows:
            table = pa.concat_tables([self._pending, table.select(self._pending.column_names)])
        full = table.num_rows // CHUNK_LINES * CHUNK_LINES
        for start in range(0, full, CHUNK_LINES):
            chunk = table.slice(start, CHUNK_LINES)
            self.add({c: chunk[c] for c in DIGEST_COLUMNS})
        self._pending = table.slice(full)

    def hexdigest(self, count: int) -> str:
        """The digest of ``count`` lines, those added so far (the lines fed short of a chunk
        make the last chunk)."""
        if self._pending is not None and self._pending.num_rows:
            self.add({c: self._pending[c] for c in DIGEST_COLUMNS})
        self._pending = None
        combined = hashlib.sha256(f"lines:{count}".encode())
        for digest in self._chunks:
            combined.update(digest)
        return combined.hexdigest()


def lines_digest(columns: dict[str, Sequence], count: int) -> str:
    """The digest of ``count`` lines given as columns (lists, arrays or Series) named as in
    :data:`DIGEST_COLUMNS`."""
    # Each column becomes one array first (pandas' arrow-backed text columns without a
    # copy); the chunks are zero-copy slices of it.
    # A dictionary column stays coded until its chunk is hashed (decoded whole, a text
    # column of millions of lines would be hundreds of MB at once).
    arrays = {name: _whole(name, columns[name]) for name in DIGEST_COLUMNS}
    hasher = LinesHasher()
    for start in range(0, count, CHUNK_LINES):
        end = min(start + CHUNK_LINES, count)
        hasher.add({name: arrays[name][start:end] for name in DIGEST_COLUMNS})
    return hasher.hexdigest(count)


def _whole(name: str, values):
    if isinstance(values, pa.DictionaryArray):
        return values
    return _as_array(name, values)


def _as_array(name: str, values):
    if name in INTEGER_COLUMNS:
        return np.asarray(values, dtype="<i8")
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        array = values
    elif hasattr(values, "dtype"):
        array = pa.array(values, from_pandas=True)
    else:
        array = pa.array(values, pa.large_string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type) or pa.types.is_null(array.type)):
        raise TypeError(f"column {name} is not text: {array.type}")
    return array.cast(pa.large_string())


def chunk_digest(columns: dict[str, Sequence]) -> bytes:
    """The 32-byte digest of one chunk of lines (column name → its values)."""
    h = hashlib.sha256()
    for name in DIGEST_COLUMNS:
        h.update(name.encode() + b"\0")
        values = _as_array(name, columns[name])
        if name in INTEGER_COLUMNS:
            h.update(values.tobytes())
        else:
            _update_text(h, values)
    return h.digest()


def _update_text(h, array) -> None:
    n = len(array)
    h.update(array.is_valid().to_numpy(zero_copy_only=False).astype("u1").tobytes())
    if n == 0:
        h.update(np.zeros(1, "<i8").tobytes())
        return
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype="<i8")[array.offset:array.offset + n + 1]
    first = int(offsets[0])
    h.update((offsets - first).astype("<i8").tobytes())
    if data_buffer is not None:
        h.update(memoryview(data_buffer)[first:int(offsets[-1])])


def canonical_json(value: object) -> str:
    """``value`` as canonical JSON: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def rows_digest(rows: Iterable[Sequence]) -> str:
    """SHA-256 of rows (small tables) as canonical JSON, one row after the other."""
    h = hashlib.sha256()
    for row in rows:
        h.update(canonical_json(list(row)).encode() + b"\n")
    return h.hexdigest()
