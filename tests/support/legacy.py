"""Books written by an earlier schema (1 or 2), built with that schema's SQL and the way
that version of ledger wrote them: the batches' own hash chain, an additive checksum,
the audit log; no event chain, no application id."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from ledger.books.chain import GENESIS_HASH, chain_hash
from ledger.books.schema import MIGRATIONS, statements
from ledger.books.digest import lines_checksum
from ledger.books.store import batch_totals

AT = "2024-12-31T12:00:00+00:00"


def legacy_books(path: Path, version: int, chart, budget, batches=(), documents=(), closed=()) -> Path:
    """Books of schema ``version`` at ``path`` holding ``batches``, ``documents``
    (year, name, bytes) and the ``closed`` years."""
    db = sqlite3.connect(path, isolation_level=None)
    for target in range(1, version + 1):
        for statement in statements(MIGRATIONS[target]):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    db.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?)", chart)
    db.executemany("INSERT INTO statskontoer VALUES (?, ?)", [(y, c) for y, codes in budget.items() for c in codes])
    db.execute("INSERT INTO audit_log (at, action, year, detail) VALUES (?, 'init', NULL, 'chart')", (AT,))
    prev = GENESIS_HASH
    for batch_id, batch in enumerate(batches, 1):
        prev = _insert_batch(db, version, batch_id, batch, prev)
    for year, name, content in documents:
        db.execute("INSERT INTO documents (year, name, sha256, added_at, content) VALUES (?, ?, ?, ?, ?)",
                   (year, name, hashlib.sha256(content).hexdigest(), AT, content))
        db.execute("INSERT INTO audit_log (at, action, year, detail) VALUES (?, 'document', ?, ?)", (AT, year, name))
    for year in closed:
        db.execute("UPDATE years SET status = 'closed', changed_at = ? WHERE year = ?", (AT, year))
        db.execute("INSERT INTO audit_log (at, action, year, detail) VALUES (?, 'closed', ?, 'close')", (AT, year))
    db.close()
    return path


def _insert_batch(db, version: int, batch_id: int, batch, prev: str) -> str:
    lines = batch.lines
    amounts = lines["amount"]
    debit, credit = int(amounts[amounts > 0].sum()), int(-amounts[amounts < 0].sum())
    checksum = lines_checksum(lines)
    digest = chain_hash(prev, batch.sha256, batch.source, batch.kind, len(lines), debit, credit, checksum)
    db.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (batch_id, batch.source, batch.sha256, batch.kind, AT, len(lines), debit, credit, checksum, prev,
                digest))
    for voucher in lines["voucher"].unique().tolist():
        db.execute("INSERT INTO vouchers VALUES (?, ?)", (voucher, batch_id))
    first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM lines").fetchone()[0]
    columns = ["voucher", "date", "year", "account", "amount", "statskonto", "artskonto", "text", "dims", "src_line"]
    db.executemany(f"INSERT INTO lines (batch_id, {', '.join(columns)}) VALUES ({batch_id}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   zip(*(lines[c].astype(object).where(lines[c].notna(), None).tolist() for c in columns)))
    if version >= 2:
        db.execute("INSERT INTO batch_ranges VALUES (?, ?, ?)", (batch_id, first, first + len(lines) - 1))
        totals = batch_totals(lines)
        db.executemany(f"INSERT INTO totals VALUES ({batch_id}, ?, ?, ?, ?, ?, ?, ?)",
                       zip(*(totals[c].astype(object).tolist()
                             for c in ("year", "account", "statskonto", "artskonto", "dims", "amount", "line_count"))))
    for year in sorted(set(int(y) for y in lines["year"])):
        db.execute("INSERT OR IGNORE INTO years VALUES (?, 'open', ?)", (year, AT))
    return digest


