"""The schema of the books (SQLite) and its migrations.

Each schema version is one SQL script; :data:`MIGRATIONS` maps a version to the script
that brings the books from the version before.  Books written by an earlier version
are migrated when they are opened (``tests/books/test_migrations.py`` opens books of
every earlier schema).
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2

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
}



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


