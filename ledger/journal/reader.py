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

import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from ledger.core.money import parse_amounts
from ledger.journal.batch import Batch, empty_batch
from ledger.core.records import BatchKind, SourceLocation, Violation

REQUIRED_COLUMNS = ("date", "voucher", "account", "amount", "statskonto", "artskonto", "text")
DIMENSION_PREFIX = "dim."
# The largest sum of absolute amounts (øre) a file may have: int64 sums never wrap.
MAX_TOTAL_ORE = 2**63 - 1


def read_journal(path: Path | str, kind: str = BatchKind.JOURNAL) -> tuple[Batch, list[Violation]]:
    """Read a journal CSV file into a batch and the format violations found."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        return empty_batch(str(path), b"", kind), [
            Violation("file", f"cannot read: {exc.strerror or exc}", source=SourceLocation(str(path), 0))
        ]
    return parse_journal(content, source=str(path), kind=kind)


def parse_journal(content: bytes, source: str, kind: str = BatchKind.JOURNAL) -> tuple[Batch, list[Violation]]:
    """Parse journal CSV content (bytes) into a batch and format violations."""
    where = SourceLocation(source, 1)
    try:
        content.decode("utf-8-sig")  # checked here for the byte position; the parser reads bytes
    except UnicodeDecodeError as exc:
        return empty_batch(source, content, kind), [
            Violation("encoding", f"not UTF-8 (byte {exc.start})", source=where)
        ]
    try:
        # Bytes, not a decoded str: pandas' C parser decodes as it goes, without a
        # second copy of the file as Python text (gigabytes at 10M lines).
        raw = pd.read_csv(
            io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        return empty_batch(source, content, kind), [
            Violation("csv", f"not a readable CSV file: {exc}", source=where)
        ]
    if not isinstance(raw.index, pd.RangeIndex):
        # pandas makes the first column an index when the first row has more fields than the header
        return empty_batch(source, content, kind), [
            Violation("csv", "the first row has more fields than the header", source=SourceLocation(source, 2))
        ]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        return empty_batch(source, content, kind), [
            Violation("header", f"missing column(s): {', '.join(missing)}", source=where)
        ]
    return _to_batch(raw, source, content, kind)


def _to_batch(raw: pd.DataFrame, source: str, content: bytes, kind: str) -> tuple[Batch, list[Violation]]:
    # Header is line 1; rows are numbered from line 2 (rows with embedded
    # newlines in quoted text would shift this, which the format does not use).
    src_line = pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="int64")
    amount, bad_amount = parse_amounts(raw["amount"])
    dates = pd.to_datetime(raw["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad_date = dates.isna()
    lines = pd.DataFrame({
        "voucher": raw["voucher"].str.strip(),
        "date": dates.dt.strftime("%Y-%m-%d").where(~bad_date, ""),
        "year": dates.dt.year.fillna(0).astype("int64"),
        "account": raw["account"].str.strip(),
        "amount": amount,
        "statskonto": _blank_to_none(raw["statskonto"]),
        "artskonto": _blank_to_none(raw["artskonto"]),
        "text": raw["text"],
        "dims": _dimensions_json(raw),
        "src_line": src_line,
    })
    violations = _row_violations(raw, lines, bad_amount, bad_date, source)
    # Sums of øre are int64 in pandas and SQLite: a file whose amounts could wrap
    # (e.g. debits only, "balancing" modulo 2^64) is refused whole.
    if lines["amount"].abs().astype(object).sum() > MAX_TOTAL_ORE:
        violations.append(Violation("amount-range", "the amounts sum to more than 2^63 øre, beyond "
                                    "what the books can add up", source=SourceLocation(source, 1)))
    return Batch(source, hashlib.sha256(content).hexdigest(), lines, kind), violations


def _row_violations(raw, lines, bad_amount, bad_date, source) -> list[Violation]:
    checks = [
        (bad_amount, "amount", lambda i: f"not an amount with at most two decimals: {raw['amount'][i]!r}"),
        (bad_date, "date", lambda i: f"not a date YYYY-MM-DD: {raw['date'][i]!r}"),
        (lines["voucher"] == "", "voucher-id", lambda i: "empty voucher id"),
        (lines["account"] == "", "account", lambda i: "empty account"),
    ]
    found = []
    for mask, rule, message in checks:
        for i in mask[mask].index:
            found.append(Violation(rule, message(i), lines["voucher"][i] or None,
                                   SourceLocation(source, int(lines["src_line"][i]))))
    return found


def _blank_to_none(column: pd.Series) -> pd.Series:
    stripped = column.str.strip()
    return stripped.where(stripped != "", None).astype(object)


def _dimensions_json(raw: pd.DataFrame) -> pd.Series:
    dim_columns = [c for c in raw.columns if c.startswith(DIMENSION_PREFIX)]
    if not dim_columns:
        return pd.Series("{}", index=raw.index, dtype=object)
    names = [c[len(DIMENSION_PREFIX):] for c in dim_columns]
    # Dimensions repeat (a handful of projects, municipalities, lease terms): write the
    # JSON once per distinct combination, not once per line.
    codes, combinations = pd.MultiIndex.from_frame(raw[dim_columns].fillna("")).factorize()
    texts = [json.dumps({n: v for n, v in zip(names, row) if v}, ensure_ascii=False, sort_keys=True)
             for row in combinations]
    return pd.Series(pd.Index(texts, dtype=object).take(codes), index=raw.index, dtype=object)


