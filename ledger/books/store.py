"""The books: an SQLite file that holds the chart, the posted batches and the years.

Guarantees an auditor relies on:

- **Atomic posting.** A batch is checked whole (:mod:`ledger.journal.posting_rules`) inside one
  write transaction and then inserted in the same transaction: it is wholly
  posted or not at all, also when the process is killed half-way (SQLite's WAL).
- **Append-only.** Triggers refuse ``UPDATE`` and ``DELETE`` on posted lines,
  vouchers, batches and the audit log.  Corrections are new entries.
- **Tamper-evident.** Everything the books store is covered by one chain of events
  (``events``): a posted batch (its row and a SHA-256 of a canonical serialisation of
  all its lines, :mod:`ledger.books.digest`), an input document (its content's
  SHA-256), accounts and budget catalogues added, a year opened, closed or reopened.
  Each event holds the canonical JSON of what it wrote and a hash chained to the
  previous event's; the last hash is the books' hash.  :meth:`Books.audit` replays the
  chain and compares every stored row and line with it.
- **Recognised.** Books carry :data:`~ledger.books.schema.APPLICATION_ID` in the SQLite
  header; any other file is refused before anything is written to it.
- **Bounded.** The absolute amounts of all lines of the books sum to at most
  :data:`~ledger.core.money.MAX_BOOKS_ORE`, so no balance, total or sum of them can
  leave int64 (rule ``amount-bound``).
- **Closed years refuse postings** (rule ``year-closed``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ledger.books.documents import BUDGET
from ledger.books.chain import GENESIS_HASH, MIGRATED_TABLES, REPLAYED, AuditResult, event_hash, utc_now
from ledger.books.errors import BooksError, PostingRefused  # noqa: F401 (imported from here by the commands)
from ledger.books.posting import PostedBatch, post_chunks  # noqa: F401 (PostedBatch: as above)
from ledger.books.audit import audit_books, stored_lines_digest
from ledger.books.digest import DIGEST_COLUMNS, canonical_json
from ledger.books import segments
from ledger.books.schema import (AFTER_CONVERSION, APPLICATION_ID, LEGACY_TABLES, MIGRATIONS, SCHEMA_VERSION,
                                 TOTAL_KEYS, expected_schema, statements)
from ledger.core.lazy import defer
from ledger.core.money import MAX_BOOKS_ORE, format_kroner
from ledger.reference.chart import SETTLEMENT_ROLES

if TYPE_CHECKING:
    from ledger.journal.batch import Batch
    from ledger.journal.posting_rules import PostingContext

# Loaded on first use: ``ledger balance`` reads its rows with sqlite3 alone.
pd = defer("pandas")
np = defer("numpy")
pa = defer("pyarrow")

# How long a writer waits for another process's transaction before giving up (seconds;
# the environment variable ``LEDGER_BUSY_TIMEOUT`` overrides it).
BUSY_TIMEOUT_S = 30.0
SQLITE_MAGIC = b"SQLite format 3\x00"
# The columns of a line as :meth:`Books.lines` reads them.
_LINE_SELECT = ("l.id, l.batch_id, b.kind, l.voucher, l.date, l.year, l.account, l.amount,"
                " l.statskonto, l.artskonto, l.text, l.dims, b.source, l.src_line")

REVISION_DOCUMENT = "revision.json"
"""The manifest of one revision of a year's input documents (source, time, each document's sha256)."""


@attrs.frozen
class InputRevision:
    """One import of a year's inputs: when, from where, its manifest's sha256, the documents it holds."""

    id: int
    year: int
    added_at: str
    source: str
    sha256: str
    documents: tuple[str, ...]


# The columns of a line as the segments store them (:data:`ledger.books.digest.DIGEST_COLUMNS`).
LINE_COLUMNS = DIGEST_COLUMNS
_INTEGER_LINE_COLUMNS = frozenset({"year", "amount", "src_line"})


class Books:
    """Books in an SQLite file.  Use :meth:`create` for new books, :meth:`open` for existing."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, accounts: Iterable[tuple[str, str, str | None, str | None]],
               statskontoer: Mapping[int, Iterable[str]] | None = None,
               fill: Callable[[Books], None] | None = None) -> Books:
        """Create new books with a chart (code, name, skp, role) and budget catalogues.

        Atomic: the books are built in a temporary file beside ``path`` (and ``fill``
        is called on them, e.g. to load an example), then moved into place, so a
        failed or killed ``init`` leaves nothing at ``path``.  Refuses to overwrite an
        existing file.
        """
        path = Path(path)
        _refuse_existing(path)
        temp = path.with_name(f".{path.name}.init-{os.getpid()}.tmp")
        _remove_sqlite_files(temp)
        try:
            with cls(_connect(temp, wal=False), temp) as books:
                with books.transaction():
                    books._migrate()
                    books._insert_accounts(list(accounts), "init")
                    rows = [[year, code] for year, codes in (statskontoer or {}).items() for code in codes]
                    books._db.executemany("INSERT INTO statskontoer VALUES (?, ?)", rows)
                    books._event("catalogue", None, {"rows": sorted(rows)})
                if fill is not None:
                    fill(books)
            fsync_path(temp)
            _move_into_place(temp, path)
        except BaseException:
            _remove_sqlite_files(temp)
            raise
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str) -> Books:
        """Open existing books, migrating an older schema forward.

        Anything that is not ledger books (no file, a folder, an empty file, not
        SQLite, another application's SQLite file) is refused before a byte is written.
        """
        path = Path(path)
        _recognise(path)
        try:
            books = cls(_connect(path), path)
        except (sqlite3.Error, UnicodeError) as exc:
            raise BooksError(describe_sqlite_error(exc, path)) from None
        try:
            if books._version() < SCHEMA_VERSION:
                with books.transaction():
                    books._migrate()
        except (sqlite3.Error, UnicodeError) as exc:
            books.close()
            raise BooksError(describe_sqlite_error(exc, path)) from None
        except BaseException:
            books.close()
            raise
        return books

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Books:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise BooksError(f"books have schema {version}; this ledger knows up to {SCHEMA_VERSION}")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[target]):
                self._db.execute(statement)
            if target == 5 and version >= 1:
                self._lines_into_segments()
            for statement in statements(AFTER_CONVERSION.get(target, "")):
                self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {target}")
        if 1 <= version < 3:
            self._chain_existing(version)

    def _lines_into_segments(self) -> None:
        """Schema 5: move the lines of books of schema 1-4 from the ``lines`` table into
        segments, batch by batch in id order (their ids, and so their digests, unchanged)."""
        has_ranges = self._db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'batch_ranges'").fetchone()[0]
        ranges = (self._db.execute("SELECT batch_id, first_line, last_line FROM batch_ranges ORDER BY batch_id")
                  if has_ranges else
                  self._db.execute("SELECT batch_id, min(id), max(id) FROM lines GROUP BY batch_id ORDER BY batch_id"))
        for batch_id, first, last in ranges.fetchall():
            frame = pd.read_sql_query(f"SELECT id, {', '.join(LINE_COLUMNS)} FROM lines WHERE id BETWEEN ? AND ?"
                                      " ORDER BY id", self._db, params=(first, last))
            if frame.empty:
                continue
            if list(frame["id"]) != list(range(first, first + len(frame))):
                raise BooksError(f"batch {batch_id}: its lines {first}..{last} do not have consecutive ids; "
                                 "the books cannot be migrated")
            columns = {c: frame[c].astype(object).where(frame[c].notna(), None) if c not in _INTEGER_LINE_COLUMNS
                       else frame[c].astype("int64") for c in LINE_COLUMNS}
            segments.write(self._db, batch_id, first, columns, len(frame))

    def _chain_existing(self, version: int) -> None:
        """Write what books of schema ``version`` (before the event chain) hold into the chain.

        One ``migrate`` event holds the small tables as they are; then one event per
        document and per batch, in id order, as if they had been added now.
        """
        state = {table: [list(r) for r in self._db.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2")]
                 for table, columns in REPLAYED.items() if table in MIGRATED_TABLES}
        self._event("migrate", None, {"from_schema": version, **state})
        for row in self._db.execute(f"SELECT {REPLAYED['documents']}, content FROM documents ORDER BY id").fetchall():
            self._document_event(*row)
        batches = self._db.execute(f"SELECT {REPLAYED['batches']} FROM batches ORDER BY id").fetchall()
        ranges = {b: (f, l) for b, f, l in self._db.execute("SELECT * FROM batch_ranges")}
        vouchers = {b: len(v) for b, v in segments.vouchers_of_batches(self._db).items()}
        for row in batches:
            first, last = ranges.get(row[0], (0, -1))
            digest = stored_lines_digest(self._db, first, last)
            self._batch_event(row, first, last, vouchers.get(row[0], 0), digest, migrated=True)

    @contextlib.contextmanager
    def transaction(self):
        """One write transaction: all of it is written or nothing (also under SIGKILL).

        Nested use joins the transaction already open, so that a command can make
        several writes (the close: entries, carry-forward and lock; a multi-file
        import) all-or-nothing.  SQLite errors leave as :class:`BooksError` with a
        message naming the cause (busy, read-only, disk full, damaged).
        """
        if self._db.in_transaction:
            yield
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise BooksError(describe_sqlite_error(exc, self.path)) from None
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, UnicodeError)):
                raise BooksError(describe_sqlite_error(exc, self.path)) from None
            raise

    _transaction = transaction

    # -- the event chain -----------------------------------------------------
    def _event(self, kind: str, year: int | None, detail: dict, digest: str = "") -> str:
        """Append an event to the chain (inside the caller's transaction); its hash."""
        prev = self.head_hash()
        event_id = self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        at, text = utc_now(), canonical_json(detail)
        digest_hash = event_hash(prev, event_id, kind, at, year, text, digest)
        self._db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (event_id, kind, at, year, text, digest, prev, digest_hash))
        return digest_hash

    def _batch_event(self, row, first: int, last: int, vouchers: int, digest: str, migrated: bool = False) -> None:
        detail = {**dict(zip(REPLAYED["batches"].split(", "), row)), "first_line": first, "last_line": last,
                  "vouchers": vouchers}
        if migrated:
            detail["migrated"] = True
        self._event("batch", None, detail, digest)

    def _document_event(self, doc_id, year, name, sha256, added_at, content) -> None:
        detail = {"id": doc_id, "name": name, "sha256": sha256, "added_at": added_at, "size": len(content)}
        self._event("document", year, detail, hashlib.sha256(content).hexdigest())

    def events(self) -> list[tuple[int, str, str, int | None, dict]]:
        """The event chain as (id, kind, at, year, detail) in order: the books' history."""
        return [(i, k, at, y, json.loads(d)) for i, k, at, y, d in
                self._db.execute("SELECT id, kind, at, year, detail FROM events ORDER BY id")]

    # -- facts about the books ------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A fact about the books (e.g. ``example``: the bundled example they were made from)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the books, as an event of the chain."""
        with self._transaction():
            self._db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             (key, value))
            self._event("meta", None, {"key": key, "value": value})

    # -- chart -------------------------------------------------------------
    def account_count(self) -> int:
        """Number of accounts in the books' chart."""
        return self._db.execute("SELECT count(*) FROM accounts").fetchone()[0]

    def add_accounts(self, accounts: Iterable[tuple[str, str, str | None, str | None]], reason: str) -> None:
        """Add accounts (code, name, skp, role) to the chart, as an event of the chain.

        Refuses (:class:`BooksError`, nothing added) a code the chart already has.
        """
        rows = list(accounts)
        try:
            with self._transaction():
                self._insert_accounts(rows, reason)
        except BooksError as exc:
            raise BooksError(f"cannot add accounts: {exc}") from None

    def _insert_accounts(self, rows: list, reason: str) -> None:
        self._db.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?)", rows)
        self._event("accounts", None, {"reason": reason, "rows": sorted(list(r) for r in rows)})

    def account_rows(self) -> list[tuple[str, str, str | None, str | None]]:
        """The books' chart as (code, name, skp, role) rows, read with sqlite3 alone."""
        return self._db.execute("SELECT code, name, skp, role FROM accounts ORDER BY code").fetchall()

    def accounts(self) -> pd.DataFrame:
        """The books' chart: code, name, skp, role."""
        return pd.read_sql_query("SELECT code, name, skp, role FROM accounts ORDER BY code", self._db)

    def posting_context(self) -> PostingContext:
        """What the posting rules check a batch against in these books (the chart, the
        settlement accounts, each year's statskontoer, closed years and locked months); the
        voucher ids already held are looked up apart (:meth:`existing_vouchers`)."""
        from ledger.journal.posting_rules import PostingContext  # posting needs pandas; reading totals does not

        accounts = self.accounts()
        settlement = accounts.loc[accounts["role"].isin(list(SETTLEMENT_ROLES)), "code"]
        return PostingContext(
            accounts=frozenset(accounts["code"]),
            settlement_accounts=frozenset(settlement),
            statskontoer=self.statskontoer(),
            closed_years=frozenset(self.closed_years()),
            locked_months=self.month_locks(),
        )

    def context_for(self, batch: Batch) -> PostingContext:
        """The posting context of ``batch`` against these books, with those of its voucher ids
        the books already hold."""
        return attrs.evolve(self.posting_context(),
                            existing_vouchers=self.existing_vouchers(batch.factorized("voucher")[1]))

    def statskontoer(self) -> dict[int, frozenset[str]]:
        """Each year's statskontoer: its budget catalogue (the ``budget.csv`` input document),
        or in books written before year inputs, the ``statskontoer`` table."""
        known: dict[int, set[str]] = {}
        for year, code in self._db.execute("SELECT year, statskonto FROM statskontoer"):
            known.setdefault(year, set()).add(code)
        years = [r[0] for r in self._db.execute("SELECT DISTINCT year FROM documents WHERE name = ?", (BUDGET,))]
        for year in years:
            content = self.document(year, BUDGET)
            if content is not None:
                rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig", errors="replace")))
                known[year] = {(row.get("statskonto") or "").strip() for row in rows}
        return {y: frozenset(c) for y, c in known.items()}

    def existing_vouchers(self, voucher_ids, but_batch: int | None = None) -> frozenset[str]:
        """Those of ``voucher_ids`` (distinct) that the books hold (but in batch ``but_batch``,
        the one being written): the stored voucher ids, read from the segments, are the set
        looked up."""
        import pyarrow.compute as pc

        rows = [r for r in segments.segment_rows(self._db) if r[1] != but_batch]
        if not rows or not len(voucher_ids):
            return frozenset()
        wanted = pa.array(voucher_ids, from_pandas=True)
        if isinstance(wanted, pa.ChunkedArray):
            wanted = wanted.combine_chunks()
        wanted = wanted.cast(pa.string())
        held_lines = sum(r[2] for r in rows)
        found: set[str] = set()
        if len(wanted) * 8 < held_lines:  # a few vouchers (the close's): scan for them
            for _, table in segments.iter_tables(self._db, rows, ["voucher"]):
                column = table["voucher"].combine_chunks()
                found.update(column.filter(pc.is_in(column, value_set=wanted)).to_pylist())
            return frozenset(found)
        stored = [pc.unique(table["voucher"].combine_chunks())
                  for _, table in segments.iter_tables(self._db, rows, ["voucher"])]
        held = pc.unique(pa.concat_arrays(stored))
        return frozenset(wanted.filter(pc.is_in(wanted, value_set=held)).to_pylist())

    # -- posting -----------------------------------------------------------
    def post(self, batch: Batch) -> PostedBatch:
        """Check and post ``batch`` in one transaction, or raise :class:`PostingRefused`."""
        return self.post_chunks(batch.source, batch.sha256, batch.kind, [(batch, [])])

    def post_chunks(self, source: str, sha256: str, kind: str, chunks) -> PostedBatch:
        """Check and post a batch given as chunks of lines with the reader's violations in each
        (:func:`ledger.books.posting.post_chunks`): all of it, or nothing and
        :class:`PostingRefused` naming every violation."""
        return post_chunks(self, source, sha256, kind, chunks)

    def absolute_total(self) -> int:
        """The sum of the absolute amounts of all lines of the books (øre)."""
        try:
            return self._db.execute("SELECT coalesce(sum(debit), 0) + coalesce(sum(credit), 0)"
                                    " FROM batches").fetchone()[0]
        except (OverflowError, sqlite3.OperationalError):  # SQLite's sum() refuses to wrap
            return MAX_BOOKS_ORE + 1

    def _last_batch_hash(self) -> str:
        row = self._db.execute("SELECT hash FROM batches ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS_HASH

    # -- years ---------------------------------------------------------------
    def closed_years(self) -> list[int]:
        """Years that refuse postings."""
        return [r[0] for r in self._db.execute("SELECT year FROM years WHERE status = 'closed'")]

    def years(self) -> list[int]:
        """The years with postings, in order."""
        return [r[0] for r in self._db.execute("SELECT year FROM years ORDER BY year")]

    def year_status(self, year: int) -> str | None:
        """``open``, ``closed`` or None for a year with no postings."""
        row = self._db.execute("SELECT status FROM years WHERE year = ?", (year,)).fetchone()
        return row[0] if row else None

    def has_movements(self, year: int) -> bool:
        """Whether ``year`` has postings other than opening balances and closing entries."""
        row = self._db.execute("SELECT 1 FROM totals t JOIN batches b ON b.id = t.batch_id"
                               " WHERE t.year = ? AND b.kind = 'journal' LIMIT 1", (year,)).fetchone()
        return row is not None

    def set_year_status(self, year: int, status: str, reason: str) -> None:
        """Open or close ``year``, as an event of the chain (with the reason)."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO years VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET status = excluded.status,"
                " changed_at = excluded.changed_at", (year, status, utc_now()))
            self._year_event(year, reason)

    def _year_event(self, year: int, reason: str) -> None:
        status, changed_at = self._db.execute("SELECT status, changed_at FROM years WHERE year = ?",
                                              (year,)).fetchone()
        self._event("year", year, {"status": status, "changed_at": changed_at, "reason": reason})

    # -- month locks ---------------------------------------------------------
    def month_locks(self) -> dict[int, int]:
        """Year → the last month locked (1-12): postings dated in or before it are refused."""
        return dict(self._db.execute("SELECT year, locked_through FROM month_locks WHERE locked_through > 0"))

    def locked_through(self, year: int) -> int:
        """The last locked month of ``year`` (0: none locked)."""
        return self.month_locks().get(year, 0)

    def lock_history(self) -> list[dict]:
        """Every lock and unlock, oldest first: ``at, year, action, month, locked_through, previous, reason``."""
        return [{"at": at, "year": year, **json.loads(detail)} for at, year, detail in
                self._db.execute("SELECT at, year, detail FROM events WHERE kind = 'month' ORDER BY id")]

    def set_locked_through(self, year: int, month: int, action: str, reason: str) -> int:
        """Lock ``year`` through ``month`` (``action`` ``lock``), or unlock it from ``month`` on
        (``unlock``: locked through ``month - 1``), as an event of the chain; the previous value.

        A lock never shrinks by ``lock`` and never grows by ``unlock``: either is then a no-op
        and writes nothing.
        """
        if action not in ("lock", "unlock") or not 1 <= month <= 12:
            raise BooksError(f"cannot {action} month {month} of {year}")
        with self._transaction():
            previous = self.locked_through(year)
            target = max(previous, month) if action == "lock" else min(previous, month - 1)
            if target != previous:
                now = utc_now()
                self._db.execute("INSERT INTO month_locks VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET"
                                 " locked_through = excluded.locked_through, changed_at = excluded.changed_at",
                                 (year, target, now))
                self._event("month", year, {"action": action, "month": month, "locked_through": target,
                                            "previous": previous, "reason": reason, "changed_at": now})
        return previous

    # -- input documents -----------------------------------------------------
    def add_document(self, year: int, name: str, content: bytes) -> None:
        """Keep an input document of ``year`` (appropriations, agency facts, comparatives).

        Documents are inputs that are not journal entries.  A new version of a
        name supersedes the old one, which stays in the books.  Each version is an
        event of the chain (its content's SHA-256), so ``audit`` sees an edited input.
        """
        with self._transaction():
            self._insert_document(year, name, bytes(content), utc_now())

    def _insert_document(self, year: int, name: str, content: bytes, added_at: str) -> int:
        """Store one document version and its event (inside the caller's transaction); its id."""
        digest = hashlib.sha256(content).hexdigest()
        cur = self._db.execute("INSERT INTO documents (year, name, sha256, added_at, content)"
                               " VALUES (?, ?, ?, ?, ?)", (year, name, digest, added_at, content))
        row = self._db.execute(f"SELECT {REPLAYED['documents']} FROM documents WHERE id = ?",
                               (cur.lastrowid,)).fetchone()
        self._document_event(*row, content)
        return cur.lastrowid

    def add_input_revision(self, year: int, source: str, documents: Mapping[str, bytes]) -> InputRevision:
        """Keep the input documents of ``year`` read from ``source`` as one revision, in one transaction.

        The revision is a manifest document (:data:`REVISION_DOCUMENT`: source, time and
        the sha256 of every document) beside the documents themselves.  The latest
        revision stands: :meth:`document` gives its documents, and a name it lacks is
        absent.  Earlier revisions stay in the books (append-only).
        """
        now = utc_now()
        files = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(documents.items())}
        manifest = json.dumps({"source": source, "added_at": now, "documents": files},
                              ensure_ascii=False, sort_keys=True, indent=1).encode()
        digest = hashlib.sha256(manifest).hexdigest()
        with self._transaction():
            for name, content in sorted(documents.items()):
                self._insert_document(year, name, bytes(content), now)
            revision_id = self._insert_document(year, REVISION_DOCUMENT, manifest, now)
        return InputRevision(revision_id, year, now, source, digest, tuple(files))

    def input_revisions(self, year: int) -> list[InputRevision]:
        """The input revisions of ``year``, oldest first."""
        rows = self._db.execute("SELECT id, added_at, sha256, content FROM documents WHERE year = ? AND name = ?"
                                " ORDER BY id", (year, REVISION_DOCUMENT)).fetchall()
        found = []
        for doc_id, added_at, digest, content in rows:
            manifest = json.loads(bytes(content))
            found.append(InputRevision(doc_id, year, added_at, manifest["source"], digest,
                                       tuple(manifest["documents"])))
        return found

    def revision_documents(self, year: int) -> dict[str, bytes]:
        """Every document of the latest input revision of ``year`` (empty when there is none)."""
        revisions = self.input_revisions(year)
        if not revisions:
            return {}
        found = {}
        for name in revisions[-1].documents:
            content = self.document(year, name)
            if content is not None:
                found[name] = content
        return found

    def document(self, year: int, name: str) -> bytes | None:
        """The input document ``name`` of ``year`` as the latest revision holds it, or None.

        Books whose year has no revision (documents added one by one) give the latest
        version of the name.
        """
        latest = self._db.execute("SELECT content FROM documents WHERE year = ? AND name = ?"
                                  " ORDER BY id DESC LIMIT 1", (year, REVISION_DOCUMENT)).fetchone()
        if latest is None:
            row = self._db.execute("SELECT content FROM documents WHERE year = ? AND name = ?"
                                   " ORDER BY id DESC LIMIT 1", (year, name)).fetchone()
            return bytes(row[0]) if row else None
        digest = json.loads(bytes(latest[0]))["documents"].get(name)
        if digest is None:
            return None
        row = self._db.execute("SELECT content FROM documents WHERE year = ? AND name = ? AND sha256 = ?"
                               " ORDER BY id DESC LIMIT 1", (year, name, digest)).fetchone()
        return bytes(row[0]) if row else None

    # -- reading -------------------------------------------------------------
    def lines(self, year: int, kinds: Iterable[str] | None = None) -> pd.DataFrame:
        """Every posted line of ``year`` with its batch kind and source (amount int64 øre), in id order.

        ``kinds``: only the lines of batches of these kinds (e.g. ``closing``); only their
        segments are read.
        """
        batch_ids = None
        if kinds is not None:
            kinds = list(kinds)
            batch_ids = [r[0] for r in self._db.execute(
                f"SELECT id FROM batches WHERE kind IN ({', '.join('?' * len(kinds))})", kinds)]
        return self._lines_frame(year, segments.segment_rows(self._db, batch_ids, year))

    def line_ids_of_keys(self, year: int, keys: pd.DataFrame, skip_ids=(), limit: int | None = None,
                         from_end: bool = False) -> np.ndarray:
        """The ids (ascending) of the lines of ``year`` whose ``batch_id, account, statskonto,
        artskonto, dims`` is a row of ``keys`` (None or NaN: no value), less those in ``skip_ids``:
        the first ``limit`` only when given (reading stops there), or the last ``limit`` when
        ``from_end`` (the segments read from the last back).

        This is what a summed row of :meth:`compact_lines` stands for, with ``skip_ids`` the
        ids of its whole-voucher lines.  Only the key columns of the segments of the keys'
        batches are decoded: no text is made, so the ids behind a figure of millions of lines
        cost about a read of those columns (then :meth:`lines_with_ids` reads a page of them).
        """
        wanted = _KeyMatcher(keys)
        skip = np.unique(np.asarray(skip_ids, dtype="int64"))
        rows = segments.segment_rows(self._db, wanted.batch_ids, year)
        found, count = [], 0
        for row, table in segments.iter_tables(self._db, rows[::-1] if from_end else rows,
                                               ["year", *_KeyMatcher.COLUMNS]):
            if limit is not None and count >= limit:
                break
            ids = np.arange(row[0], row[0] + row[2], dtype="int64")
            ids = ids[wanted.mask(table, row[1]) & (table["year"].to_numpy() == year)]
            if len(skip):
                ids = ids[~np.isin(ids, skip)]
            found.append(ids)
            count += len(ids)
        if from_end:
            found.reverse()
        ids = np.concatenate(found) if found else np.zeros(0, dtype="int64")
        if limit is None:
            return ids
        return ids[len(ids) - min(limit, len(ids)):] if from_end else ids[:limit]

    def lines_with_ids(self, year: int, ids) -> pd.DataFrame:
        """The lines of ``year`` with these ids, as :meth:`lines` gives them (id order); only
        the segments holding them are read."""
        ids = np.unique(np.asarray(ids, dtype="int64"))
        rows = [r for r in segments.segment_rows(self._db, None, year)
                if len(ids) and np.any((ids >= r[0]) & (ids < r[0] + r[2]))]
        wanted = pa.array(ids)
        import pyarrow.compute as pc

        return self._lines_frame(year, rows, lambda table: pc.is_in(table["id"], value_set=wanted))

    def _lines_frame(self, year: int, rows, keep=None) -> pd.DataFrame:
        """The lines of ``year`` in the segments ``rows`` as :meth:`lines` gives them; ``keep``
        (a function of a segment's Arrow table to a boolean mask) selects among them.  Each
        segment is filtered before its text is decoded, so a few lines of a large year cost
        little more than reading its segments."""
        import pyarrow.compute as pc

        pieces = []
        for row, table in segments.iter_tables(self._db, rows):
            table = segments.with_ids(row, table)
            mask = pc.equal(table["year"], year)
            if keep is not None:
                mask = pc.and_(mask, keep(table))
            pieces.append(segments.plain(table.filter(mask)))
        table = pa.concat_tables(pieces) if pieces else segments.lines_table(self._db, [])
        rows = self._db.execute("SELECT id, kind, source FROM batches").fetchall()
        kinds, sources = {b: k for b, k, _ in rows}, {b: src for b, _, src in rows}
        frame = _frame_of(table)
        frame.insert(2, "kind", frame["batch_id"].map(kinds).astype("str"))
        frame.insert(12, "source", frame["batch_id"].map(sources).astype("str"))
        return frame

    def totals(self, year: int) -> pd.DataFrame:
        """The year's totals per batch: ``batch_id, kind, source, year, account, statskonto,
        artskonto, dims, amount, line_count`` (int64), in posting order."""
        frame = pd.read_sql_query(
            "SELECT t.batch_id, b.kind, b.source, t.year, t.account, t.statskonto, t.artskonto, t.dims,"
            " t.amount, t.line_count FROM totals t JOIN batches b ON b.id = t.batch_id WHERE t.year = ?"
            " ORDER BY t.rowid", self._db, params=(year,))
        return frame.astype({"amount": "int64", "line_count": "int64"})

    def compact_lines(self, year: int, whole_voucher_accounts: Iterable[tuple[str, str]] = ()) -> pd.DataFrame:
        """The year's lines as the statements need them, without reading every line.

        Lines of vouchers that touch an account in one of the inclusive ranges
        ``whole_voucher_accounts`` (e.g. ``("1000", "1299")``) are read whole, as
        :meth:`lines` gives them.  All other lines are summed per batch, account,
        statskonto, artskonto and dimensions into rows with an empty ``voucher``,
        ``date`` and ``text`` and a ``line_count``.  Every sum over the rows (by any
        of those keys) equals the sum over the lines.
        """
        totals = self.totals(year)
        ranges = list(whole_voucher_accounts)
        whole = self._lines_of_vouchers_touching(year, ranges).assign(line_count=1)
        keys = ["batch_id", *TOTAL_KEYS]
        taken = _with_null_marker(whole).groupby(keys, sort=False).agg(
            taken_amount=("amount", "sum"), taken_count=("line_count", "sum")).reset_index()
        rest = _with_null_marker(totals).merge(taken, on=keys, how="left")
        rest["amount"] -= rest["taken_amount"].fillna(0).astype("int64")
        rest["line_count"] -= rest["taken_count"].fillna(0).astype("int64")
        rest = rest.loc[rest["line_count"] > 0].drop(columns=["taken_amount", "taken_count"])
        for column in _NULLABLE_KEYS:
            rest[column] = rest[column].where(rest[column] != _NULL_MARKER, None)
        rest = rest.assign(id=-1, voucher="", date="", text="", src_line=0)
        frame = pd.concat([whole, rest[whole.columns]], ignore_index=True)
        frame = frame.astype({"amount": "int64", "line_count": "int64"})
        # Python text: the statements filter, group and iterate these rows many times over,
        # which numpy does for object columns far faster than Arrow's per-element take.
        return frame.assign(**{c: _python_text(frame[c]) for c in frame.columns if frame[c].dtype.kind not in "iub"})

    def _lines_of_vouchers_touching(self, year: int, ranges: list[tuple[str, str]]) -> pd.DataFrame:
        """Every line of ``year`` of the vouchers with a line of ``year`` on an account in
        ``ranges``: the vouchers found in one pass over the segments, their lines in a second."""
        import pyarrow.compute as pc

        rows = segments.segment_rows(self._db, None, year) if ranges else []
        found = []
        for _, table in segments.iter_tables(self._db, rows, ["voucher", "year", "account"]):
            accounts = table["account"].combine_chunks()
            # The ranges are tested on the segment's few distinct accounts, then taken by code.
            wanted = pa.array([any(low <= a <= high for low, high in ranges)
                               for a in accounts.dictionary.to_pylist()], pa.bool_())
            hits = pc.and_(pc.fill_null(pc.take(wanted, accounts.indices), False), pc.equal(table["year"], year))
            found.append(pc.unique(table["voucher"].filter(hits).combine_chunks()))
        vouchers = pc.unique(pa.concat_arrays(found)) if found else pa.array([], pa.string())
        return self._lines_frame(year, rows, lambda table: pc.is_in(table["voucher"], value_set=vouchers))

    def trial_balance_rows(self, year: int, by: str = "account", period=None) -> list[tuple[str, int]]:
        """:meth:`trial_balance` as ``(key, amount)`` tuples, read with sqlite3 alone.

        ``period``: a month (:class:`ledger.core.period.Period`): the lines dated up to its
        last day (year to date, with the opening balance), or with ``month_only`` the
        month's lines outside opening batches.  Read from the lines, not the totals
        (the totals hold no date).
        """
        column = {"account": "account", "statskonto": "statskonto", "artskonto": "artskonto"}[by]
        if period is not None and period.is_month:
            return self._month_balance_rows(year, column, period)
        return self._db.execute(
            f"SELECT coalesce({column}, '') AS key, sum(amount) AS amount FROM totals"
            f" WHERE year = ? GROUP BY 1 ORDER BY 1", (year,)).fetchall()

    def _month_balance_rows(self, year: int, column: str, period) -> list[tuple[str, int]]:
        """The lines of ``year`` dated in ``period`` (year to date, or the month alone without
        opening batches) summed by ``column``: read from the segments with pyarrow alone."""
        import pyarrow.compute as pc

        batch_ids = None
        if period.month_only:
            batch_ids = [r[0] for r in self._db.execute("SELECT id FROM batches WHERE kind != 'opening'")]
        sums: dict[str, int] = {}
        for _, table in segments.iter_tables(self._db, segments.segment_rows(self._db, batch_ids, year),
                                             ["year", "date", column, "amount"]):
            table = segments.plain(table)
            dates = table["date"]
            mask = pc.and_(pc.equal(table["year"], year),
                           pc.and_(pc.greater_equal(dates, period.first_date), pc.less_equal(dates, period.last_date)))
            grouped = table.filter(mask).group_by(column).aggregate([("amount", "sum")])
            for key, amount in zip(grouped[column].to_pylist(), grouped["amount_sum"].to_pylist()):
                sums[key or ""] = sums.get(key or "", 0) + amount
        return sorted(sums.items())

    def account_names(self) -> dict[str, str]:
        """Account code → name of the books' chart."""
        return dict(self._db.execute("SELECT code, name FROM accounts"))

    def trial_balance(self, year: int, by: str = "account") -> pd.DataFrame:
        """Balances at the end of ``year`` grouped by account, statskonto or artskonto.

        Columns ``key, amount`` (int64 øre, debit positive), sorted by key.  Lines
        without the key are grouped under an empty key, so the amounts total 0.
        Read from the batch totals, so its cost does not grow with the lines.
        """
        rows = self.trial_balance_rows(year, by)
        return pd.DataFrame(rows, columns=["key", "amount"]).astype({"key": object, "amount": "int64"})

    def batches(self) -> pd.DataFrame:
        """The posted batches in posting order."""
        return pd.read_sql_query("SELECT * FROM batches ORDER BY id", self._db)

    def head_hash(self) -> str:
        """The hash of the last event of the chain (the books' hash), or the genesis hash."""
        row = self._db.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS_HASH

    def counts(self) -> tuple[int, int, int]:
        """(batches, vouchers, lines) in the books."""
        return tuple(self._db.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM batches),"
            " (SELECT coalesce(sum(json_extract(detail, '$.vouchers')), 0) FROM events WHERE kind = 'batch'),"
            " (SELECT coalesce(sum(line_count), 0) FROM segments)").fetchone())

    # -- audit ---------------------------------------------------------------
    def audit(self, deep: bool = True, expect: str | None = None) -> AuditResult:
        """Re-verify everything the books store against the event chain (:mod:`ledger.books.audit`).

        ``deep`` also recomputes each batch's digest and every total from the lines,
        checks the vouchers and runs SQLite's integrity check (``ledger audit`` does; the
        export's quick audit leaves out what reads every line).
        ``expect``: a books hash recorded elsewhere, which must be an event of the chain.
        """
        return audit_books(self._db, deep=deep, expect=expect)


