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

from ledger.core.money import format_decimal
from ledger.statements import base
from ledger.statements.year_data import YearData

OPENING_EVENTS = {"cost": "opening_cost", "depreciation": "opening_depreciation", "impairment": "opening_impairment"}


def _groups(data: YearData, statement: str) -> dict[str, str]:
    """Asset group → column of ``statement``."""
    groups = {name: g.column for name, g in data.asset_groups.items() if g.statement == statement}
    if not groups:
        raise base.StatementError(f"no asset groups for {statement}", "asset_groups.csv", rule="asset-groups")
    return groups


def _asset_accounts(data: YearData) -> dict[str, tuple[str, str]]:
    """Account → (asset group, part) for every asset account of the chart."""
    return {c: (a.asset_group, a.asset_part) for c, a in data.chart.accounts.items() if a.asset_group}


def transfer_vouchers(data: YearData, moves: pd.DataFrame) -> set[str]:
    """Vouchers that only move cost between asset groups (activation of finished work)."""
    assets = _asset_accounts(data)
    cost = {c for c, (_, part) in assets.items() if part == "cost"}
    base.require_whole(data, cost, "the asset roll-forward")
    touched = moves[moves["voucher"].isin(moves.loc[moves["account"].isin(cost), "voucher"])]
    if touched.empty:
        return set()
    per = pd.DataFrame({"voucher": touched["voucher"].astype(str), "on_cost": touched["account"].isin(cost),
                        "group": touched["account"].map(lambda a: assets.get(a, ("", ""))[0])})
    agg = per.groupby("voucher").agg(all_cost=("on_cost", "all"), groups=("group", "nunique"))
    return set(agg.index[agg["all_cost"] & (agg["groups"] > 1)])


def _rollforward(data: YearData, statement: str, trace: dict | None = None) -> tuple[dict[tuple[str, str], int],
                                                                                    list[str]]:
    groups = _groups(data, statement)
    assets = {c: gp for c, gp in _asset_accounts(data).items() if gp[0] in groups}
    lay = base.layout(data, statement)
    sum_columns = [c for c in lay.columns if c not in set(groups.values())]
    moves, opening = base.movements(data), base.opening(data)
    transfers = transfer_vouchers(data, moves)
    fold = transfers_in_additions(data)
    lines = data.reference.rollforward
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    notes: list[str] = []

    def put(event: str, group: str, value: int, source: tuple[str, str]) -> None:
        if value:
            line = lines[event]
            amounts[(line, groups[group])] += value
            if trace is not None:  # (line, column) → (voucher, account) → amount, for explain
                trace.setdefault((line, groups[group]), defaultdict(int))[source] += value
            for column in sum_columns:
                amounts[(line, column)] += value

    for row in base.balances(opening[opening["account"].isin(assets)]).itertuples():
        group, part = assets[row.account]
        put(OPENING_EVENTS[part], group, int(row.amount), ("", row.account))
    on_assets = moves[moves["account"].isin(assets)]
    net = on_assets.groupby(["voucher", "account"], sort=True)["amount"].sum()
    disposals: dict[str, set[str]] = defaultdict(set)  # voucher → groups disposed
    for (vid, account), value in net.items():
        group, part = assets[account]
        value = int(value)
        if str(vid) in transfers:
            put("addition" if fold else "transfer", group, value, (str(vid), account))
            if value:
                notes.append(f"{vid}: {account} {format_decimal(value)} transferred between groups"
                             + (" (printed in tilgang)" if fold else ""))
        elif part == "cost":
            put("addition" if value > 0 else "disposal", group, value, (str(vid), account))
            if value < 0:
                disposals[str(vid)].add(group)
        elif part == "depreciation":
            put("depreciation" if value < 0 else "depreciation_disposed", group, value, (str(vid), account))
        else:
            put("impairment", group, value, (str(vid), account))
    if lines["sale_proceeds"] in lay.line_ids:
        sales = base.in_class(data, moves, "sale_proceeds")
        for vid, value in sales.groupby("voucher")["amount"].sum().items():
            for group in sorted(disposals.get(str(vid), ()))[:1]:
                put("sale_proceeds", group, int(value), (str(vid), "sale_proceeds"))
    return dict(amounts), notes


