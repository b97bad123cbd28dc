"""Tampering with books below the store, as an attacker holding the file would: the
append-only triggers dropped, the change made, the triggers put back.

The lines live in segments (compressed Arrow blobs, :mod:`ledger.books.segments`).  An
attacker who knows the format can rewrite them whole, with a fresh SHA-256 per segment:
SQL that names the table ``lines`` runs against a temporary table of every line (``id,
batch_id`` and the stored columns), whose rows are then written back as segments, one per
run of consecutive lines of a batch.  Only the audit's digest over the event chain can
find such an edit.
"""

from __future__ import annotations

import re
import sqlite3

import pandas as pd

from ledger.books import segments
from ledger.books.digest import DIGEST_COLUMNS

_NAMES_LINES = re.compile(r"\blines\b")


def tamper(db: sqlite3.Connection, *sql: str) -> None:
    """Run ``sql`` on ``db`` with every trigger dropped, then recreate the triggers."""
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    edits_lines = any(_NAMES_LINES.search(statement) for statement in sql)
    if edits_lines:
        _lines_into_temp_table(db)
    for statement in sql:
        db.execute(statement)
    if edits_lines:
        _temp_table_into_segments(db)
    for _, create in triggers:
        db.execute(create)


def _lines_into_temp_table(db: sqlite3.Connection) -> None:
    table = segments.lines_table(db, segments.segment_rows(db))
    frame = table.to_pandas()
    db.execute(f"CREATE TEMP TABLE lines (id INTEGER PRIMARY KEY, batch_id INTEGER, {', '.join(DIGEST_COLUMNS)})")
    columns = ["id", "batch_id", *DIGEST_COLUMNS]
    rows = frame[columns].astype(object).where(frame[columns].notna(), None).itertuples(index=False)
    db.executemany(f"INSERT INTO temp.lines VALUES ({', '.join('?' * len(columns))})",
                   [tuple(int(v) if hasattr(v, "item") else v for v in row) for row in rows])


def _temp_table_into_segments(db: sqlite3.Connection) -> None:
    frame = pd.read_sql_query(f"SELECT id, batch_id, {', '.join(DIGEST_COLUMNS)} FROM temp.lines ORDER BY id", db)
    db.execute("DELETE FROM segments")
    run = (frame["batch_id"] != frame["batch_id"].shift()) | (frame["id"] != frame["id"].shift() + 1)
    for _, piece in frame.groupby(run.cumsum(), sort=True):
        columns = {c: piece[c].astype("int64") if c in ("year", "amount", "src_line")
                   else piece[c].astype(object).where(piece[c].notna(), None) for c in DIGEST_COLUMNS}
        segments.write(db, int(piece["batch_id"].iloc[0]), int(piece["id"].iloc[0]),
                       {c: v.reset_index(drop=True) for c, v in columns.items()}, len(piece))
    db.execute("DROP TABLE temp.lines")
