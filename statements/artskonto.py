"""Artskontorapportering (the reported lines by nature) and the overview of mellomværende.

Each reported line (a movement carrying a statskonto) is classified by its *artskonto
code*: the line's own artskonto, else its account's SKP code; when the artskonto map puts
that code on no line and the statskonto is on a common chapter whose Treasury account is
fixed (``chart_of_accounts/common_chapters.csv``), that account's code.  The map
(``artskonto_map.csv``) takes it to a line.  So the report's *netto rapportert* equals the
appropriation report's by construction; :func:`artskonto` checks it and raises if not.
"""

from __future__ import annotations

import pandas as pd

from ledger.reference.layout import evaluate
from ledger.reference.mapping import aggregate, lines_of
from ledger.statements import base
from ledger.statements.base import StatementError
from ledger.statements.bevilgning import bevilgning
from ledger.statements.year_data import YearData

NETTO = "netto_rapportert"


def artskonto_codes(data: YearData, lines: pd.DataFrame) -> pd.Series:
    """The artskonto code of each reported line (see the module docstring); unmapped codes raise."""
    rows = data.mappings.get("artskonto", ())
    skp = {code: account.skp for code, account in data.chart.accounts.items()}
    unknown = sorted(set(lines["account"]) - set(skp))
    if unknown:
        raise StatementError(f"reported lines on accounts not in the chart: {unknown}", rule="account-unknown")
    codes = lines["artskonto"].where(lines["artskonto"] != "", lines["account"].map(skp))
    def on_a_line(series: pd.Series) -> pd.Series:
        found = {code: bool(lines_of(str(code), rows)) for code in set(series)}
        return pd.Series([found[c] for c in series], index=series.index, dtype=bool)

    # A VAT line is coded 1633.01 on the supplier-debt line it clears (DOMAIN.md), whose
    # SKP code 240 has no artskonto line: the common chapter's Treasury account gives it.
    linked = lines["statskonto"].str[:4].map(dict(data.reference.common_chapters))
    use_link = ~on_a_line(codes) & linked.notna().astype(bool)
    codes = codes.where(~use_link, linked)
    bad = ~on_a_line(codes)
    if bad.any():
        sample = lines.loc[bad, ["voucher", "account", "statskonto"]].assign(code=codes[bad]).head(5)
        raise StatementError("reported lines whose artskonto has no line of the artskonto report "
                             f"(give the line an artskonto): {sample.to_dict(orient='records')}",
                             "artskonto_map.csv", rule="artskonto-unmapped")
    return codes


def artskonto(data: YearData) -> pd.DataFrame:
    """The artskonto report: this year from the reported lines, last year from the comparatives."""
    lay = base.layout(data, "artskonto")
    this_column, last_column = base.year_columns(data, lay)
    lines = base.reported(data)
    by_code = pd.DataFrame({"account": artskonto_codes(data, lines), "amount": lines["amount"]})
    amounts = aggregate(by_code, data.mappings.get("artskonto", ()), this_column, strict=True)
    last = base.comparative(data, "artskonto", last_column)
    amounts.update(base.presented_to_ledger(lay, last, last_column))
    table = base.keep_printed(evaluate(lay, amounts), last, last_column)
    check_netto(table, bevilgning(data), this_column)
    return table


def check_netto(arts: pd.DataFrame, bev: pd.DataFrame, column: str) -> None:
    """Raise unless both reports' *netto rapportert* agree."""
    a = int(arts.loc[arts["line_id"] == NETTO, column].iloc[0])
    b = int(bev.loc[bev["line_id"] == NETTO, "regnskap"].iloc[0])
    if a != b:
        raise StatementError(f"netto rapportert differs: artskonto {a} øre, bevilgning {b} øre",
                             "artskonto_map.csv", rule="netto-rapportert")


def mellomvaerende_by_line(data: YearData, lines: pd.DataFrame, column: str) -> dict[tuple[str, str], int]:
    """Balances of ``lines`` on the mellomværende accounts, per overview line (ledger sign)."""
    accounts = base.accounts_with_roles(data, "mellomvaerende")
    tb = base.balances(lines[lines["account"].isin(accounts)])
    rows = data.mappings.get("mellomvaerende", ())
    unmapped = [a for a, amt in zip(tb["account"], tb["amount"]) if amt and not lines_of(a, rows)]
    if unmapped:
        raise StatementError(f"mellomværende accounts on no line of the overview: {unmapped}",
                             "mellomvaerende_map.csv", rule="account-unmapped")
    return aggregate(tb, rows, column)


def mellomvaerende(data: YearData) -> pd.DataFrame:
    """Mellomværende med statskassen per line: 31.12 this year; last year from comparatives or the opening."""
    lay = base.layout(data, "mellomvaerende")
    this_column, last_column = base.year_columns(data, lay)
    amounts = mellomvaerende_by_line(data, base.year_end_lines(data), this_column)
    last = base.comparative(data, "mellomvaerende", last_column)
    if not last:
        amounts.update(mellomvaerende_by_line(data, base.opening(data), last_column))
        return evaluate(lay, amounts)
    amounts.update(base.presented_to_ledger(lay, last, last_column))
    return base.keep_printed(evaluate(lay, amounts), last, last_column)