def rollforward_sources(data: YearData, statement: str) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """What makes each (line, group column) of note 3 or 4: (voucher, account) → amount; the
    opening balance has voucher ``""``, a sale's proceeds account ``"sale_proceeds"``."""
    trace: dict = {}
    _rollforward(data, statement, trace)
    return trace


def transfers_in_additions(data: YearData) -> bool:
    """The agency's presentation option ``[srs] transfers_in_additions`` (agency.toml)."""
    srs = data.agency.get("srs", {})
    return bool(srs.get("transfers_in_additions", False)) if isinstance(srs, dict) else False


def note_3(data: YearData) -> pd.DataFrame:
    """Note 3 Immaterielle eiendeler: the roll-forward per asset group column."""
    amounts, notes = _rollforward(data, "note_3")
    table = base.evaluate_with(data, "note_3", amounts)
    table.attrs["notes"] = notes
    return table


def note_4(data: YearData) -> pd.DataFrame:
    """Note 4 Varige driftsmidler: the roll-forward, and the disposals' sale price and gain/loss."""
    amounts, notes = _rollforward(data, "note_4")
    table = base.evaluate_with(data, "note_4", amounts)
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
    lay = base.layout(data, "note_3_prosjekter")
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


def note_3_prosjekter(data: YearData, trace: dict | None = None) -> pd.DataFrame:
    """Projects under construction: IB, the year's additions, activated, balance 31.12.

    Lines on the cost accounts of the note 3 group(s) in column ``under_utforelse``, by
    the ``project`` dimension.  Activated = transfers out to another group (positive).
    ``trace``, when given, is filled with (line, column) → (voucher, account) → amount.
    """
    column_of_projects = data.reference.parameter("note_3_prosjekter", "under_construction_column")
    groups = {g for g, column in _groups(data, "note_3").items() if column == column_of_projects}
    accounts = {c for c, (g, part) in _asset_accounts(data).items() if g in groups and part == "cost"}
    lay = base.layout(data, "note_3_prosjekter")
    ib, tilgang, aktivert, ub = lay.columns[:4]
    names: dict[str, tuple[str | None, str]] = {}
    moves = base.movements(data)
    transfers = transfer_vouchers(data, moves)
    amounts: dict[tuple[str, str], int] = defaultdict(int)
    unknown: set[str] = set()
    unspecified = data.reference.parameter("note_3_prosjekter", "unspecified_line")
    dimension = data.reference.parameter("note_3_prosjekter", "project_dimension")
    for frame, column in ((base.opening(data), ib), (moves, None)):
        frame = frame[frame["account"].isin(accounts)]
        for value, voucher, amount, account in zip(base.dim(frame, dimension), frame["voucher"], frame["amount"],
                                                   frame["account"]):
            if value not in names:
                names[value] = project_line(data, value)
            line = names[value][0]
            if line is None:
                unknown.add(value or "(ingen)")
                line = unspecified
            put_at = column if column is not None else aktivert if str(voucher) in transfers else tilgang
            sign = -1 if put_at == aktivert else 1
            for at, signed in ((put_at, sign * int(amount)), (ub, int(amount))):
                amounts[(line, at)] += signed
                if trace is not None:
                    trace.setdefault((line, at), defaultdict(int))[(str(voucher), str(account))] += signed
    warnings = [f"lines under construction whose '{dimension}' dimension ({sorted(unknown)}) names no single "
                f"project: shown as 'Prosjekt ikke spesifisert'; use the line id or label, or map them in "
                f"agency.toml [projects] [project-unknown]"] if unknown else []
    table = base.with_warnings(base.evaluate_with(data, "note_3_prosjekter", dict(amounts)), warnings)
    table.attrs["notes"] = [f"project {v!r} -> {line} ({rule})" for v, (line, rule) in sorted(names.items())
                            if line]
    return table
