"""The journal format: CSV files of posting lines, read into a batch.

Format (UTF-8, header row, one posting line per row)::

    date,voucher,account,amount,statskonto,artskonto,text[,dim.<name>...]
    2024-01-25,L2024-01,5000,1000.00,0670.01,,Lønn januar
    2024-01-25,L2024-01,1940,-700.00,,,Lønn januar
    2024-01-25,L2024-01,2600,-300.00,,,Forskuddstrekk januar

``amount`` is signed (debit positive, credit negative).  Lines of one voucher
share its ``voucher`` id and date.  Reading never raises for bad content: it
returns the batch of what could be read and a list of violations, each naming
file and line, like beancount's loader returns ``(entries, errors)``.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

import numpy as np
import pandas as pd

from ledger.core.money import MAX_BOOKS_ORE, format_kroner, parse_amounts
from ledger.journal.batch import Batch, empty_batch
from ledger.core.records import FIRST_YEAR, LAST_YEAR, BatchKind, SourceLocation, Violation

REQUIRED_COLUMNS = ("date", "voucher", "account", "amount", "statskonto", "artskonto", "text")
DIMENSION_PREFIX = "dim."
# The largest sum of absolute amounts (øre) a file may have: the bound of the books.
MAX_TOTAL_ORE = MAX_BOOKS_ORE
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DIMENSION_RE = re.compile(r"^dim\.[A-Za-z0-9_-]+$")


JOURNAL_CHUNK_LINES = 1 << 18
"""The lines of a chunk of a streamed journal file (:meth:`JournalStream.chunks`): what an
import holds of the file at a time.  A quarter of a segment of the books
(:data:`ledger.books.segments.SEGMENT_LINES`), so each chunk is stored as one segment; a
multiple of the digest's chunk.  Measured on a 10M-line year: 2^18 lines peak at 0.77 GB,
2^20 at 1.05 GB, in the same time."""
_SCAN_PIECE = 1 << 24
_WHOLE_FILE = 1 << 62  # a chunk size no file reaches: the file as one batch


class NotStreamable(Exception):
    """A journal file that the general reader must read whole (:func:`read_journal`), found
    only while it was streamed: a row Arrow refuses, blank lines or line breaks inside quotes
    (its rows are not on the lines a stream numbers them by)."""


@attrs.frozen
class JournalStream:
    """A journal file to be read in chunks (:func:`open_journal`): its path, its source name,
    the SHA-256 of its bytes, the batch kind and its number of physical lines."""

    path: Path
    source: str
    sha256: str
    kind: str
    physical_lines: int

    def chunks(self, chunk_lines: int | None = None) -> Iterator[tuple[Batch, list[Violation]]]:
        """The file's lines as batches of ``chunk_lines`` lines (:data:`JOURNAL_CHUNK_LINES`
        unless given; the last shorter), each with
        the format violations in it, read by Arrow's streaming CSV reader: only a chunk's
        lines are in memory at a time.  Raises :class:`NotStreamable` (possibly after some
        chunks) for a file the general reader must read."""
        import pyarrow as pa

        chunk_lines = chunk_lines or JOURNAL_CHUNK_LINES
        batches, pending, rows, start = None, [], 0, 0
        while True:
            try:  # Arrow reads the first block when it opens the file
                batches = batches or _arrow_batches(self.path)
                record = next(batches, None)
            except (pa.ArrowException, ValueError, OSError) as exc:
                raise NotStreamable(f"{self.source}: {exc}") from None
            if record is not None:
                pending.append(record)
                rows += record.num_rows
            while rows >= chunk_lines or (record is None and rows):
                table = pa.Table.from_batches(pending)
                size = min(rows, chunk_lines)
                rest = table.slice(size)
                pending, rows = rest.to_batches(), rest.num_rows
                yield self._chunk(table.slice(0, size), start)
                start += size
            if record is None:
                break
        if start == 0 or start + 1 != self.physical_lines:
            raise NotStreamable(f"{self.source}: {start} rows on {self.physical_lines} lines")

    def _chunk(self, table, start: int) -> tuple[Batch, list[Violation]]:
        raw = _text_frame(table.combine_chunks())
        src_line = pd.Series(np.arange(start + 2, start + 2 + len(raw), dtype="int64"), index=raw.index)
        return _to_batch(raw, src_line, self.source, self.sha256, self.kind)


def open_journal(path: Path | str, kind: str = BatchKind.JOURNAL) -> JournalStream | None:
    """A well-formed journal file to stream (:meth:`JournalStream.chunks`), or None for a file
    the general reader must read (:func:`read_journal`): one it cannot open, a BOM, a header
    with a problem, a blank file, a first line that is not UTF-8.

    The file is read once here, 16 MiB at a time, for its SHA-256 and its line count; its
    bytes are not kept.
    """
    path = Path(path)
    digest, newlines, size, head, last = hashlib.sha256(), 0, 0, b"", b""
    try:
        with path.open("rb") as handle:
            while piece := handle.read(_SCAN_PIECE):
                if not head:
                    head = piece[:1 << 16]
                digest.update(piece)
                newlines += piece.count(b"\n")
                size += len(piece)
                last = piece[-1:]
    except OSError:
        return None
    if not size or head.startswith(b"\xef\xbb\xbf") or _BLANK_RE.fullmatch(head):
        return None
    try:
        head.split(b"\n", 1)[0].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _header_violations(head, str(path)) or _header(head) is None:
        return None
    return JournalStream(path, str(path), digest.hexdigest(), kind, newlines + (0 if last == b"\n" else 1))


def read_journal(path: Path | str, kind: str = BatchKind.JOURNAL) -> tuple[Batch, list[Violation]]:
    """Read a journal CSV file whole into a batch and the format violations found."""
    path = Path(path)
    stream = open_journal(path, kind)
    if stream is not None:
        try:
            (whole,) = stream.chunks(_WHOLE_FILE)
            return whole
        except NotStreamable:
            pass
    try:
        holder = [path.read_bytes()]
    except OSError as exc:
        return empty_batch(str(path), b"", kind), [
            Violation("file", f"cannot read: {exc.strerror or exc}", source=SourceLocation(str(path), 0))
        ]
    return _parse(holder, str(path), kind)


def parse_journal(content: bytes, source: str, kind: str = BatchKind.JOURNAL) -> tuple[Batch, list[Violation]]:
    """Parse journal CSV content (bytes) into a batch and format violations."""
    return _parse([content], source, kind)


def _parse(holder: list[bytes], source: str, kind: str) -> tuple[Batch, list[Violation]]:
    """:func:`parse_journal` of ``holder[0]``, which it empties once the rows are read: the
    file's bytes are not kept beside its columns (178 MB of a 2.9M-line file)."""
    content = holder[0]
    where = SourceLocation(source, 1)
    bad_byte = _first_bad_utf8_byte(content)  # checked here for the byte position; the parsers read bytes
    if bad_byte is not None:
        return empty_batch(source, content, kind), [
            Violation("encoding", f"not UTF-8 (byte {bad_byte})", source=where)
        ]
    if _BLANK_RE.fullmatch(content):
        return empty_batch(source, content, kind), [
            Violation("empty", "the file is empty: an empty batch is refused", source=where)
        ]
    header_problems = _header_violations(content, source)
    if header_problems:
        return empty_batch(source, content, kind), header_problems
    try:
        raw, src_line = _read_rows(content)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        return empty_batch(source, content, kind), [
            Violation("csv", f"not a readable CSV file: {exc}", source=where)
        ]
    if raw.empty:
        return empty_batch(source, content, kind), [
            Violation("empty", "the file has a header but no lines: an empty batch is refused", source=where)
        ]
    sha256 = hashlib.sha256(content).hexdigest()
    holder.clear()
    del content
    return _to_batch(raw, src_line, source, sha256, kind)


