"""``ledger audit``: every stored value of the books checked against the event chain.

The audit reads the books and changes nothing.  In order, stopping at the first problem
(the steps marked *deep* are left out of the quick audit an export makes before it
computes the accounts: they read every line):

1. **Integrity** (deep) — SQLite's own integrity check of the file.
2. **Chain** — each event's hash is recomputed from its fields and the previous hash.
3. **Replay** — the events are replayed into the rows they wrote (and month locks into
   each year's locked-through month: a journal batch posted into a locked month is found); the tables
   ``accounts``, ``statskontoer``, ``meta``, ``years``, ``audit_log``, ``documents``,
   ``batches`` and ``batch_ranges`` must equal them row for row (a year reopened by
   ``UPDATE years`` is found, so is a batch posted into a year that was closed).
4. **Content** — each document's content against its SHA-256; each batch's lines: their
   count, ids and sums, and (deep) their digest (:mod:`ledger.books.digest`: every
   column of every line); (deep) vouchers against the lines; the totals against the
   batches' sums and (deep) against the lines.
5. **Schema** — the tables, indexes and triggers are exactly those of the schema
   (a dropped append-only trigger is found).
6. **Expect** — a books hash recorded elsewhere must be an event of the chain: a
   rewritten chain (every hash recomputed) does not contain it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from ledger.books import segments
from ledger.books.chain import GENESIS_HASH, MIGRATED_TABLES, REPLAYED, AuditResult, event_hash
from ledger.books.digest import CHECKSUM_PRIME, LinesHasher
from ledger.books.schema import TOTAL_KEYS, expected_schema, schema_of
from ledger.core.lazy import defer

np = defer("numpy")



class _Problem(Exception):
    """The first problem found (ends the audit)."""


def audit_books(db: sqlite3.Connection, deep: bool = True, expect: str | None = None) -> AuditResult:
    """Audit the books open on ``db`` (see the module docstring)."""
    events, batches, head = [], 0, GENESIS_HASH
    try:
        events = db.execute("SELECT id, kind, at, year, detail, digest, prev_hash, hash FROM events"
                            " ORDER BY id").fetchall()
        batches = db.execute("SELECT count(*) FROM batches").fetchone()[0]
        head = events[-1][7] if events else GENESIS_HASH
        if deep:
            _check_integrity(db)
        details = _check_chain(events)
        state = _replay(events, details, _batch_years(db), lambda: _batch_months(db))
        _compare_tables(db, state)
        _check_documents(db, events, details)
        seen = _check_batches(db, state, {e[0]: e[5] for e in events if e[1] == "batch"}, details, deep)
        if deep:
            _check_vouchers(state, seen)
        _check_totals(db, seen)
        _check_schema(db)
        if expect is not None and expect.strip().lower() not in {e[7] for e in events}:
            raise _Problem(f"the recorded books hash {expect.strip()} is not in the chain: the books were "
                           "rewritten since it was recorded, or they are other books")
    except _Problem as problem:
        return AuditResult(False, batches, head, str(problem), len(events))
    except segments.SegmentDamaged as exc:
        return AuditResult(False, batches, head, f"the books are damaged: {exc}", len(events))
    except (sqlite3.DatabaseError, OverflowError, ValueError, TypeError, KeyError) as exc:
        return AuditResult(False, batches, head, f"the books are damaged: {type(exc).__name__}: {exc}",
                           len(events))
    return AuditResult(True, batches, head, None, len(events))


# -- 1. schema ---------------------------------------------------------------
def _check_integrity(db: sqlite3.Connection) -> None:
    messages = [r[0] for r in db.execute("PRAGMA integrity_check(5)")]
    if messages != ["ok"]:
        raise _Problem(f"the file is damaged (SQLite integrity check): {'; '.join(messages)}")


def _check_schema(db: sqlite3.Connection) -> None:
    found = schema_of(db)
    wanted = expected_schema()
    for kind, name, _, _ in sorted(wanted - found):
        raise _Problem(f"the {kind} {name} is missing or altered (schema tampered with)")
    for kind, name, _, _ in sorted(found - wanted):
        raise _Problem(f"the {kind} {name} is not part of the books' schema (schema tampered with)")


# -- 2. chain ----------------------------------------------------------------
def _check_chain(events: list) -> dict[int, dict]:
    """Each event's detail (parsed), once every hash is verified."""
    prev, details = GENESIS_HASH, {}
    for expected_id, (event_id, kind, at, year, detail, digest, prev_hash, digest_hash) in enumerate(events, 1):
        if event_id != expected_id:
            raise _Problem(f"event {expected_id} is missing from the chain (next is {event_id})")
        if prev_hash != prev or event_hash(prev, event_id, kind, at, year, detail, digest) != digest_hash:
            raise _Problem(f"event {event_id} ({kind}): hash chain broken")
        details[event_id] = json.loads(detail)
        prev = digest_hash
    return details