# Missing statskonto/artskonto as a string while totals are matched with lines
# (a column of only NULLs would otherwise be float and match nothing).
_NULLABLE_KEYS = ("statskonto", "artskonto")
_NULL_MARKER = "\x00"


def _with_null_marker(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), _NULL_MARKER)
                           for c in _NULLABLE_KEYS})


def _python_text(column: pd.Series) -> pd.Series:
    """A text column as Python ``str`` values (missing ones as NaN, as before), one ``str``
    per distinct value."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    values = np.array(list(distinct) + [np.nan], dtype=object)
    return pd.Series(values[codes], index=column.index, dtype=object)


SUMMED_ROW_KEYS = ("batch_id", *TOTAL_KEYS[1:])
"""What a summed row of :meth:`Books.compact_lines` (of one year) stands for: the lines of its
batch with its account, statskonto, artskonto and dimensions (:meth:`Books.line_ids_of_keys`)."""


class _KeyMatcher:
    """Tests a segment's lines against a set of :data:`SUMMED_ROW_KEYS` keys on the dictionary
    codes: each column's few distinct values are looked up once, then the lines' codes are
    combined and compared in numpy."""

    COLUMNS = SUMMED_ROW_KEYS[1:]

    def __init__(self, keys: pd.DataFrame):
        # No value is None here: the totals hold it as '', the segments as null.
        frame = keys[list(SUMMED_ROW_KEYS)].astype(object)
        frame = frame.where(frame.notna() & (frame != ""), None)
        self.batch_ids = sorted({int(b) for b in frame["batch_id"]})
        # Each column's values numbered; a key is the number mixed from its columns' numbers.
        self._numbers = [{v: i for i, v in enumerate(dict.fromkeys(frame[c]))} for c in self.COLUMNS]
        self._wanted = {b: np.unique(self._mixed([[n[v] for v in frame.loc[frame["batch_id"] == b, c]]
                                                  for n, c in zip(self._numbers, self.COLUMNS)]))
                        for b in self.batch_ids}

    def _mixed(self, codes) -> np.ndarray:
        mixed = np.zeros(len(codes[0]), dtype="int64")
        for numbers, column in zip(self._numbers, codes):
            mixed = mixed * (len(numbers) + 1) + np.asarray(column, dtype="int64")
        return mixed

    def mask(self, table: "pa.Table", batch_id: int) -> np.ndarray:
        """Which lines of ``table`` (one segment of batch ``batch_id``) have a wanted key."""
        wanted = self._wanted.get(batch_id)
        if wanted is None:
            return np.zeros(table.num_rows, dtype=bool)
        import pyarrow.compute as pc

        codes = []
        for numbers, name in zip(self._numbers, self.COLUMNS):
            column = table[name].combine_chunks()
            if not pa.types.is_dictionary(column.type):
                column = pc.dictionary_encode(column)
            # a value not wanted gets len(numbers), which no wanted key has
            lookup = np.array([numbers.get(v or None, len(numbers)) for v in column.dictionary.to_pylist()]
                              + [numbers.get(None, len(numbers))], dtype="int64")
            indices = pc.fill_null(column.indices, len(column.dictionary)).to_numpy(zero_copy_only=False)
            codes.append(lookup[indices])
        return np.isin(self._mixed(codes), wanted)


def _frame_of(table) -> pd.DataFrame:
    """An Arrow table of lines as a DataFrame: int64 numbers, text columns of pandas' text dtype
    (missing as NaN), as ``read_sql_query`` gave them."""
    frame = table.to_pandas()
    return frame.astype({c: "int64" for c in frame.columns if c in ("id", "batch_id", *_INTEGER_LINE_COLUMNS)})


def batch_totals(lines: pd.DataFrame) -> pd.DataFrame:
    """A batch's lines summed per (year, account, statskonto, artskonto, dims): the
    rows of the ``totals`` table, with ``amount`` and ``line_count``."""
    grouped = lines.groupby(list(TOTAL_KEYS), dropna=False, sort=False)["amount"]
    totals = grouped.agg(amount="sum", line_count="size").reset_index()
    # groupby turns a missing statskonto/artskonto into NaN; the books store NULL.
    for column in ("statskonto", "artskonto"):
        totals[column] = totals[column].astype(object).where(totals[column].notna(), None)
    return totals


def describe_sqlite_error(exc: Exception, path: Path) -> str:
    """A message for an SQLite error on the books at ``path``, naming the cause."""
    if isinstance(exc, UnicodeError):  # SQLite's own message quoting damaged bytes
        return f"the books {path} are damaged: {exc.object[:200]!r}" if hasattr(exc, "object") else \
            f"the books {path} are damaged: {exc}"
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (f"another process is using the books {path} (waited {_busy_timeout():g} s); "
                "try again when it has finished")
    if "readonly" in text or "read-only" in text:
        return f"the books {path} are read-only (or their folder is); nothing was written"
    if "integer overflow" in text:
        return (f"the amounts in the books {path} sum past what SQLite can add (int64): they break the "
                f"bound of {format_kroner(MAX_BOOKS_ORE)} kr; run `ledger audit`")
    if "full" in text:
        return f"the disk is full; nothing was written to the books {path}"
    if "disk I/O" in text or "unable to open" in text:
        return f"cannot write the books {path} ({text}); nothing was written"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"the books {path} are damaged: {text}"
    return f"the books {path}: {text}"


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("LEDGER_BUSY_TIMEOUT", BUSY_TIMEOUT_S))
    except ValueError:
        return BUSY_TIMEOUT_S


def _recognise(path: Path) -> None:
    """Refuse (:class:`BooksError`) anything at ``path`` that is not ledger books, writing nothing."""
    if not path.exists():
        where = "" if path.parent.is_dir() else f" (the folder {path.parent} does not exist)"
        raise BooksError(f"no books at {path}{where}; create them with `ledger init`")
    if path.is_dir():
        raise BooksError(f"{path} is a folder, not ledger books")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise BooksError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not head:
        raise BooksError(f"{path} is empty (0 bytes), not ledger books")
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise BooksError(f"{path} is not ledger books (not an SQLite database)")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise BooksError(f"{path} is an SQLite database of another application (application id {app_id:#x}); "
                         "refusing to touch it")
    # No application id in the file's header: books of schema 1-2, or books whose first
    # page is still in the write-ahead log.  Look, read-only.
    version, app_id, tables = _peek(path)
    if app_id == APPLICATION_ID or (1 <= version <= 2 and LEGACY_TABLES <= tables):
        return
    raise BooksError(f"{path} is an SQLite database but not ledger books; refusing to touch it")


def _peek(path: Path) -> tuple[int, int, set[str]]:
    """(user_version, application_id, table names) of an SQLite file, opened read-only."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_busy_timeout())
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise BooksError(f"{path} is not ledger books: {describe_sqlite_error(exc, path)}") from None
    return version, app_id, tables


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise BooksError(f"{path} already exists; refusing to overwrite books")
    if not path.parent.is_dir():
        raise BooksError(f"cannot create {path}: the folder {path.parent} does not exist")


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(temp: Path, path: Path) -> None:
    """Move the finished books ``temp`` to ``path``, never over an existing file."""
    try:
        os.link(temp, path)  # fails if ``path`` exists: no race with another init
    except FileExistsError:
        raise BooksError(f"{path} already exists; refusing to overwrite books") from None
    except OSError:  # a file system without hard links
        _refuse_existing(path)
        os.replace(temp, path)
    _remove_sqlite_files(temp)
    with contextlib.suppress(OSError):
        fsync_path(path.parent)


def _connect(path: Path, wal: bool = True) -> sqlite3.Connection:
    # A second writer waits for the first (busy timeout) instead of failing at once.
    db = sqlite3.connect(path, isolation_level=None, timeout=_busy_timeout())
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    else:
        # Books being built aside: one file (a rollback journal), not synced at each
        # commit; Books.create syncs the finished file once before moving it into place.
        db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = ON")
    # Up to 64 MiB of page cache (allocated as used): the voucher index of big imports.
    # Lines are appended (no index on them), so a bigger cache only holds pages already
    # written to the log; it was 256 MiB of the import's peak memory.
    db.execute("PRAGMA cache_size = -65536")
    return db