_BLANK_RE = re.compile(rb"[ \t\r\n\xef\xbb\xbf]*")
_UTF8_PIECE = 1 << 24


def _first_bad_utf8_byte(content: bytes) -> int | None:
    """The offset of the first byte that is not UTF-8 (a BOM allowed), or None.

    Arrow validates the bytes in place (SIMD, no copy); only a file it refuses is decoded,
    16 MiB at a time, to find the offset.
    """
    import pyarrow as pa

    try:
        data = pa.py_buffer(content)
        offsets = pa.py_buffer(np.array([0, len(content)], dtype="int64").tobytes())
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, data]).cast(pa.large_string())
        return None
    except (pa.ArrowInvalid, pa.ArrowException):
        pass
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(content)
    for start in range(0, len(content), _UTF8_PIECE):
        try:
            decoder.decode(view[start:start + _UTF8_PIECE], final=start + _UTF8_PIECE >= len(content))
        except UnicodeDecodeError:
            break
    else:
        return None
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return exc.start
    return None  # pragma: no cover - the pieces and the whole agree


def _header_violations(content: bytes, source: str) -> list[Violation]:
    """Unknown, misspelt, duplicated and missing columns of the header row."""
    where = SourceLocation(source, 1)
    first = content[:1 << 16].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(first, newline="")), [])
    except csv.Error as exc:
        return [Violation("header", f"the header row is not CSV: {exc}", source=where)]
    found = []
    for name in sorted({n for n in header if header.count(n) > 1}):
        found.append(Violation("header", f"column {name!r} appears {header.count(name)} times", source=where))
    for name in header:
        if name not in REQUIRED_COLUMNS and not _DIMENSION_RE.match(name):
            found.append(Violation("header", f"unknown column {name!r}{_closest(name)}", source=where))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        found.append(Violation("header", f"missing column(s): {', '.join(missing)}", source=where))
    return found