# -- 3. replay ---------------------------------------------------------------
def _batch_years(db: sqlite3.Connection) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for batch_id, year in db.execute("SELECT DISTINCT batch_id, year FROM totals"):
        found.setdefault(batch_id, set()).add(year)
    return found


def _batch_months(db: sqlite3.Connection) -> dict[tuple[int, int], int]:
    """(batch, year) → the earliest month of the batch's lines in that year (reads every segment once)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: dict[tuple[int, int], int] = {}
    for row, table in segments.iter_tables(db, segments.segment_rows(db), ["year", "date"]):
        dates = segments.plain(table)
        months = pc.cast(pc.utf8_slice_codeunits(dates["date"], 5, 7), "int64")
        grouped = pa.table({"year": dates["year"], "month": months}).group_by("year").aggregate([("month", "min")])
        for year, month in zip(grouped["year"].to_pylist(), grouped["month_min"].to_pylist()):
            key = (row[1], year)
            found[key] = min(found.get(key, 13), month)
    return found


def _replay(events: list, details: dict[int, dict], batch_years: dict[int, set[int]],
            batch_months=lambda: {}) -> dict:
    """The rows the events wrote: table → {key: row}.

    ``state["months"]`` is each year's locked-through month as the ``month`` events left it;
    ``batch_months`` gives each batch's earliest month per year, read only when a month
    was ever locked.
    """
    state: dict = {table: {} for table in REPLAYED}
    state["months"] = {}
    state["batch_months"] = batch_months
    for event_id, kind, _, year, _, _, _, _ in events:
        detail = details[event_id]
        replay = _REPLAY.get(kind)
        if replay is None:
            raise _Problem(f"event {event_id}: unknown kind {kind!r} (a newer ledger wrote it?)")
        replay(state, year, detail, event_id, batch_years)
    return state


def _add(state: dict, table: str, rows, event_id: int) -> None:
    width = 2 if table == "statskontoer" else 1
    for row in rows:
        key = tuple(row[:width])
        if key in state[table]:
            raise _Problem(f"event {event_id}: {table} {list(key)} added twice")
        state[table][key] = tuple(row)


def _replay_migrate(state, year, detail, event_id, batch_years) -> None:
    for table in MIGRATED_TABLES:
        _add(state, table, detail[table], event_id)


def _replay_accounts(state, year, detail, event_id, batch_years) -> None:
    _add(state, "accounts", detail["rows"], event_id)


def _replay_catalogue(state, year, detail, event_id, batch_years) -> None:
    _add(state, "statskontoer", detail["rows"], event_id)


def _replay_document(state, year, detail, event_id, batch_years) -> None:
    row = [detail["id"], year, detail["name"], detail["sha256"], detail["added_at"]]
    _add(state, "documents", [row], event_id)


def _replay_year(state, year, detail, event_id, batch_years) -> None:
    state["years"][(year,)] = (year, detail["status"], detail["changed_at"])


def _replay_meta(state, year, detail, event_id, batch_years) -> None:
    state["meta"][(detail["key"],)] = (detail["key"], detail["value"])


def _replay_batch(state, year, detail, event_id, batch_years) -> None:
    columns = REPLAYED["batches"].split(", ")
    batch_id = detail["id"]
    if not detail.get("migrated"):
        for posted_year in sorted(batch_years.get(batch_id, ())):
            if state["years"].get((posted_year,), (0, "open"))[1] == "closed":
                raise _Problem(f"batch {batch_id} ({detail['source']}) was posted into {posted_year} while it "
                               "was closed")
        locked = {y: m for y, m in state["months"].items() if m}
        if locked and detail.get("kind") == "journal":
            if callable(state["batch_months"]):
                state["batch_months"] = state["batch_months"]()
            for posted_year in sorted(batch_years.get(batch_id, ())):
                first = state["batch_months"].get((batch_id, posted_year), 13)
                if first <= locked.get(posted_year, 0):
                    raise _Problem(f"batch {batch_id} ({detail['source']}) was posted into {posted_year}-{first:02d}"
                                   f" while {posted_year} was locked through {posted_year}-"
                                   f"{locked[posted_year]:02d}")
    _add(state, "batches", [[detail[c] for c in columns]], event_id)
    state.setdefault("ranges", {})[batch_id] = (detail["first_line"], detail["last_line"], detail["vouchers"])


def _replay_month(state, year, detail, event_id, batch_years) -> None:
    through, previous = detail["locked_through"], detail["previous"]
    if not (isinstance(through, int) and 0 <= through <= 12 and detail["action"] in ("lock", "unlock")):
        raise _Problem(f"event {event_id}: a month lock of {year} that no ledger writes ({detail})")
    if previous != state["months"].get(year, 0):
        raise _Problem(f"event {event_id}: the month lock of {year} was {state['months'].get(year, 0)}, "
                       f"not {previous} as the event says")
    state["months"][year] = through
    state["month_locks"][(year,)] = (year, through, detail["changed_at"])


_REPLAY = {"month": _replay_month, "migrate": _replay_migrate, "accounts": _replay_accounts, "catalogue": _replay_catalogue,
           "document": _replay_document, "year": _replay_year, "meta": _replay_meta,
           "batch": _replay_batch}


def _compare_tables(db: sqlite3.Connection, state: dict) -> None:
    for table, columns in REPLAYED.items():
        stored = {tuple(r) for r in db.execute(f"SELECT {columns} FROM {table}")}
        wanted = set(state[table].values())
        _differences(table, stored, wanted)
    ranges = {(b, f, l) for b, (f, l, _) in state.get("ranges", {}).items() if l >= f}
    _differences("batch_ranges", {tuple(r) for r in db.execute("SELECT * FROM batch_ranges")}, ranges)


def _differences(table: str, stored: set, wanted: set) -> None:
    extra, missing = sorted(stored - wanted, key=repr), sorted(wanted - stored, key=repr)
    if extra:
        raise _Problem(f"{table}: the row {list(extra[0])} is not what the event chain wrote "
                       f"({len(extra)} such row(s); {len(missing)} written row(s) missing or changed)")
    if missing:
        raise _Problem(f"{table}: the row {list(missing[0])} written by the event chain is missing")


# -- 4. content --------------------------------------------------------------
def _check_documents(db: sqlite3.Connection, events: list, details: dict) -> None:
    for event_id, kind, *_, digest, _, _ in events:
        if kind != "document":
            continue
        doc_id = details[event_id]["id"]
        content = db.execute("SELECT content FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        if not isinstance(content, bytes) or hashlib.sha256(content).hexdigest() != digest:
            name = details[event_id]["name"]
            raise _Problem(f"document {doc_id} ({name}): its content differs from what was added")


def _check_batches(db: sqlite3.Connection, state: dict, digests: dict[int, str], details: dict,
                   deep: bool) -> _Seen | None:
    """Every batch's lines: its segments tile its id range, their count and sums, (deep) the
    digest; and no segment outside every batch.  Deep, what the lines hold for the voucher
    and totals checks, gathered in the same read of every segment."""
    seen = _Seen() if deep else None
    event_of = {details[e]["id"]: e for e in digests}
    rows = segments.segment_rows(db)
    by_batch: dict[int, list] = {}
    for row in rows:
        by_batch.setdefault(row[1], []).append(row)
    for batch_id in sorted(set(by_batch) - {b for (b,) in state["batches"]}):
        raise _Problem(f"segment of lines {by_batch[batch_id][0][0]}..: batch {batch_id} was never posted")
    for (batch_id,), row in sorted(state["batches"].items()):
        _, source, _, _, _, count, debit, credit, checksum, _, _ = row
        first, last = details[event_of[batch_id]]["first_line"], details[event_of[batch_id]]["last_line"]
        held = by_batch.get(batch_id, [])
        at = first
        for seg in held:
            if seg[0] != at:
                raise _Problem(f"batch {batch_id} ({source}): its lines from {at} are missing or moved")
            at += seg[2]
        if at != last + 1:
            raise _Problem(f"batch {batch_id} ({source}): the books hold {at - first} of its lines, "
                           f"it posted {last - first + 1}")
        found, hasher = _batch_sums(db, held, deep, seen)
        if found != (count, debit, credit, checksum):
            raise _Problem(f"batch {batch_id} ({source}): stored sums {(count, debit, credit, checksum)} but "
                           f"its lines give {found}")
        if deep and hasher.hexdigest(last - first + 1) != digests[event_of[batch_id]]:
            raise _Problem(f"batch {batch_id} ({source}): its lines differ from what was posted "
                           "(a date, text, voucher, account, amount or other value changed)")
    return seen


class _Seen:
    """What the deep audit's one read of the segments gathers beside the digests: each batch's
    distinct vouchers, and its lines summed by the keys of ``totals``."""

    def __init__(self):
        self.vouchers: dict[int, list] = {}
        self.totals: dict[tuple, tuple[int, int]] = {}

    def add(self, batch_id: int, table) -> None:
        """The lines of one segment of ``batch_id`` (as stored: grouped by the codes of its
        dictionary columns, which is fifty times faster than by their text)."""
        import pyarrow.compute as pc

        self.vouchers.setdefault(batch_id, []).append(pc.unique(table["voucher"]))
        grouped = table.group_by(list(TOTAL_KEYS)).aggregate([("amount", "sum"), ("amount", "count")])
        for values in zip(*(grouped[c].to_pylist() for c in [*TOTAL_KEYS, "amount_sum", "amount_count"])):
            key = (batch_id, *values[:5])
            amount, count = self.totals.get(key, (0, 0))
            self.totals[key] = (amount + values[5], count + values[6])

    def voucher_batches(self) -> tuple[list, "np.ndarray", "np.ndarray"]:
        """The distinct voucher ids of every batch, numbered by one hash pass over them all
        (``dictionary_encode``), as ``(ids, voucher numbers, batch ids)``: one row per voucher
        and batch holding it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        ids = [ids for found in self.vouchers.values() for ids in found]
        if not ids:
            return [], np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
        batches = np.concatenate([np.full(len(ids), batch_id, dtype="int64")
                                  for batch_id, found in self.vouchers.items() for ids in found])
        coded = pc.dictionary_encode(pa.concat_arrays(ids))
        numbers = coded.indices.to_numpy().astype("int64")
        # A voucher across two segments of one batch is one row (sorted: numpy's hashed unique
        # is ten times slower on millions of integers).
        pairs = np.sort(numbers * (int(batches.max()) + 1) + batches)
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
        return coded.dictionary, pairs // (int(batches.max()) + 1), pairs % (int(batches.max()) + 1)


