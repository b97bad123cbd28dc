"""Coverage rules (``chart_of_accounts/coverage.csv``): which accounts must sit on exactly one line.

A rule names statements (``|``-separated: together they count as one presentation), an
optional column, and a selector of account codes, ``|``-separated terms:

- ``all``: every bookkeeping account;  ``class:1-2``: bookkeeping accounts of classes 1-2;
- ``role:<role>``: bookkeeping accounts with that role;
- ``skp:<from>-<to>``: non-reserved SKP codes in the range (artskonto statements);
- ``range:<from>-<to>``: bookkeeping accounts in the range;
- ``on:<statement>:<line_id>``: the bookkeeping accounts mapped to that line (a note
  must specify exactly the accounts of the statement line it explains);
- ``-range:…`` and ``-on:…`` remove accounts instead of adding them.

Every selected code must hit exactly one line; with ``exclusive`` = ``yes`` no other code may
hit any line.  This is what proves "each account on exactly one line per statement".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ledger.core.problems import Problems
from ledger.reference.chart import Chart, is_reserved
from ledger.reference.layout import Layout
from ledger.reference.mapping import MappingRow, lines_of
from ledger.reference.tables import table_rows


def select(selector: str, chart: Chart, mappings: Mapping[str, tuple[MappingRow, ...]]) -> set[str]:
    """The account codes a selector names (see the module docstring)."""
    chosen: set[str] = set()
    removed: set[str] = set()
    for term in filter(None, selector.split("|")):
        target = removed if term.startswith("-") else chosen
        kind, _, arg = term.lstrip("-").partition(":")
        lo, _, hi = arg.partition("-")
        if kind == "all":
            target |= set(chart.accounts)
        elif kind == "class":
            target |= {c for c, a in chart.accounts.items() if int(lo) <= a.account_class <= int(hi or lo)}
        elif kind == "role":
            target |= set(chart.accounts_with_role(arg))
        elif kind == "range":
            target |= {c for c in chart.accounts if int(lo) <= int(c) <= int(hi or lo)}
        elif kind == "skp":
            target |= {c for c, a in chart.skp_accounts.items() if len(c) == len(lo)
                       and int(lo) <= int(c) <= int(hi or lo) and not is_reserved(a.name)}
        elif kind == "on":
            statement, _, line_id = arg.partition(":")
            rows = [r for r in mappings.get(statement, ()) if r.line_id == line_id]
            if not rows:
                raise ValueError(f"{term} (no account is mapped to that line)")
            target |= {c for c in chart.accounts if any(r.covers(c) for r in rows)}
        else:
            raise ValueError(term)
    return chosen - removed


def load_coverage_rules(path: Path, content: bytes | None = None) -> tuple[tuple[str, int, dict[str, str]], ...]:
    """The rules of a ``coverage.csv`` as (file name, row, rule)."""
    return tuple((Path(path).name, row_no, rule) for row_no, rule in table_rows(Path(path), content))


def check_coverage(chart: Chart, layouts: Mapping[str, Layout], mappings: Mapping[str, tuple[MappingRow, ...]],
                   rules, problems: Problems | None = None) -> Problems:
    """Apply every coverage rule (``(file, row, rule)``); every breach goes to ``problems`` (returned)."""
    problems = problems if problems is not None else Problems()
    # reserved SKP codes can carry nothing, so ranges may sweep over them
    everything = set(chart.accounts) | {c for c, a in chart.skp_accounts.items() if not is_reserved(a.name)}
    for path, row_no, rule in rules:
        statements = rule["statements"].split("|")
        column = rule.get("column") or None
        if any(s not in layouts for s in statements):
            problems.add(path, row_no, "statement-unknown", f"unknown statement in {rule['statements']}")
            continue
        try:
            selected = select(rule["select"], chart, mappings)
        except ValueError as exc:
            problems.add(path, row_no, "selector", f"bad selector term {exc}")
            continue
        rows = [r for s in statements for r in mappings.get(s, ())]
        for code in sorted(everything):
            hits = lines_of(code, rows, column)
            if code in selected and len(hits) != 1:
                found = ", ".join(f"{r.statement}:{r.line_id} ({r.file}:{r.row})" for r in hits) or "no line"
                problems.add(path, row_no, "coverage",
                             f"account {code} must be on exactly one line of {rule['statements']}"
                             f"{' column ' + column if column else ''}; found {found}")
            if code not in selected and hits and rule.get("exclusive") == "yes":
                problems.add(hits[0].file, hits[0].row, "coverage-exclusive",
                             f"account {code} is not selected by {rule['select']!r} "
                             f"({path}:{row_no}) but is on {hits[0].statement}:{hits[0].line_id}")
    return problems