def _closest(name: str) -> str:
    """``; did you mean 'amount'?`` for a misspelt column name, or ``''``."""
    cleaned = name.strip().lower()
    for separator in ("_", "-", ":", " "):
        if cleaned.startswith("dim" + separator) and len(cleaned) > 4:
            return f"; did you mean {DIMENSION_PREFIX + cleaned[4:]!r}?"
    match = difflib.get_close_matches(cleaned, REQUIRED_COLUMNS, n=1, cutoff=0.6)
    if match:
        return f"; did you mean {match[0]!r}?"
    return f" (the columns are {', '.join(REQUIRED_COLUMNS)} and {DIMENSION_PREFIX}<name>)"


def _read_rows(content: bytes) -> tuple[pd.DataFrame, pd.Series]:
    """The rows of the file as text columns, and the physical line each row starts on.

    A file without blank lines or line breaks inside quotes (nearly every file) is read
    by Arrow's multi-threaded CSV parser (pandas' C parser if Arrow refuses it, e.g. a
    row with fewer fields than the header), row k on line k + 2.  Any other is read with
    the csv module, which counts physical lines.
    """
    raw = _read_rows_arrow(content)
    _release_arrow_memory()
    if raw is None:
        # Bytes, not a decoded str: pandas' C parser decodes as it goes, without a
        # second copy of the file as Python text (gigabytes at 10M lines).
        raw = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False,
                          na_filter=False, skip_blank_lines=True)
        if not isinstance(raw.index, pd.RangeIndex):
            # pandas makes the first column an index when the first row has more fields than the header
            raise ValueError("line 2 has more fields than the header")
    physical = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if physical == len(raw) + 1:
        return raw, pd.Series(np.arange(2, len(raw) + 2, dtype="int64"), index=raw.index)
    return _read_rows_counting_lines(content)


