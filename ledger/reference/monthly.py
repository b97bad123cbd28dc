"""The rules of monthly reporting, as data (tables of ``chart_of_accounts/``).

- ``monthly_checks.csv`` (``rule,measure,description,source``): the checks before a
  submission to statsregnskapet, one row per rule; ``measure`` names how it is computed
  (:data:`MEASURES`, applied by :mod:`ledger.reconcile.monthly_checks`).
- ``statskonto_artskonto.csv`` (``chapter_from,chapter_to,artskonto_from,artskonto_to,source``):
  the statskonto × artskonto combinations the standard chart allows; for a chapter the
  rows of the narrowest chapter range that holds it apply (1633 has its own row).
- ``month_statements.csv`` (``statement,source``): the statements that exist for a month;
  every other one (the SRS statements, the notes) only at year end.
- ``post_types.csv`` (``side,post_from,post_to,post_type,source``): the public file's
  ``Post_type`` words by post range.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ledger.core.problems import Problems
from ledger.reference.tables import ChartError, read_table

MEASURES = ("report_and_capital_sum", "statskonto_allocated", "allowed_combination", "settlement_uncoded",
            "voucher_identity")
"""The measures a row of ``monthly_checks.csv`` may name."""


@attrs.frozen
class MonthlyCheck:
    """One check before submission: its rule id, measure, description and source."""

    rule: str
    measure: str
    description: str
    source: str


@attrs.frozen
class Combination:
    """Chapters ``chapter_from``..``chapter_to`` may carry artskonto ``low``..``high`` (same digit count)."""

    chapter_from: int
    chapter_to: int
    low: str
    high: str
    source: str
    row: int = 0

    def holds_chapter(self, chapter: int) -> bool:
        """Whether the chapter is in the row's range."""
        return self.chapter_from <= chapter <= self.chapter_to

    def holds_code(self, code: str) -> bool:
        """Whether the artskonto code is in the row's range (a range matches codes of its own length)."""
        return len(code) == len(self.low) and code.isdigit() and self.low <= code <= self.high


@attrs.frozen
class MonthlyRules:
    """Everything monthly reporting reads from the reference data."""

    checks: tuple[MonthlyCheck, ...] = ()
    combinations: tuple[Combination, ...] = ()
    month_statements: frozenset[str] = frozenset()
    post_types: tuple[tuple[str, int, int, str], ...] = ()

    def allowed(self, statskonto: str, code: str) -> bool | None:
        """Whether the chart allows ``code`` on ``statskonto`` (None: no row holds its chapter)."""
        chapter = int(statskonto[:4]) if statskonto[:4].isdigit() else -1
        rows = [c for c in self.combinations if c.holds_chapter(chapter)]
        if not rows:
            return None
        narrowest = min(c.chapter_to - c.chapter_from for c in rows)
        return any(c.holds_code(code) for c in rows if c.chapter_to - c.chapter_from == narrowest)

    def post_type(self, side: str, post: int) -> str:
        """The public file's ``Post_type`` of a post (empty when no row names it)."""
        for row_side, low, high, words in self.post_types:
            if row_side == side and low <= post <= high:
                return words
        return ""


def _number(text: str, path: Path, line: int, column: str, problems: Problems) -> int | None:
    if not text.isdigit():
        problems.add(path, line, "number", f"{column} {text!r} is not a whole number")
        return None
    return int(text)


def load_monthly_rules(folder: Path, problems: Problems) -> MonthlyRules:
    """The four tables of monthly reporting (problems collected, never raised here)."""
    try:
        return _load(folder, problems)
    except ChartError as exc:
        problems.extend(exc.problems)
        return MonthlyRules()


def _load(folder: Path, problems: Problems) -> MonthlyRules:
    checks, seen = [], set()
    path = folder / "monthly_checks.csv"
    for line, row in read_table(path):
        if row.get("measure") not in MEASURES:
            problems.add(path, line, "measure-unknown", f"measure {row.get('measure')!r} is not one of {MEASURES}")
            continue
        if not row.get("source"):
            problems.add(path, line, "source-missing", "every check names its source")
        if row["rule"] in seen:
            problems.add(path, line, "rule-duplicate", f"rule {row['rule']!r} given twice")
        seen.add(row["rule"])
        checks.append(MonthlyCheck(row["rule"], row["measure"], row.get("description", ""), row.get("source", "")))
    combinations = []
    path = folder / "statskonto_artskonto.csv"
    for line, row in read_table(path):
        low_chapter = _number(row.get("chapter_from", ""), path, line, "chapter_from", problems)
        high_chapter = _number(row.get("chapter_to", ""), path, line, "chapter_to", problems)
        low, high = row.get("artskonto_from", ""), row.get("artskonto_to", "")
        if not (low.isdigit() and high.isdigit() and len(low) == len(high) and low <= high):
            problems.add(path, line, "range", f"artskonto range {low!r}-{high!r}: digits of one length, low first")
            continue
        if low_chapter is None or high_chapter is None:
            continue
        combinations.append(Combination(low_chapter, high_chapter, low, high, row.get("source", ""), line))
    statements = frozenset(row["statement"] for _, row in read_table(folder / "month_statements.csv"))
    types = []
    path = folder / "post_types.csv"
    for line, row in read_table(path):
        low = _number(row.get("post_from", ""), path, line, "post_from", problems)
        high = _number(row.get("post_to", ""), path, line, "post_to", problems)
        if low is not None and high is not None:
            types.append((row.get("side", ""), low, high, row.get("post_type", "")))
    return MonthlyRules(tuple(checks), tuple(combinations), statements, tuple(types))
