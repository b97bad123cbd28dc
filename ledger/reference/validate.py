"""Checking the reference tables against each other: mappings against layouts and chart, the
coverage proof, asset groups and capital lines (every problem into one collector)."""

from __future__ import annotations

from ledger.core.problems import Problems
from ledger.reference.coverage import check_coverage
from ledger.reference.mapping import validate_mapping


def validate(data, problems: Problems) -> None:
    """Check the tables against each other: mappings against layouts and chart, coverage, asset groups."""
    external = data.external_lines
    codes = set(data.chart.accounts) | set(data.chart.skp_accounts)
    for statement, rows in data.mappings.items():
        if statement not in data.layouts:
            problems.add(rows[0].file, rows[0].row, "statement-unknown", f"no layout {statement!r}")
            continue
        validate_mapping(rows, data.layouts[statement], codes, external=external.get(statement, {}),
                         problems=problems)
    check_coverage(data.chart, data.layouts, data.mappings, data.coverage_rules, problems)
    _check_asset_groups(data, problems)
    for statement, lines in data.capital_lines.items():
        for line_id in lines:
            layout = data.layouts.get(statement)
            if layout is None or line_id not in layout.detail_ids:
                problems.add("capital_lines.csv", None, "line-unknown", f"{statement}:{line_id} is no detail line")


def _check_asset_groups(data, problems: Problems) -> None:
    # each group's accounts must sit on the balance line whose note column explains them
    for code, account in sorted(data.chart.accounts.items()):
        group = data.asset_groups.get(account.asset_group) if account.asset_group else None
        if account.asset_group and group is None:
            problems.add("accounts.csv", None, "asset-group-unknown",
                         f"account {code}: asset group {account.asset_group!r} not in asset_groups.csv")
        if group is None:
            continue
        note = data.layouts.get(group.statement)
        if note is None or group.column not in note.columns:
            problems.add("asset_groups.csv", None, "asset-group-column",
                         f"{group.name}: {group.statement} has no column {group.column!r}")
            continue
        on = {r.line_id for r in data.mappings.get("balanse", ()) if r.covers(code)}
        if on != {group.balance_line}:
            problems.add("asset_groups.csv", None, "asset-group-line",
                         f"account {code} ({group.name}) is on balanse {sorted(on)}, not {group.balance_line}")