def _header(head: bytes) -> list[str] | None:
    """The column names of the header row (the first line of ``head``), or None when a name
    repeats (the general reader then names the problem)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    header = next(csv.reader(io.StringIO(first, newline="")), [])
    return header if header and len(set(header)) == len(header) else None


def _arrow_options(header: list[str]) -> dict:
    """Arrow's CSV options for a journal: every column text, the header row skipped."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return dict(
        read_options=pcsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 20),
        parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
        convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False))


def _arrow_batches(path: Path):
    """Arrow's streaming CSV reader over the file at ``path`` (no BOM, a good header): its
    record batches, 1 MiB of the file each.  Arrow may raise while it reads."""
    import pyarrow.csv as pcsv

    with path.open("rb") as handle:
        header = _header(handle.read(1 << 16))
    return iter(pcsv.open_csv(str(path), **_arrow_options(header)))


def _read_rows_arrow(content: bytes) -> pd.DataFrame | None:
    """The rows of the file's bytes as text columns read by pyarrow's CSV reader (no Python
    object per value), or None when it refuses them (the caller then reads them with pandas
    for its message)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    header = _header(body[:1 << 16])
    if header is None:
        return None
    try:
        # The streaming reader, a block at a time: ``read_csv`` of the whole file holds its
        # parse buffers beside the columns.
        reader = pcsv.open_csv(pa.py_buffer(body), **_arrow_options(header))
        table = pa.Table.from_batches(list(reader), schema=reader.schema)
    except (pa.ArrowException, ValueError):
        return None
    return _text_frame(table)


def _text_frame(table) -> pd.DataFrame:
    """pandas' text columns (the ``str`` dtype of pandas 3) over an Arrow table's buffers, without a copy."""
    try:
        dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas 2: no na_value
        return table.to_pandas()
    return pd.DataFrame({name: pd.Series(pd.arrays.ArrowStringArray(table[name], dtype=dtype), copy=False)
                         for name in table.column_names})


def _read_rows_counting_lines(content: bytes) -> tuple[pd.DataFrame, pd.Series]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    rows, starts, end_of_last = [], [], reader.line_num
    for row in reader:
        if row and any(field.strip() for field in row):
            if len(row) > len(header):
                raise ValueError(f"line {end_of_last + 1} has {len(row)} fields, the header {len(header)}")
            rows.append(row + [""] * (len(header) - len(row)))
            starts.append(end_of_last + 1)
        end_of_last = reader.line_num
    raw = pd.DataFrame(rows, columns=header, dtype=str) if rows else pd.DataFrame(columns=header, dtype=str)
    return raw, pd.Series(starts, index=raw.index, dtype="int64")


def _to_batch(raw: pd.DataFrame, src_line: pd.Series, source: str, sha256: str,
              kind: str) -> tuple[Batch, list[Violation]]:
    amount, bad_amount = parse_amounts(raw["amount"])
    _release_arrow_memory()
    # Each text column of the file is let go once parsed (hundreds of MB of a large
    # year), unless a message needs its text.
    _let_go(raw, "amount", bad_amount)
    date_text, year, bad_date, date_codes = _parse_dates(raw["date"])
    _let_go(raw, "date", bad_date)
    statskonto, statskonto_codes = _blank_to_none(raw["statskonto"])
    artskonto, artskonto_codes = _blank_to_none(raw["artskonto"])
    _let_go(raw, "statskonto")
    _let_go(raw, "artskonto")
    _release_arrow_memory()
    dims, dims_codes = _dimensions_json(raw)
    voucher, voucher_codes = _strip_with_codes(raw["voucher"])
    account, account_codes = _strip_with_codes(raw["account"])
    lines = pd.DataFrame({
        "voucher": voucher,
        "date": date_text,
        "year": year,
        "account": account,
        "amount": amount,
        "statskonto": statskonto,
        "artskonto": artskonto,
        "text": raw["text"],
        "dims": dims,
        "src_line": src_line,
    }, copy=False)  # the columns as made, not copied into blocks (twice the memory for a moment)
    batch = Batch(source, sha256, lines, kind)
    # The codes made here are the ones the posting rules, totals and segments need.
    for column, codes in (("date", date_codes), ("statskonto", statskonto_codes),
                          ("artskonto", artskonto_codes), ("dims", dims_codes),
                          ("voucher", voucher_codes), ("account", account_codes)):
        if codes is not None:
            batch.remember_factorized(column, *codes)
    violations = _row_violations(raw, lines, bad_amount, bad_date, source)
    # Sums of øre are int64 in pandas and SQLite: a file whose amounts could pass the
    # bound (e.g. debits only, "balancing" modulo 2^64) is refused whole.
    if _absolute_sum(lines["amount"]) > MAX_TOTAL_ORE:
        violations.append(Violation("amount-bound", f"the absolute amounts sum to more than "
                                    f"{format_kroner(MAX_TOTAL_ORE)} kr, the bound of the books",
                                    source=SourceLocation(source, 1)))
    _release_arrow_memory()
    return batch, violations


def _let_go(raw: pd.DataFrame, column: str, bad: pd.Series | None = None) -> None:
    """Drop ``column`` from the rows read (in place: the caller's frame too) when no line
    of ``bad`` needs its text for a message."""
    if bad is None or not bad.any():
        del raw[column]


def _release_arrow_memory() -> None:
    """Give the memory Arrow's allocator keeps for reuse back to the system (the parse's
    temporaries, a few hundred MB of a large file), so the posting that follows starts low."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _row_violations(raw, lines, bad_amount, bad_date, source) -> list[Violation]:
    checks = [
        (bad_amount, "amount", lambda i: f"not an amount with at most two decimals: {raw['amount'][i]!r}"),
        (bad_date, "date", lambda i: f"not a date YYYY-MM-DD in {FIRST_YEAR}-{LAST_YEAR}: {raw['date'][i]!r}"),
        (lines["voucher"] == "", "voucher-id", lambda i: "empty voucher id"),
        (lines["account"] == "", "account", lambda i: "empty account"),
    ]
    found = []
    for mask, rule, message in checks:
        for i in mask[mask].index:
            found.append(Violation(rule, message(i), lines["voucher"][i] or None,
                                   SourceLocation(source, int(lines["src_line"][i]))))
    return found