def _batch_sums(db, held: list, deep: bool, seen: _Seen | None = None):
    """(count, debit, credit, checksum) of the lines of segments ``held``, and (deep) their
    digest fed chunk by chunk (and what ``seen`` gathers)."""
    p = CHECKSUM_PRIME
    n = debit = credit = checksum = 0
    hasher = LinesHasher()
    columns = None if deep else ["year", "amount", "src_line"]
    for seg, table in segments.iter_tables(db, held, columns):
        years = table["year"].to_numpy()
        if len(years) != seg[2] or (len(years) and (int(years.min()), int(years.max())) != tuple(seg[3:5])):
            raise _Problem(f"batch {seg[1]}: the segment of lines from {seg[0]} does not hold the "
                           f"{seg[2]} lines of {seg[3]}-{seg[4]} it is recorded with")
        amount = table["amount"].to_numpy()
        src = table["src_line"].to_numpy()
        n += len(amount)
        debit += _exact_sum(amount[amount > 0])
        credit += -_exact_sum(amount[amount < 0])
        checksum += int(((amount % p) * (src % p) % p).sum())
        if deep:
            hasher.feed(table)
            if seen is not None:
                seen.add(seg[1], table)
    return (n, debit, credit, checksum), hasher


def _exact_sum(values) -> int:
    """The sum of int64 ``values`` as an exact int: in int64 where it cannot wrap (every
    value's size times the count below 2^62), else with Python ints."""
    if not len(values):
        return 0
    largest = max(abs(int(values.max())), abs(int(values.min())))
    if largest < (1 << 62) // len(values):
        return int(values.sum())
    return int(values.astype(object).sum())


