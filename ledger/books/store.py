"""The books: an SQLite file that holds the chart, the posted batches and the years.

Guarantees an auditor relies on:

- **Atomic posting.** A batch is checked whole (:mod:`ledger.journal.posting_rules`) inside one
  write transaction and then inserted in the same transaction: it is wholly
  posted or not at all, also when the process is killed half-way (SQLite's WAL).
- **Append-only.** Triggers refuse ``UPDATE`` and ``DELETE`` on posted lines,
  vouchers, batches and the audit log.  Corrections are new entries.
- **Tamper-evident.** Each batch stores its source, content sha256, time, line
  count, debit and credit sums and a checksum of its lines, and a hash chained to
  the previous batch's hash (the previous by posting order).  :meth:`Books.audit`
  recomputes all of it from the lines.
- **Closed years refuse postings** (rule ``year-closed``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ledger.books.documents import BUDGET
from ledger.books.schema import MIGRATIONS, SCHEMA_VERSION, TOTAL_KEYS, statements
from ledger.core.lazy import defer
from ledger.core.records import Violation
from ledger.reference.chart import SETTLEMENT_ROLES

if TYPE_CHECKING:
    from ledger.journal.batch import Batch
    from ledger.journal.posting_rules import PostingContext

# Loaded on first use: ``ledger balance`` reads its rows with sqlite3 alone.
pd = defer("pandas")

GENESIS_HASH = "0" * 64
# A checksum of a batch's lines that catches amounts moved between lines:
# sum over lines of (amount mod P) * (src_line mod P) mod P, computed the same
# way in Python and SQL, without overflowing int64.
_CHECKSUM_PRIME = 1_000_003
# The columns of a line as :meth:`Books.lines` reads them.
_LINE_SELECT = ("l.id, l.batch_id, b.kind, l.voucher, l.date, l.year, l.account, l.amount,"
                " l.statskonto, l.artskonto, l.text, l.dims, b.source, l.src_line")

class BooksError(Exception):
    """Books that cannot be opened, created or changed as asked."""


class PostingRefused(BooksError):
    """A batch that was not posted; the books are unchanged."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} violation(s); nothing was posted")


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


@attrs.frozen
class AuditResult:
    """Outcome of :meth:`Books.audit`: ok, the head hash, and the first break."""

    ok: bool
    batches: int
    head_hash: str
    problem: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def chain_hash(prev_hash: str, sha256: str, source: str, kind: str, line_count: int,
               debit: int, credit: int, checksum: int) -> str:
    """The hash of a batch, chained to the previous batch's hash."""
    fields = [prev_hash, sha256, source, kind, line_count, debit, credit, checksum]
    return hashlib.sha256("|".join(map(str, fields)).encode()).hexdigest()


def lines_checksum(lines: pd.DataFrame) -> int:
    """The batch checksum of a line table (see ``_CHECKSUM_PRIME``)."""
    p = _CHECKSUM_PRIME
    # numpy's % is a floor modulo (never negative for a positive divisor); the SQL
    # in :meth:`Books.audit` adds p before its second % to get the same.
    amount = lines["amount"].astype("int64") % p
    return int((amount * (lines["src_line"].astype("int64") % p) % p).sum())


