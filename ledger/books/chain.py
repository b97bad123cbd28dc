"""The event chain of the books: what an event covers and how it is hashed.

Every write to the books appends one event to the ``events`` table, in the same
transaction as the write.  An event has a ``kind``, a time, an optional year, the
canonical JSON (:func:`~ledger.books.digest.canonical_json`) of what it wrote
(``detail``), a ``digest`` of what is too large to hold (a batch's lines, a document's
content), the previous event's hash and its own hash.  The hash of the last event is
the books' hash: the workbook and ``ledger audit`` print it, ``ledger audit --expect``
checks a recorded one.

Kinds and their ``detail`` (the audit replays them, :mod:`ledger.books.audit`):

============ ==================================================================
``migrate``  books of an earlier schema joining the chain: the rows of the small
             tables as they were (``accounts``, ``statskontoer``, ``meta``,
             ``years``, ``audit_log``); their documents and batches follow as events
``accounts`` accounts added to the chart: ``rows`` (code, name, skp, role), ``reason``
``catalogue`` budget catalogue rows added: ``rows`` (year, statskonto)
``document`` an input document added: its row (``id``, ``name``, ``sha256``,
             ``added_at``, ``size``); digest the content's SHA-256
``meta``     a fact about the books set (``example``: the bundled example they were
             made from): ``key``, ``value``
``year``     a year's status set (first posting, close, reopen): ``status``,
             ``changed_at``, ``reason``
``batch``    a batch posted: its ``batches`` row, ``first_line``/``last_line`` (its
             line ids) and ``vouchers`` (their count); digest the lines' digest
``month``    a year's months locked or unlocked (``ledger lock``/``unlock``, the
             close, a reopen): ``action`` (lock/unlock), ``month``,
             ``locked_through`` (0-12, the new value), ``previous``, ``reason``,
             ``changed_at``; the table ``month_locks`` holds the current value
             (schema 4), and the audit refuses a journal batch posted into a
             locked month
============ ==================================================================

A new kind is a new ``kind`` value with its detail, and a rule in
:mod:`ledger.books.audit` that replays it: no new table, no second chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs

from ledger.books.digest import canonical_json

GENESIS_HASH = "0" * 64

# The tables the audit compares with the replayed chain, and their columns in order
# (the first column or two are the key).
REPLAYED = {
    "accounts": "code, name, skp, role",
    "statskontoer": "year, statskonto",
    "meta": "key, value",
    "years": "year, status, changed_at",
    "month_locks": "year, locked_through, changed_at",
    "audit_log": "id, at, action, year, detail",
    "documents": "id, year, name, sha256, added_at",
    "batches": "id, source, sha256, kind, posted_at, line_count, debit, credit, checksum, prev_hash, hash",
}
# What the ``migrate`` event holds as rows.
MIGRATED_TABLES = ("accounts", "statskontoer", "meta", "years", "audit_log")


@attrs.frozen
class AuditResult:
    """Outcome of :meth:`ledger.books.store.Books.audit`: ok, the head hash (the books'
    hash), the first problem found, and how many batches and events were checked."""

    ok: bool
    batches: int
    head_hash: str
    problem: str | None = None
    events: int = 0


def event_hash(prev_hash: str, event_id: int, kind: str, at: str, year: int | None, detail: str,
               digest: str) -> str:
    """The hash of an event, chained to the previous event's hash."""
    return hashlib.sha256(canonical_json([prev_hash, event_id, kind, at, year, detail, digest]).encode()).hexdigest()


def chain_hash(prev_hash: str, sha256: str, source: str, kind: str, line_count: int,
               debit: int, credit: int, checksum: int) -> str:
    """The hash of a batch, chained to the previous batch's hash (the batches' own chain
    of schema 1-2, kept in ``batches.hash``; the event chain covers it)."""
    fields = [prev_hash, sha256, source, kind, line_count, debit, credit, checksum]
    return hashlib.sha256("|".join(map(str, fields)).encode()).hexdigest()


def utc_now() -> str:
    """The time of a write, as the books record it: UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
