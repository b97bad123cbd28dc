"""The schema of the books (SQLite) and its migrations.

Each schema version is one SQL script; :data:`MIGRATIONS` maps a version to the script
that brings the books from the version before.  Books written by an earlier version
are migrated when they are opened (``tests/books/test_migrations.py`` opens books of
every earlier schema).  Version 3 also needs Python: the events of the books that
existed before it are written into the new chain (``Books._chain_existing``).

Books are recognised by the SQLite header: :data:`APPLICATION_ID` (``PRAGMA
application_id``, bytes 68-71) and the schema version (``PRAGMA user_version``, bytes
60-63).  Books of schema 1 and 2 predate the application id and are recognised by
their tables instead (:data:`LEGACY_TABLES`).
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 5
# "LDGR": the application id of ledger books in the SQLite header.
APPLICATION_ID = 0x4C444752
# The tables every ledger books file of schema 1 or 2 has (books without an application id).
LEGACY_TABLES = frozenset({"meta", "accounts", "statskontoer", "batches", "vouchers", "lines", "years",
                           "documents", "audit_log"})

_SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE accounts (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, skp TEXT, role TEXT
) STRICT;
CREATE TABLE statskontoer (
    year INTEGER NOT NULL, statskonto TEXT NOT NULL, PRIMARY KEY (year, statskonto)
) STRICT;
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    debit INTEGER NOT NULL,
    credit INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TABLE vouchers (
    id TEXT PRIMARY KEY, batch_id INTEGER NOT NULL REFERENCES batches (id)
) STRICT;
CREATE TABLE lines (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    voucher TEXT NOT NULL,
    date TEXT NOT NULL,
    year INTEGER NOT NULL,
    account TEXT NOT NULL,
    amount INTEGER NOT NULL,
    statskonto TEXT,
    artskonto TEXT,
    text TEXT NOT NULL,
    dims TEXT NOT NULL,
    src_line INTEGER NOT NULL
) STRICT;
CREATE INDEX lines_year_account ON lines (year, account);
CREATE INDEX lines_batch ON lines (batch_id);
CREATE TABLE years (
    year INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    changed_at TEXT NOT NULL
) STRICT;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,
    added_at TEXT NOT NULL, content BLOB NOT NULL
) STRICT;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL,
    year INTEGER, detail TEXT NOT NULL
) STRICT;
"""
# Version 2: the totals of each batch by (year, account, statskonto, artskonto,
# dimensions), written in the posting transaction.  Trial balances, the close and
# the statements read these few rows instead of every line; ``audit`` recomputes
# them from the lines.  A batch's lines have consecutive ids (one transaction, one
# writer): ``batch_ranges`` records them, which replaces the index on
# ``lines.batch_id``.  Both line indexes are dropped: their upkeep was a third of
# an import, and nothing reads lines by account any more.
TOTAL_KEYS = ("year", "account", "statskonto", "artskonto", "dims")
_SCHEMA_V2 = """
CREATE TABLE totals (
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    year INTEGER NOT NULL,
    account TEXT NOT NULL,
    statskonto TEXT,
    artskonto TEXT,
    dims TEXT NOT NULL,
    amount INTEGER NOT NULL,
    line_count INTEGER NOT NULL
) STRICT;
CREATE INDEX totals_year ON totals (year);
INSERT INTO totals SELECT batch_id, year, account, statskonto, artskonto, dims, sum(amount), count(*)
    FROM lines GROUP BY batch_id, year, account, statskonto, artskonto, dims;
CREATE TABLE batch_ranges (
    batch_id INTEGER PRIMARY KEY REFERENCES batches (id),
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
) STRICT;
INSERT INTO batch_ranges SELECT batch_id, min(id), max(id) FROM lines GROUP BY batch_id;
DROP INDEX lines_year_account;
DROP INDEX lines_batch;
"""
# Version 3: one chain of events over everything the books store.  Each event (a
# batch posted, a document added, accounts added, a year closed or reopened, and later
# kinds such as month locks) is a row holding the canonical JSON of what it wrote
# (``detail``), a digest of what is too large to hold (a batch's lines, a document's
# content) and a hash chained to the previous event's.  ``audit_log`` is kept for the
# books of schema 1-2 (the migration event holds its rows) and no longer written.
_SCHEMA_V3 = f"""
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    year INTEGER,
    detail TEXT NOT NULL,
    digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
PRAGMA application_id = {APPLICATION_ID};
"""

