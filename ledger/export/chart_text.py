"""The auditor's view of the chart and of what feeds each statement line (``ledger chart``).

Pure text rendering: the caller loads the chart, layouts and mappings and prints the result.
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.reference.chart import Chart
from ledger.reference.layout import Layout
from ledger.reference.mapping import MappingRow


def _accounts_table(chart: Chart) -> list[str]:
    out = [f"{'account':<8} {'SKP':<5} {'role':<15} name", "-" * 72]
    for code in sorted(chart.accounts):
        a = chart.accounts[code]
        out.append(f"{code:<8} {a.skp:<5} {a.role or '':<15} {a.name}")
    return out


def _range(row: MappingRow) -> str:
    text = row.account_from if row.account_from == row.account_to else f"{row.account_from}-{row.account_to}"
    return text + (f" [{row.column}]" if row.column else "")


def _names(chart: Chart, row: MappingRow) -> list[str]:
    pool = chart.accounts if len(row.account_from) == 4 else chart.skp_accounts
    return [f"{c} {pool[c].name}" for c in sorted(pool) if row.covers(c)]


def render_chart(chart: Chart, layouts: Mapping[str, Layout],
                 mappings: Mapping[str, tuple[MappingRow, ...]], statement: str | None = None,
                 external: Mapping[str, frozenset[str]] | None = None) -> str:
    """Without ``statement``: the chart (account, SKP, role, name).  With one: each layout line
    and what feeds it: accounts with names and the mapping row's source, or a sum's terms."""
    if statement is None:
        return "\n".join(_accounts_table(chart)) + "\n"
    layout = layouts[statement]
    rows = mappings.get(statement, ())
    fed_elsewhere = (external or {}).get(statement, frozenset())
    out = [f"{layout.title or statement} ({statement})", f"columns: {', '.join(layout.columns)}", ""]
    for line in layout.lines:
        sign = "" if line.sign == 1 else "  (sign -1: credit shown positive)"
        out.append(f"{line.line_id}  {line.label}  [{line.kind}]{sign}")
        if line.kind == "sum":
            terms = " ".join(f"{'+' if s > 0 else '-'} {ref}" for s, ref in line.sum_of)
            out.append(f"    = {terms}")
        elif line.kind == "detail":
            feeding = [r for r in rows if r.line_id == line.line_id]
            for r in feeding:
                out.append(f"    <- {_range(r)}   source: {r.source}  ({r.file}:{r.row})")
                out.extend(f"         {name}" for name in _names(chart, r))
            if not feeding:
                note = "fed from outside the account mapping" if line.line_id in fed_elsewhere else "no mapping"
                out.append(f"    ({note})")
    return "\n".join(out) + "\n"
