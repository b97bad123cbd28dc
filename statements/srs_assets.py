"""Notes 3 and 4 (intangible and fixed assets) as roll-forwards from the asset postings,
and note 3's table of projects under construction.

The groups come from ``asset_groups.csv`` (``YearData.asset_groups``: note and column),
the accounts from ``accounts.csv`` (``asset_group`` and ``asset_part`` cost /
depreciation / impairment).  Per group column:

- *Anskaffelseskost 01.01*, *akkumulerte av-/nedskrivninger 01.01*: the opening batch;
- *Fra … under utførelse til annen gruppe*: vouchers whose every line is on an asset cost
  account and that touch two groups (activation of finished projects);
- *Tilgang* / *Avgang*: other movements on cost accounts, netted per voucher and
  account, debit = addition, credit = disposal;
- *Ordinære avskrivninger* / *akk. avskrivninger avgang*: movements on depreciation
  accounts, credit = the year's depreciation, debit = disposed;
- *Nedskrivninger*: movements on impairment accounts;
- *Salgssum*: lines on SKP 380 (*Salgssum ved avgang anleggsmidler*, 3800-3809) in
  vouchers that dispose of the group's assets.

The ``sum`` column (a layout column no group uses) adds the group columns.

Publication option (agency.toml, ``[srs] transfers_in_additions = true``): print the
transfers inside *Tilgang* as IMDi's 2024 note 3 does (published/README.md, SRS
contradiction 1).  Off by default: the roll-forward shows the transfer on its own row.
The table's ``attrs["notes"]`` records the transfers either way.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from ledger.money import format_decimal
from statements import srs_base as sb
from statements.inputs import YearData

SALE_PROCEEDS = (3800, 3809)  # SKP 380 Salgssum ved avgang anleggsmidler
UNDER_CONSTRUCTION_COLUMN = "under_utforelse"  # note 3's column of intangibles under construction
PROJECT_DIMENSION = "project"


def _groups(data: YearData, statement: str) -> dict[str, str]:
    """Asset group → column of ``statement``."""
    groups = {name: g.column for name, g in data.asset_groups.items() if g.statement == statement}
    if not groups:
        raise sb.StatementError(f"no asset groups for {statement} (asset_groups.csv not loaded?)")
    return groups


def _asset_accounts(data: YearData) -> dict[str, tuple[str, str]]:
    """Account → (asset group, part) for every asset account of the chart."""
    return {c: (a.asset_group, a.asset_part) for c, a in data.chart.accounts.items() if a.asset_group}


def transfer_vouchers(data: YearData, moves: pd.DataFrame) -> set[str]:
    """Vouchers that only move cost between asset groups (activation of finished work)."""
    assets = _asset_accounts(data)
    cost = {c for c, (_, part) in assets.items() if part == "cost"}
    touched = moves[moves["voucher"].isin(moves.loc[moves["account"].isin(cost), "voucher"])]
    if touched.empty:
        return set()
    per = pd.DataFrame({"voucher": touched["voucher"].astype(str), "on_cost": touched["account"].isin(cost),
                        "group": touched["account"].map(lambda a: assets.get(a, ("", ""))[0])})
    agg = per.groupby("voucher").agg(all_cost=("on_cost", "all"), groups=("group", "nunique"))
    return set(agg.index[agg["all_cost"] & (agg["groups"] > 1)])


def _rollforward(data: YearData, statement: str) -> tuple[dict[tuple[str, str], int], list[str]]:
    groups = _groups(data, statement)
    assets = {c: gp for c, gp in _asset_accounts(data).items() if gp[0] in groups}
    lay = sb.layout(data, statement)
    sum_columns = [c for c in lay.columns if c not in set(groups.values())]
    moves, opening = sb.movements(data), sb.opening(data)
    transfers = transfer_vouchers(data, moves)
    fold = bool(data.agency.get("srs", {}).get("transfers_in_additions", False)) if isinstance(
        data.agency.get("srs", {}), dict) else False
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    notes: list[str] = []

    def put(line: str, group: str, value: int) -> None:
        if value:
            amounts[(line, groups[group])] += value
            for column in sum_columns:
                amounts[(line, column)] += value

    for row in sb.balances(opening[opening["account"].isin(assets)]).itertuples():
        group, part = assets[row.account]
        put({"cost": "anskaffelseskost_0101", "depreciation": "akk_avskrivninger_0101",
             "impairment": "akk_nedskrivninger_0101"}[part], group, int(row.amount))
    on_assets = moves[moves["account"].isin(assets)]
    net = on_assets.groupby(["voucher", "account"], sort=True)["amount"].sum()
    disposals: dict[str, set[str]] = defaultdict(set)  # voucher → groups disposed
    for (vid, account), value in net.items():
        group, part = assets[account]
        value = int(value)
        if str(vid) in transfers:
            put("tilgang" if fold else "fra_under_utforelse", group, value)
            if value:
                notes.append(f"{vid}: {account} {format_decimal(value)} transferred between groups"
                             + (" (printed in tilgang)" if fold else ""))
        elif part == "cost":
            put("tilgang" if value > 0 else "avgang", group, value)
            if value < 0:
                disposals[str(vid)].add(group)
        elif part == "depreciation":
            put("avskrivninger" if value < 0 else "akk_avskrivninger_avgang", group, value)
        else:
            put("nedskrivninger", group, value)
    if "salgssum" in lay.line_ids:
        codes = pd.to_numeric(moves["account"], errors="coerce")
        sales = moves[(codes >= SALE_PROCEEDS[0]) & (codes <= SALE_PROCEEDS[1])]
        for vid, value in sales.groupby("voucher")["amount"].sum().items():
            for group in sorted(disposals.get(str(vid), ()))[:1]:
                put("salgssum", group, int(value))
    return dict(amounts), notes


def note_3(data: YearData) -> pd.DataFrame:
    """Note 3 Immaterielle eiendeler: the roll-forward per asset group column."""
    amounts, notes = _rollforward(data, "note_3")
    table = sb.evaluate_with(data, "note_3", amounts)
    table.attrs["notes"] = notes
    return table


def note_4(data: YearData) -> pd.DataFrame:
    """Note 4 Varige driftsmidler: the roll-forward, and the disposals' sale price and gain/loss."""
    amounts, notes = _rollforward(data, "note_4")
    table = sb.evaluate_with(data, "note_4", amounts)
    table.attrs["notes"] = notes
    return table


