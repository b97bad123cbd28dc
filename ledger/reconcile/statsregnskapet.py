"""Reconciling the books with a file in statsregnskapet's public format (``ledger reconcile statsregnskapet``).

:func:`read_public_file` reads a ``statsregnskapet_aar_YYYY.csv`` (ISO-8859-1, or UTF-8 as
``--format csv`` writes it; ``;`` or ``,``) and keeps the rows of one organisation number
(and year), summed per month × statskonto × artskonto; every problem of the file is named
with its line and rule.  :func:`differences` compares those sums with the books'
(:func:`ledger.statements.statsregnskapet.report_lines`).
"""

from __future__ import annotations

import csv
import io
import re

import attrs
import pandas as pd

from ledger.core.problems import Problems, ProblemsError
from ledger.statements.statsregnskapet import report_lines
from ledger.statements.year_data import YearData

REQUIRED = ("År", "Periode", "Post_id", "Artskonto_id", "Virksomhet_id", "Beløp")
_AMOUNT = re.compile(r"^(-?)([0-9]+)(?:[.,]([0-9]{1,3}))?$")


class PublicFileError(ProblemsError):
    """A file that is not in the public format (each problem with its line and rule)."""


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("iso-8859-1")


def _ore(text: str) -> int | None:
    found = _AMOUNT.match(text.replace(" ", ""))
    if not found:
        return None
    sign, kroner, decimals = found.groups()
    decimals = (decimals or "").ljust(3, "0")
    if decimals[2] != "0":
        return None  # a fraction of an øre
    value = int(kroner) * 100 + int(decimals[:2])
    return -value if sign else value


def read_public_file(content: bytes, name: str, org_number: str, year: int | None = None) -> pd.DataFrame:
    """The rows of ``org_number`` (and ``year``) summed per ``periode, statskonto, artskonto``
    (``amount`` int64 øre); :class:`PublicFileError` naming every problem."""
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems = Problems()
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.add(name, 1, "header", f"not the public format: no column {', '.join(missing)} "
                     f"(columns: {', '.join(header[:8])}{' …' if len(header) > 8 else ''})")
        problems.raise_if_any(PublicFileError)
    rows = []
    for row in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if row["Virksomhet_id"].replace(" ", "") != org_number:
            continue
        if year is not None and row["År"] != str(year):
            continue
        periode, post, code = row["Periode"], row["Post_id"], row["Artskonto_id"]
        if not (len(periode) == 6 and periode.isdigit() and 1 <= int(periode[4:]) <= 12):
            problems.add(name, line, "periode", f"Periode {periode!r} is not YYYYMM")
            continue
        if not (len(post) == 6 and post.isdigit()):
            problems.add(name, line, "post-id", f"Post_id {post!r} is not six digits (chapter and post)")
            continue
        if not (code.isdigit() and len(code) in (3, 4)):
            problems.add(name, line, "artskonto-id", f"Artskonto_id {code!r} is not an artskonto")
            continue
        amount = _ore(row["Beløp"])
        if amount is None:
            problems.add(name, line, "amount", f"Beløp {row['Beløp']!r} is not kroner with at most two "
                         "decimals of øre (decimal comma, as published)")
            continue
        rows.append((periode, f"{post[:4]}.{post[4:]}", code, amount))
    problems.raise_if_any(PublicFileError)
    frame = pd.DataFrame(rows, columns=["periode", "statskonto", "artskonto", "amount"])
    frame = frame.astype({"amount": "int64"})
    return frame.groupby(["periode", "statskonto", "artskonto"], sort=True)["amount"].sum().reset_index()


@attrs.frozen
class Reconciliation:
    """Where the books and the file differ: ``rows`` per month × statskonto × artskonto
    (``books``, ``file``, ``difference`` in øre) and ``by_statskonto``, the whole month ×
    statskonto sums where they differ (a move between artskontoer of one post is not there)."""

    rows: pd.DataFrame
    by_statskonto: pd.DataFrame
    file_rows: int

    @property
    def ok(self) -> bool:
        """Whether nothing differs."""
        return self.rows.empty


def differences(data: YearData, reported: pd.DataFrame) -> Reconciliation:
    """Compare the books' monthly report (``data``, every line) with the file's sums ``reported``."""
    books = report_lines(data)
    merged = books.merge(reported, on=["periode", "statskonto", "artskonto"], how="outer",
                         suffixes=("_books", "_file"))
    merged = merged.rename(columns={"amount_books": "books", "amount_file": "file"})
    for column in ("books", "file"):
        merged[column] = merged[column].fillna(0).astype("int64")
    merged["difference"] = merged["books"] - merged["file"]
    rows = merged[merged["difference"] != 0].reset_index(drop=True)
    summed = merged.groupby(["periode", "statskonto"], sort=True)[["books", "file", "difference"]].sum().reset_index()
    summed = summed[summed["difference"] != 0].reset_index(drop=True)
    return Reconciliation(rows, summed, len(reported))


def file_years(content: bytes) -> list[int]:
    """The years (``År``) a file in the public format holds rows of (empty if it has no such column)."""
    text = _decode(content)
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") >= first.count(",")
                            else ",")
    years = set()
    for row in reader:
        value = (row.get("År") or "").strip()
        if value.isdigit():
            years.add(int(value))
    return sorted(years)