class Books:
    """Books in an SQLite file.  Use :meth:`create` for new books, :meth:`open` for existing."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, accounts: Iterable[tuple[str, str, str | None, str | None]],
               statskontoer: Mapping[int, Iterable[str]] | None = None) -> Books:
        """Create new books with a chart (code, name, skp, role) and budget catalogues.

        Refuses to overwrite an existing file.
        """
        path = Path(path)
        if path.exists():
            raise BooksError(f"{path} already exists; refusing to overwrite books")
        books = cls(_connect(path), path)
        with books._transaction():
            books._migrate()
            books._db.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?)", list(accounts))
            for year, codes in (statskontoer or {}).items():
                books._db.executemany("INSERT INTO statskontoer VALUES (?, ?)",
                                      [(year, code) for code in codes])
            books._log("init", None, f"chart of {books.account_count()} accounts")
        return books

    @classmethod
    def open(cls, path: Path | str) -> Books:
        """Open existing books, migrating an older schema forward."""
        path = Path(path)
        if not path.exists():
            raise BooksError(f"no books at {path}; create them with `ledger init`")
        try:
            books = cls(_connect(path), path)
            with books._transaction():
                books._migrate()
        except sqlite3.DatabaseError as exc:
            raise BooksError(f"{path} is not ledger books: {exc}") from None
        return books

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Books:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BooksError(f"books have schema {version}; this ledger knows up to {SCHEMA_VERSION}")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[target]):
                self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {target}")

    @contextlib.contextmanager
    def _transaction(self):
        """One write transaction (the connection is in autocommit mode otherwise)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _log(self, action: str, year: int | None, detail: str) -> None:
        self._db.execute("INSERT INTO audit_log (at, action, year, detail) VALUES (?, ?, ?, ?)",
                         (_now(), action, year, detail))

    # -- facts about the books ------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A fact about the books (e.g. ``example``: the bundled example they were made from)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the books, with a record in the audit log."""
        with self._transaction():
            self._db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             (key, value))
            self._log("meta", None, f"{key} = {value}")

    # -- chart -------------------------------------------------------------
    def account_count(self) -> int:
        """Number of accounts in the books' chart."""
        return self._db.execute("SELECT count(*) FROM accounts").fetchone()[0]

    def add_accounts(self, accounts: Iterable[tuple[str, str, str | None, str | None]], reason: str) -> None:
        """Add accounts (code, name, skp, role) to the chart, with a record in the audit log.

        Refuses (:class:`BooksError`, nothing added) a code the chart already has.
        """
        rows = list(accounts)
        try:
            with self._transaction():
                self._db.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?)", rows)
                self._log("account", None, f"{reason}: {', '.join(r[0] for r in rows)}")
        except sqlite3.IntegrityError as exc:
            raise BooksError(f"cannot add accounts: {exc}") from None

    def account_rows(self) -> list[tuple[str, str, str | None, str | None]]:
        """The books' chart as (code, name, skp, role) rows, read with sqlite3 alone."""
        return self._db.execute("SELECT code, name, skp, role FROM accounts ORDER BY code").fetchall()

    def accounts(self) -> pd.DataFrame:
        """The books' chart: code, name, skp, role."""
        return pd.read_sql_query("SELECT code, name, skp, role FROM accounts ORDER BY code", self._db)

    def context_for(self, batch: Batch) -> PostingContext:
        """The posting context of ``batch`` against these books."""
        from ledger.journal.posting_rules import PostingContext  # posting needs pandas; reading totals does not

        accounts = self.accounts()
        settlement = accounts.loc[accounts["role"].isin(list(SETTLEMENT_ROLES)), "code"]
        return PostingContext(
            accounts=frozenset(accounts["code"]),
            settlement_accounts=frozenset(settlement),
            statskontoer=self.statskontoer(),
            closed_years=frozenset(self.closed_years()),
            existing_vouchers=self._existing_vouchers(batch.lines["voucher"].unique()),
        )

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

    def _existing_vouchers(self, voucher_ids) -> frozenset[str]:
        # Books with fewer vouchers than the batch: compare against all of them in memory.
        held = self._db.execute("SELECT count(*) FROM vouchers").fetchone()[0]
        if held <= len(voucher_ids):
            existing = pd.Series([r[0] for r in self._db.execute("SELECT id FROM vouchers")], dtype=object)
            return frozenset(existing[existing.isin(voucher_ids)])
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (id TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM incoming")
        self._db.executemany("INSERT OR IGNORE INTO incoming VALUES (?)", ((v,) for v in voucher_ids))
        rows = self._db.execute("SELECT id FROM incoming JOIN vouchers USING (id)").fetchall()
        return frozenset(r[0] for r in rows)

    # -- posting -----------------------------------------------------------
    def check(self, batch: Batch) -> list[Violation]:
        """The rule violations of ``batch`` against these books, without posting."""
        from ledger.journal.posting_rules import check_batch

        return check_batch(batch, self.context_for(batch))

    def post(self, batch: Batch) -> PostedBatch:
        """Check and post ``batch`` in one transaction, or raise :class:`PostingRefused`."""
        from ledger.journal.posting_rules import check_batch

        with self._transaction():
            earlier = self._db.execute("SELECT id, source FROM batches WHERE sha256 = ?", (batch.sha256,)).fetchone()
            if earlier:
                raise PostingRefused([Violation(
                    "batch-duplicate",
                    f"the same content was posted as batch {earlier[0]} ({earlier[1]})",
                    source=batch.location(0))])
            violations = check_batch(batch, self.context_for(batch))
            if violations:
                raise PostingRefused(violations)
            return self._insert(batch)

    def _insert(self, batch: Batch) -> PostedBatch:
        lines = batch.lines
        amounts = lines["amount"]
        debit, credit = int(amounts[amounts > 0].sum()), int(-amounts[amounts < 0].sum())
        checksum = lines_checksum(lines)
        prev = self.head_hash()
        digest = chain_hash(prev, batch.sha256, batch.source, batch.kind, len(lines), debit, credit, checksum)
        cur = self._db.execute(
            "INSERT INTO batches (source, sha256, kind, posted_at, line_count, debit, credit, checksum,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (batch.source, batch.sha256, batch.kind, _now(), len(lines), debit, credit, checksum, prev, digest))
        batch_id = cur.lastrowid
        vouchers = lines["voucher"].unique()
        self._db.executemany("INSERT INTO vouchers VALUES (?, ?)", ((v, batch_id) for v in vouchers.tolist()))
        first_line = self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM lines").fetchone()[0]
        rows = lines[["voucher", "date", "year", "account", "amount", "statskonto", "artskonto",
                      "text", "dims", "src_line"]]
        self._db.executemany(
            f"INSERT INTO lines (batch_id, voucher, date, year, account, amount, statskonto, artskonto,"
            f" text, dims, src_line) VALUES ({batch_id}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            # Row tuples made one at a time from column lists (Python ints and str).
            zip(*(rows[c].astype(object).tolist() for c in rows.columns)))
        last_line = self._db.execute("SELECT coalesce(max(id), 0) FROM lines").fetchone()[0]
        if last_line - first_line + 1 != len(lines):  # pragma: no cover - a second writer
            raise BooksError(f"the lines of batch {batch_id} did not get consecutive ids")
        if len(lines):
            self._db.execute("INSERT INTO batch_ranges VALUES (?, ?, ?)", (batch_id, first_line, last_line))
        self._insert_totals(batch_id, lines)
        for year in sorted(set(int(y) for y in lines["year"].unique())):
            self._db.execute("INSERT OR IGNORE INTO years VALUES (?, 'open', ?)", (year, _now()))
        return PostedBatch(batch_id, batch.source, batch.kind, len(lines), len(vouchers), debit, credit, digest)

    def _insert_totals(self, batch_id: int, lines: pd.DataFrame) -> None:
        totals = batch_totals(lines)
        self._db.executemany(
            f"INSERT INTO totals VALUES ({batch_id}, ?, ?, ?, ?, ?, ?, ?)",
            zip(*(totals[c].astype(object).tolist() for c in (*TOTAL_KEYS, "amount", "line_count"))))

    # -- years ---------------------------------------------------------------
    def closed_years(self) -> list[int]:
        """Years that refuse postings."""
        return [r[0] for r in self._db.execute("SELECT year FROM years WHERE status = 'closed'")]

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
        """Open or close ``year``, with a record in the audit log."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO years VALUES (?, ?, ?) ON CONFLICT (year) DO UPDATE SET status = excluded.status,"
                " changed_at = excluded.changed_at", (year, status, _now()))
            self._log(status, year, reason)

    # -- input documents -----------------------------------------------------
    def add_document(self, year: int, name: str, content: bytes) -> None:
        """Keep an input document of ``year`` (appropriations, agency facts, comparatives).

        Documents are inputs that are not journal entries.  A new version of a
        name supersedes the old one, which stays in the books.
        """
        digest = hashlib.sha256(content).hexdigest()
        with self._transaction():
            self._db.execute("INSERT INTO documents (year, name, sha256, added_at, content)"
                             " VALUES (?, ?, ?, ?, ?)", (year, name, digest, _now(), content))
            self._log("document", year, f"{name} sha256 {digest}")

    def add_input_revision(self, year: int, source: str, documents: Mapping[str, bytes]) -> InputRevision:
        """Keep the input documents of ``year`` read from ``source`` as one revision, in one transaction.

        The revision is a manifest document (:data:`REVISION_DOCUMENT`: source, time and
        the sha256 of every document) beside the documents themselves.  The latest
        revision stands: :meth:`document` gives its documents, and a name it lacks is
        absent.  Earlier revisions stay in the books (append-only).
        """
        now = _now()
        files = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(documents.items())}
        manifest = json.dumps({"source": source, "added_at": now, "documents": files},
                              ensure_ascii=False, sort_keys=True, indent=1).encode()
        digest = hashlib.sha256(manifest).hexdigest()
        with self._transaction():
            for name, content in sorted(documents.items()):
                self._db.execute("INSERT INTO documents (year, name, sha256, added_at, content)"
                                 " VALUES (?, ?, ?, ?, ?)", (year, name, files[name], now, content))
            cur = self._db.execute("INSERT INTO documents (year, name, sha256, added_at, content)"
                                   " VALUES (?, ?, ?, ?, ?)", (year, REVISION_DOCUMENT, digest, now, manifest))
            self._log("inputs", year, f"{source}: {', '.join(f'{n} {d[:12]}' for n, d in files.items())}")
        return InputRevision(cur.lastrowid, year, now, source, digest, tuple(files))

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
        """Every posted line of ``year`` with its batch kind (amount int64 øre).

        ``kinds``: only the lines of batches of these kinds (e.g. ``closing``), read
        by their batches' line id ranges instead of scanning every line of the year.
        """
        if kinds is None:
            query, params = (f"SELECT {_LINE_SELECT} FROM lines l JOIN batches b ON b.id = l.batch_id"
                             " WHERE l.year = ? ORDER BY l.id"), [year]
        else:
            kinds = list(kinds)
            # CROSS JOIN fixes the order (batches, then their id ranges) and ``+l.year``
            # keeps SQLite from building an index on year: otherwise it scans every line.
            query = (f"SELECT {_LINE_SELECT} FROM batches b CROSS JOIN batch_ranges r CROSS JOIN lines l"
                     " WHERE r.batch_id = b.id AND l.id BETWEEN r.first_line AND r.last_line"
                     f" AND b.kind IN ({', '.join('?' * len(kinds))}) AND +l.year = ? ORDER BY l.id")
            params = [*kinds, year]
        frame = pd.read_sql_query(query, self._db, params=params)
        return frame.astype({"amount": "int64"})

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
        return frame.astype({"amount": "int64", "line_count": "int64"})

    def _lines_of_vouchers_touching(self, year: int, ranges: list[tuple[str, str]]) -> pd.DataFrame:
        touching = " OR ".join("account BETWEEN ? AND ?" for _ in ranges) or "0"
        params = [year, *(bound for r in ranges for bound in r), year]
        frame = pd.read_sql_query(
            f"SELECT {_LINE_SELECT} FROM lines l JOIN batches b ON b.id = l.batch_id"
            f" WHERE l.voucher IN (SELECT voucher FROM lines WHERE year = ? AND ({touching}))"
            f" AND l.year = ? ORDER BY l.id", self._db, params=params)
        return frame.astype({"amount": "int64"})

    def trial_balance_rows(self, year: int, by: str = "account") -> list[tuple[str, int]]:
        """:meth:`trial_balance` as ``(key, amount)`` tuples, read with sqlite3 alone."""
        column = {"account": "account", "statskonto": "statskonto", "artskonto": "artskonto"}[by]
        return self._db.execute(
            f"SELECT coalesce({column}, '') AS key, sum(amount) AS amount FROM totals"
            f" WHERE year = ? GROUP BY 1 ORDER BY 1", (year,)).fetchall()

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
        """The hash of the last batch (the books' hash), or the genesis hash."""
        row = self._db.execute("SELECT hash FROM batches ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS_HASH

    def counts(self) -> tuple[int, int, int]:
        """(batches, vouchers, lines) in the books."""
        return tuple(self._db.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM vouchers),"
            " (SELECT count(*) FROM lines)").fetchone())

    # -- audit ---------------------------------------------------------------
    def audit(self, deep: bool = True) -> AuditResult:
        """Re-verify every batch's sums, checksum and the hash chain, in posting order,
        and the batch totals the reports read.

        The totals are checked against each batch's line count and sums; ``deep``
        also recomputes every total from the lines (a sort of all lines: the
        ``ledger audit`` command does it, the export leaves it out).
        """
        result = self._audit_chain()
        if not result.ok:
            return result
        problem = self._audit_totals(deep)
        return attrs.evolve(result, ok=False, problem=problem) if problem else result

    def _audit_totals(self, deep: bool) -> str | None:
        row = self._db.execute(
            "SELECT b.id, b.source FROM batches b LEFT JOIN (SELECT batch_id, sum(line_count) AS n,"
            " sum(amount) AS net FROM totals GROUP BY batch_id) t ON t.batch_id = b.id"
            " WHERE coalesce(t.n, 0) != b.line_count OR coalesce(t.net, 0) != b.debit - b.credit"
            " ORDER BY b.id LIMIT 1").fetchone()
        if row:
            return f"batch {row[0]} ({row[1]}): its totals do not add up to its line count and sums"
        if not deep:
            return None
        keys = "batch_id, year, account, statskonto, artskonto, dims"
        recomputed = f"SELECT {keys}, sum(amount), count(*) FROM lines GROUP BY {keys}"
        stored = f"SELECT {keys}, amount, line_count FROM totals"
        row = self._db.execute(f"SELECT * FROM ({recomputed} EXCEPT {stored}) UNION ALL"
                               f" SELECT * FROM ({stored} EXCEPT {recomputed}) LIMIT 1").fetchone()
        if row:
            return f"batch {row[0]}: totals of account {row[2]} differ from its lines"
        return None

    def _audit_chain(self) -> AuditResult:
        recomputed = self._recompute_batch_sums()
        prev = GENESIS_HASH
        batches = self._db.execute(
            "SELECT id, source, sha256, kind, line_count, debit, credit, checksum, prev_hash, hash"
            " FROM batches ORDER BY id").fetchall()
        for (bid, source, sha, kind, count, debit, credit, checksum, prev_hash, digest) in batches:
            stored = (count, debit, credit, checksum)
            actual = recomputed.get(bid, (0, 0, 0, 0))
            problem = None
            if tuple(actual) != stored:
                problem = f"batch {bid} ({source}): stored sums {stored} but its lines give {tuple(actual)}"
            elif prev_hash != prev or chain_hash(prev, sha, source, kind, *stored) != digest:
                problem = f"batch {bid} ({source}): hash chain broken"
            if problem:
                return AuditResult(False, len(batches), prev, problem)
            prev = digest
        held = self._db.execute("SELECT count(*) FROM lines").fetchone()[0]
        if held != sum(row[4] for row in batches):
            return AuditResult(False, len(batches), prev, f"the books hold {held} lines but the batches "
                               f"account for {sum(row[4] for row in batches)}")
        return AuditResult(True, len(batches), prev)

    def _recompute_batch_sums(self) -> dict[int, tuple[int, int, int, int]]:
        """Each batch's (line count, debit, credit, checksum) from the lines in its id range.

        A line of another batch inside the range counts as foreign (the sums then
        differ); lines outside every range are caught by the total line count.
        """
        p = _CHECKSUM_PRIME
        found = {}
        for batch_id, first, last in self._db.execute("SELECT * FROM batch_ranges").fetchall():
            count, debit, credit, checksum, foreign = self._db.execute(
                "SELECT count(*), coalesce(sum(CASE WHEN amount > 0 THEN amount END), 0),"
                " coalesce(-sum(CASE WHEN amount < 0 THEN amount END), 0),"
                f" coalesce(sum((((amount % {p}) + {p}) % {p}) * (src_line % {p}) % {p}), 0),"
                " sum(batch_id != ?) FROM lines WHERE id BETWEEN ? AND ?", (batch_id, first, last)).fetchone()
            found[batch_id] = (count - (foreign or 0), debit, credit, checksum)
        return found


# Missing statskonto/artskonto as a string while totals are matched with lines
# (a column of only NULLs would otherwise be float and match nothing).
_NULLABLE_KEYS = ("statskonto", "artskonto")
_NULL_MARKER = "\x00"


def _with_null_marker(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), _NULL_MARKER)
                           for c in _NULLABLE_KEYS})


def batch_totals(lines: pd.DataFrame) -> pd.DataFrame:
    """A batch's lines summed per (year, account, statskonto, artskonto, dims): the
    rows of the ``totals`` table, with ``amount`` and ``line_count``."""
    grouped = lines.groupby(list(TOTAL_KEYS), dropna=False, sort=False)["amount"]
    totals = grouped.agg(amount="sum", line_count="size").reset_index()
    # groupby turns a missing statskonto/artskonto into NaN; the books store NULL.
    for column in ("statskonto", "artskonto"):
        totals[column] = totals[column].astype(object).where(totals[column].notna(), None)
    return totals


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    # Up to 256 MiB of page cache (allocated as used): index upkeep of big imports.
    db.execute("PRAGMA cache_size = -262144")
    return db