def _words(text: str, shortest: int = 4) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= shortest}


def project_line(data: YearData, value: str) -> tuple[str | None, str]:
    """The ``note_3_prosjekter`` line a ``project`` dimension value names, and by which rule.

    Rules, in order: the agency facts' ``[projects]`` table (``"value" = "line_id"``); the
    line id; the label (case-insensitive); else the one label that contains every word of
    four letters or more of the value (``Nytt nettsted`` → *Nytt nettsted for IMDi.no -
    prosjektgjennomføring*).  No line, or two, gives ``(None, reason)``.
    """
    lay = sb.layout(data, "note_3_prosjekter")
    details = [ln for ln in lay.lines if ln.kind == "detail"]
    table = data.agency.get("projects", {})
    if isinstance(table, dict) and value in table:
        return str(table[value]), "agency.toml [projects]"
    for ln in details:
        if value == ln.line_id or value.casefold() == ln.label.casefold():
            return ln.line_id, "line id or label"
    words = _words(value)
    hits = [ln.line_id for ln in details if words and words <= _words(ln.label, 1)]
    if len(hits) == 1:
        return hits[0], "the words of the label"
    return None, ("two lines" if hits else "no line")


def note_3_prosjekter(data: YearData) -> pd.DataFrame:
    """Projects under construction: IB, the year's additions, activated, balance 31.12.

    Lines on the cost accounts of the note 3 group(s) in column ``under_utforelse``, by
    the ``project`` dimension.  Activated = transfers out to another group (positive).
    """
    groups = {g for g, column in _groups(data, "note_3").items() if column == UNDER_CONSTRUCTION_COLUMN}
    accounts = {c for c, (g, part) in _asset_accounts(data).items() if g in groups and part == "cost"}
    lay = sb.layout(data, "note_3_prosjekter")
    ib, tilgang, aktivert, ub = lay.columns[:4]
    names: dict[str, tuple[str | None, str]] = {}
    moves = sb.movements(data)
    transfers = transfer_vouchers(data, moves)
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    unknown: set[str] = set()
    for frame, column in ((sb.opening(data), ib), (moves, None)):
        frame = frame[frame["account"].isin(accounts)]
        for value, voucher, amount in zip(sb.dim(frame, PROJECT_DIMENSION), frame["voucher"], frame["amount"]):
            if value not in names:
                names[value] = project_line(data, value)
            line = names[value][0]
            if line is None:
                unknown.add(value or "(no project)")
                continue
            if column is not None:
                amounts[(line, column)] += int(amount)
            elif str(voucher) in transfers:
                amounts[(line, aktivert)] -= int(amount)
            else:
                amounts[(line, tilgang)] += int(amount)
            amounts[(line, ub)] += int(amount)
    if unknown:
        raise sb.StatementError(
            f"note_3_prosjekter: project dimension values {sorted(unknown)} name no single line of the layout; "
            f"use the line id or label, or map them in agency.toml [projects]")
    table = sb.evaluate_with(data, "note_3_prosjekter", dict(amounts))
    table.attrs["notes"] = [f"project {v!r} -> {line} ({rule})" for v, (line, rule) in sorted(names.items())
                            if line]
    return table
