"""The monthly report to the central government accounts (statsregnskapet), in the public file's columns.

One row per month (``Periode`` YYYYMM, from each line's date) × statskonto (``Post_id``:
chapter and post, six digits) × artskonto (``Artskonto_id``: the code the artskonto report
classifies the line by, :func:`ledger.statements.artskonto.artskonto_codes`; three digits,
or the four-digit Treasury sub-account of a common chapter, 1985-1987).  ``Beløp`` is the
sum of the reported lines, debit positive, in øre here (``amount_ore``); the writer
(:mod:`ledger.export.statsregnskapet`) presents it as the public file does.  The columns
the agency's books cannot fill (programme area and category, the ministries' ids, class
and group names) are empty.

Summed over the year the rows give, per statskonto, the appropriation report's *regnskap*
and, per artskonto, the artskonto report: both read the same reported lines.  Pure.
"""

from __future__ import annotations

import pandas as pd

from ledger.core.period import Period
from ledger.statements import base
from ledger.statements.artskonto import artskonto_codes
from ledger.statements.base import StatementError
from ledger.statements.year_data import YearData

COLUMNS = ("År", "Periode", "Konto_no", "Konto", "Programområde_id", "Programområde", "Programkategori_id",
           "Programkategori", "Fagdepartement_id", "Fagdepartement", "Kapittel_id", "Kapittel", "Post_id", "Post",
           "Post_type", "Kontoklasse_id", "Kontoklasse", "Kontogruppe_id", "Kontogruppe", "Artskonto_id",
           "Artskonto", "Fagdepartement_Virksomhet_id", "Fagdepartement_Virksomhet", "Virksomhet_id", "Virksomhet",
           "Regnskapsfører_id", "Regnskapsfører", "Beløp")
"""The columns of ``statsregnskapet_aar_YYYY.csv``, in order (statsregnskapet README)."""

KEY = ("Periode", "Post_id", "Artskonto_id")
"""What identifies a row of one agency: month, statskonto, artskonto."""


def org_number(data: YearData) -> str:
    """The agency's organisation number from ``agency.toml`` (StatementError naming file and key if missing)."""
    number = str(data.agency.get("org_number", "") or "").replace(" ", "")
    if not number:
        raise StatementError(f"the inputs of {data.year} give no organisation number: add org_number = "
                             "\"NNNNNNNNN\" to agency.toml (then `ledger inputs import`)", "agency.toml",
                             rule="org-number-missing")
    return number


def report_lines(data: YearData, period: Period | None = None) -> pd.DataFrame:
    """The reported lines summed per ``periode, statskonto, artskonto`` (``amount`` int64 øre), sorted.

    ``period``: a month gives that month's rows alone; None or a year every month's.
    Lines without a date (compacted rows) cannot be put in a month: load every line.
    Rows that sum to 0 øre are kept (the combination was reported).
    """
    lines = base.reported(data)
    if (lines["date"].astype(str) == "").any():
        raise StatementError("the monthly report needs every line with its date (load the year with every line)")
    codes = artskonto_codes(data, lines) if not lines.empty else pd.Series([], dtype=object)
    frame = pd.DataFrame({"periode": lines["date"].astype(str).str[:4] + lines["date"].astype(str).str[5:7],
                          "statskonto": lines["statskonto"], "artskonto": codes.astype(str),
                          "amount": lines["amount"].astype("int64")})
    if period is not None and period.is_month:
        frame = frame[frame["periode"] == period.yyyymm]
    grouped = frame.groupby(["periode", "statskonto", "artskonto"], sort=True)["amount"].sum().reset_index()
    return grouped.astype({"amount": "int64"})


def statsregnskapet(data: YearData, period: Period | None = None) -> pd.DataFrame:
    """The rows of the public file for the agency's year (or one month): :data:`COLUMNS` as text
    (``Beløp`` empty) and ``amount_ore`` (int64)."""
    number = org_number(data)
    summed = report_lines(data, period)
    posts = {p.statskonto: p for p in base.catalogue(data)} if data.budget is not None else {}
    monthly = data.reference.monthly
    name, department = str(data.agency.get("name", "")), str(data.agency.get("department", ""))
    rows = []
    for periode, statskonto, code, amount in summed.itertuples(index=False):
        post = posts.get(statskonto)
        chapter, number_of_post = statskonto[:4], statskonto[5:7]
        post_text = post.post_text if post else ""
        side = post.side if post else ("expense" if int(chapter) < 3000 else "income")
        rows.append({
            "År": str(data.year), "Periode": periode, "Konto_no": chapter + number_of_post, "Konto": post_text,
            "Fagdepartement": department, "Kapittel_id": chapter, "Kapittel": post.chapter_name if post else "",
            "Post_id": chapter + number_of_post, "Post": post_text,
            "Post_type": monthly.post_type(side, int(number_of_post)),
            "Kontoklasse_id": code[:1], "Kontogruppe_id": code[:2], "Artskonto_id": code,
            "Artskonto": _code_name(data, code), "Fagdepartement_Virksomhet": department,
            "Virksomhet_id": number, "Virksomhet": name, "Regnskapsfører_id": number, "Regnskapsfører": name,
            "Beløp": "", "amount_ore": int(amount),
        })
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "amount_ore"])
    text = list(COLUMNS)
    frame[text] = frame[text].astype(object).where(frame[text].notna(), "")
    return frame.astype({"amount_ore": "int64"})


def _code_name(data: YearData, code: str) -> str:
    """The SKP name of an artskonto code (its ``XXX0`` bookkeeping account, or the four-digit account)."""
    chart = data.chart
    account = chart.skp_accounts.get(code) or chart.accounts.get(code if len(code) == 4 else code + "0")
    return account.name if account is not None else ""