def _stripped_factorize(column: pd.Series) -> tuple[np.ndarray, list, bool]:
    """``pd.factorize(column.str.strip())`` for a column with few distinct values, without
    stripping a copy of the column: the distinct values are stripped, and merged where two
    differ only by white space.  Also whether any value had white space to strip."""
    codes, distinct = pd.factorize(column)
    stripped = [str(v).strip() for v in distinct]
    if all(a == b for a, b in zip(stripped, distinct)):
        return codes, stripped, False
    merged, merged_distinct = pd.factorize(np.array(stripped, dtype=object))
    return merged[codes], list(merged_distinct), True


def _strip_with_codes(column: pd.Series) -> tuple[pd.Series, tuple | None]:
    """``column.str.strip()`` and, when nothing needed stripping (nearly every file), its
    factorisation (made here, where it checks the distinct values for white space instead
    of every line)."""
    if column.dtype == object or not len(column):
        return column.str.strip(), None
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    values = pa.array(distinct, from_pandas=True)
    # Every character Python or Arrow counts as white space (a superset: a false alarm only costs the copy).
    space = r"[\s\p{Z}\x0b\x1c-\x1f\x85]"
    if pc.any(pc.match_substring_regex(values, f"^{space}|{space}$")).as_py():
        return column.str.strip(), None
    return column, (codes, distinct)


def _absolute_sum(amounts: pd.Series) -> int:
    """The sum of the absolute amounts as an exact Python int (int64 where it cannot wrap)."""
    absolute = amounts.abs()
    if absolute.empty:
        return 0
    if int(absolute.max()) < 2**62 // max(len(absolute), 1):
        return int(absolute.sum())
    return int(absolute.astype(object).sum())


