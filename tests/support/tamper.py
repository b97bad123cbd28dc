"""Tampering with books below the store, as an attacker holding the file would: the
append-only triggers dropped, the change made, the triggers put back."""

from __future__ import annotations

import sqlite3


def tamper(db: sqlite3.Connection, *sql: str) -> None:
    """Run ``sql`` on ``db`` with every trigger dropped, then recreate the triggers."""
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    for statement in sql:
        db.execute(statement)
    for _, create in triggers:
        db.execute(create)