# Version 4: month locks.  Each year's last locked month (``ledger lock 2024-03``), the
# current value as ``years`` holds a year's status; its history is the ``month`` events of
# the chain, which the audit replays and compares with this table row for row (so a
# lock cannot vanish by dropping the chain's last event).
_SCHEMA_V4 = """
CREATE TABLE month_locks (
    year INTEGER PRIMARY KEY,
    locked_through INTEGER NOT NULL CHECK (locked_through BETWEEN 0 AND 12),
    changed_at TEXT NOT NULL
) STRICT;
"""

# Version 5: the lines as columnar segments (:mod:`ledger.books.segments`): each batch's
# lines in compressed Arrow IPC blobs of up to a million lines, in place of one SQLite
# row per line.  The ``lines`` and ``vouchers`` tables go: a batch's vouchers are the
# voucher ids of its lines.  Books of schema 1-4 have their lines moved into segments
# when opened (:data:`CONVERSIONS`); the batch digests of the event chain are unchanged,
# since they are digests of the values, which the audit recomputes from the segments.
_SCHEMA_V5 = """
CREATE TABLE segments (
    first_line INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches (id),
    line_count INTEGER NOT NULL CHECK (line_count > 0),
    min_year INTEGER NOT NULL,
    max_year INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL
) STRICT;
"""
# Run after a version's conversion (Python, :meth:`Books._migrate`) has moved the data.
_AFTER_V5 = """
DROP TRIGGER lines_no_update;
DROP TRIGGER lines_no_delete;
DROP TRIGGER vouchers_no_update;
DROP TRIGGER vouchers_no_delete;
DROP TABLE lines;
DROP TABLE vouchers;
"""


def append_only(*tables: str) -> str:
    """Triggers that refuse UPDATE and DELETE on ``tables``."""
    return "".join(
        f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} BEGIN "
        f"SELECT RAISE(ABORT, '{t} are append-only: post a correction instead'); END;\n"
        f"CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t} BEGIN "
        f"SELECT RAISE(ABORT, '{t} are append-only: post a correction instead'); END;\n"
        for t in tables)


# Migrations: version -> SQL that brings the schema from version-1 to version.
MIGRATIONS: dict[int, str] = {
    1: _SCHEMA_V1 + append_only("lines", "vouchers", "batches", "documents", "audit_log"),
    2: _SCHEMA_V2 + append_only("totals", "batch_ranges"),
    3: _SCHEMA_V3 + append_only("events", "accounts", "statskontoer", "meta"),
    4: _SCHEMA_V4,
    5: _SCHEMA_V5 + append_only("segments"),
}
# version -> SQL run after that version's Python conversion (none for an empty file).
AFTER_CONVERSION: dict[int, str] = {5: _AFTER_V5}



def statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers end with END;)."""
    statements, current = [], ""
    for part in script.split(";"):
        current += part + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                statements.append(current.strip())
            current = ""
    return statements




def expected_schema() -> frozenset[tuple[str, str, str, str]]:
    """(type, name, table, sql) of every table, index and trigger of books of the current
    schema, as SQLite records them (built once in memory from the migrations)."""
    global _EXPECTED
    if _EXPECTED is None:
        db = sqlite3.connect(":memory:")
        for target in range(1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[target]) + statements(AFTER_CONVERSION.get(target, "")):
                db.execute(statement)
        _EXPECTED = schema_of(db)
        db.close()
    return _EXPECTED


def schema_of(db: sqlite3.Connection) -> frozenset[tuple[str, str, str, str]]:
    """(type, name, table, sql with whitespace collapsed) of what ``db`` holds."""
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")  # autoindexes too
    return frozenset((kind, name, table, " ".join((sql or "").split())) for kind, name, table, sql in rows)


_EXPECTED: frozenset | None = None