def _parse_dates(texts: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, tuple | None]:
    """(date text, year, bad, factorisation of the date text or None): zero-padded ``YYYY-MM-DD`` of a real day in FIRST_YEAR..LAST_YEAR only.

    A year has at most 366 distinct dates: each is parsed once, and the lines take
    theirs by its code.  A good date's text is the stripped input (the shape is
    exactly ISO); a bad one's is ``""`` and its year 0.
    """
    codes, distinct, padded = _stripped_factorize(texts)
    distinct = pd.Series(distinct, dtype=object)
    # strptime's %m and %d take "1" as well as "01": the shape is checked first.
    shaped = distinct.str.match(_DATE_RE).fillna(False).astype(bool)
    dates = pd.to_datetime(distinct.where(shaped, ""), format="%Y-%m-%d", errors="coerce")
    bad = (dates.isna() | ~dates.dt.year.between(FIRST_YEAR, LAST_YEAR)).to_numpy()
    year = np.where(bad, 0, dates.dt.year.fillna(0).to_numpy()).astype("int64")
    good_text = pd.Series(np.where(bad, "", distinct.to_numpy()), dtype=object)
    if len(codes) and (codes < 0).any():  # pragma: no cover - text has no missing values
        raise ValueError("a date is missing")
    index = texts.index
    # With every date good, the distinct texts are the factorisation of the date column.
    factorized = None if bad.any() else (codes, np.asarray(good_text.to_numpy(), dtype=object))
    if factorized is not None and not padded:  # nearly every file: the column as read is the text
        return (texts, pd.Series(year[codes], index=index, dtype="int64"),
                pd.Series(bad[codes], index=index, dtype=bool), factorized)
    return (pd.Series(good_text.to_numpy()[codes], index=index, dtype=texts.dtype),
            pd.Series(year[codes], index=index, dtype="int64"),
            pd.Series(bad[codes], index=index, dtype=bool), factorized)


def _blank_to_none(column: pd.Series) -> tuple[pd.Series, tuple]:
    """The stripped text, missing (None) where blank: object values shared per distinct code
    (a column has a few dozen), so neither the checks nor the insert make a string per line;
    and its factorisation."""
    codes, distinct, _ = _stripped_factorize(column)
    values = np.array([v if v != "" else None for v in distinct] + [None], dtype=object)
    # The factorisation of the result: blanks missing (-1), the rest renumbered in order.
    blank = np.array([v == "" for v in distinct], dtype=bool)
    remap = np.where(blank, -1, np.cumsum(~blank) - 1)
    factorized = (remap[codes].astype("int64"), np.array([v for v in distinct if v != ""], dtype=object))
    return pd.Series(values[codes], index=column.index, dtype=object), factorized


def _dimensions_json(raw: pd.DataFrame) -> pd.Series:
    dim_columns = [c for c in raw.columns if c.startswith(DIMENSION_PREFIX)]
    if not dim_columns:
        return (pd.Series("{}", index=raw.index, dtype=object),
                (np.zeros(len(raw), dtype="int64"), np.array(["{}"], dtype=object)))
    names = [c[len(DIMENSION_PREFIX):] for c in dim_columns]
    # Dimensions repeat (a handful of projects, municipalities, lease terms): write the
    # JSON once per distinct combination, not once per line.
    if len(dim_columns) == 1:
        codes, distinct = pd.factorize(raw[dim_columns[0]].fillna(""))
        combinations = [(value,) for value in distinct]
    else:
        codes, combinations = pd.MultiIndex.from_frame(raw[dim_columns].fillna("")).factorize()
    texts = [json.dumps({n: v for n, v in zip(names, row) if v}, ensure_ascii=False, sort_keys=True)
             for row in combinations]
    # One str per combination, shared by its lines (no string made per line).  Distinct
    # combinations give distinct JSON, so the codes are the factorisation of the result.
    distinct = np.array(texts, dtype=object)
    return (pd.Series(distinct[codes], index=raw.index, dtype=object),
            (np.asarray(codes, dtype="int64"), distinct))