def stored_lines_digest(db: sqlite3.Connection, first: int, last: int) -> str:
    """The digest of the stored lines with ids ``first``..``last`` (whole segments), read
    segment by segment."""
    held = [r for r in segments.segment_rows(db) if first <= r[0] <= last]
    return _batch_sums(db, held, True)[1].hexdigest(max(last - first + 1, 0))


def _check_vouchers(state: dict, seen: _Seen) -> None:
    """No voucher is in two batches, and each batch holds as many distinct vouchers as it posted."""
    ids, numbers, batches = seen.voucher_batches()
    twice = np.flatnonzero(np.bincount(numbers) > 1) if len(numbers) else []
    if len(twice):
        held_by = batches[numbers == twice[0]]
        raise _Problem(f"voucher {ids[int(twice[0])].as_py()} is in two batches "
                       f"({held_by.min()} and {held_by.max()})")
    held = {int(b): int(n) for b, n in enumerate(np.bincount(batches)) if n}
    for batch_id, (_, _, posted) in sorted(state.get("ranges", {}).items()):
        if held.get(batch_id, 0) != posted:
            raise _Problem(f"batch {batch_id}: its lines hold {held.get(batch_id, 0)} vouchers, it posted {posted}")


def _check_totals(db: sqlite3.Connection, seen: _Seen | None) -> None:
    """The totals of each batch add up to its line count and sums; (``seen``, deep) they are
    its lines summed by (year, account, statskonto, artskonto, dims): one row per key, none
    missing, none extra."""
    row = db.execute(
        "SELECT b.id, b.source FROM batches b LEFT JOIN (SELECT batch_id, sum(line_count) AS n,"
        " sum(amount) AS net FROM totals GROUP BY batch_id) t ON t.batch_id = b.id"
        " WHERE coalesce(t.n, 0) != b.line_count OR coalesce(t.net, 0) != b.debit - b.credit"
        " ORDER BY b.id LIMIT 1").fetchone()
    if row:
        raise _Problem(f"batch {row[0]} ({row[1]}): its totals do not add up to its line count and sums")
    if seen is None:
        return
    recomputed = seen.totals
    stored: dict[tuple, tuple[int, int]] = {}
    for r in db.execute("SELECT batch_id, year, account, statskonto, artskonto, dims, amount, line_count FROM totals"):
        if tuple(r[:6]) in stored:
            raise _Problem(f"batch {r[0]}: totals of account {r[2]} are stored twice")
        stored[tuple(r[:6])] = (r[6], r[7])
    for key in sorted(set(recomputed) | set(stored), key=repr):
        if stored.get(key) != recomputed.get(key):
            raise _Problem(f"batch {key[0]}: totals of account {key[2]} differ from its lines")
