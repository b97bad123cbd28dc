"""Writing a year of the books as a SAF-T Financial 1.30 file (streamed out).

The file holds the header, every account of the chart with its KS grouping
(``GroupingCategory`` ``KS``, ``GroupingCode`` the account's SKP code, empty when
it has none), opening balances (the year's ``opening`` lines) and closing
balances (all the year's lines), an ``AnalysisTypeTable``, and the year's other
vouchers as transactions of one journal.  The statskonto and artskonto of a line
travel as ``Analysis`` of types :data:`~ledger.saft.read.STATSKONTO_ANALYSIS`
and :data:`~ledger.saft.read.ARTSKONTO_ANALYSIS`; its dimensions as ``Analysis``
of their own name (names longer than 9 characters get a short code, with the
name as the type's description).

A split line comes back as it came in: consecutive lines of a voucher from one
source line (same ``src_line``, account and text) whose analyses differ in one
type only are written as one ``Line`` with one ``Analysis`` of that type per
share, each with its ``DebitAnalysisAmount`` or ``CreditAnalysisAmount``
(:mod:`ledger.saft.split`).  Importing the export gives the same lines again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import attrs
import pandas as pd
from lxml import etree

import ledger
from ledger.core.money import format_decimal
from ledger.core.records import BatchKind
from ledger.saft.read import ARTSKONTO_ANALYSIS, STATE_GROUPING, STATSKONTO_ANALYSIS
from ledger.saft.schema import NAMESPACE

_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_TYPE = 9  # AnalysisType is SAFcodeType (at most 9 characters)


class SaftExportError(Exception):
    """Books that cannot be written as a valid SAF-T file (reason in the message)."""


@attrs.frozen
class Company:
    """The header's company: organisation number, name and a contact person."""

    registration_number: str = "000000000"
    name: str = "Ukjent virksomhet"
    contact_first_name: str = "Ukjent"
    contact_last_name: str = "Ukjent"


def write_saft(out: Path | str, year: int, accounts: pd.DataFrame, lines: pd.DataFrame,
               company: Company = Company(), created: dt.date | None = None) -> dict[str, int]:
    """Write ``year`` as SAF-T 1.30 to ``out``; return counts (accounts, transactions, lines).

    ``accounts`` is the books' chart (``code, name, skp, role``); ``lines`` the
    year's lines as :meth:`ledger.books.store.Books.lines` gives them (with ``kind``).
    """
    too_long = sorted({v for v in lines["voucher"] if len(v) > 70} | {a for a in accounts["code"] if len(a) > 70})
    if too_long:
        raise SaftExportError(f"ids longer than SAF-T allows (70 characters): {', '.join(too_long[:5])}")
    opening = lines[lines["kind"] == BatchKind.OPENING].groupby("account")["amount"].sum()
    closing = lines.groupby("account")["amount"].sum()
    entries = lines[lines["kind"] != BatchKind.OPENING]
    rows = _rows(entries)
    types = _analysis_types({name for row in rows for name in row["dims"]})
    vouchers: dict[str, list[list[dict]]] = {}
    for row in rows:
        row["analyses"] = _line_analyses(row, types)
        _place(vouchers.setdefault(row["voucher"], []), row)
    written = [sum(r["amount"] for r in group) for groups in vouchers.values() for group in groups]
    debit = sum(a for a in written if a > 0)
    credit = -sum(a for a in written if a < 0)
    e = _Elements()
    with etree.xmlfile(str(out), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(e.q("AuditFile"), nsmap={"n1": NAMESPACE}):
            xf.write(_header(e, year, company, created or dt.date.today()))
            with xf.element(e.q("MasterFiles")):
                with xf.element(e.q("GeneralLedgerAccounts")):
                    for row in accounts.itertuples(index=False):
                        xf.write(_account(e, row, int(opening.get(row.code, 0)), int(closing.get(row.code, 0))), "\n")
                table = _analysis_table(e, rows, types)
                if table is not None:
                    xf.write(table)
            with xf.element(e.q("GeneralLedgerEntries")):
                xf.write(e.el("NumberOfEntries", str(len(vouchers))))
                xf.write(e.el("TotalDebit", format_decimal(debit)))
                xf.write(e.el("TotalCredit", format_decimal(credit)))
                if vouchers:
                    with xf.element(e.q("Journal")):
                        for tag, text in (("JournalID", "GL"), ("Description", f"Hovedbok {year}"), ("Type", "GL")):
                            xf.write(e.el(tag, text))
                        for voucher, groups in vouchers.items():
                            xf.write(_transaction(e, str(voucher), groups), "\n")
    return {"accounts": len(accounts), "transactions": len(vouchers), "lines": len(written), "shares": len(rows)}


def _rows(entries: pd.DataFrame) -> list[dict]:
    """The lines as plain dicts (dims parsed, missing codes as None), in posting order."""
    columns = ["voucher", "date", "account", "amount", "statskonto", "artskonto", "text", "dims", "src_line"]
    frame = entries[columns].astype(object).where(entries[columns].notna(), None)
    rows = frame.to_dict("records")
    for row in rows:
        row["amount"] = int(row["amount"])
        row["dims"] = json.loads(row["dims"] or "{}")
    return rows


def _place(groups: list[list[dict]], row: dict) -> None:
    """Add ``row`` to a voucher's lines: to the last one, when it is a share of the same split line."""
    if groups and _split_type(groups[-1] + [row]) is not None:
        groups[-1].append(row)
    else:
        groups.append([row])


def _split_type(group: list[dict]) -> str | None:
    """The one analysis type whose values tell the lines of ``group`` apart, if they are one split line.

    They are when they come from one source line (``src_line``, not 0), on one
    account with one text, and their analyses have the same types and differ in
    exactly one of them.
    """
    first = group[0]
    if not first["src_line"] or any(r["src_line"] != first["src_line"] or r["account"] != first["account"]
                                    or r["text"] != first["text"] for r in group):
        return None
    analyses = [dict(r["analyses"]) for r in group]
    if any(a.keys() != analyses[0].keys() or len(a) != len(r["analyses"]) for a, r in zip(analyses, group)):
        return None
    differing = {k for a in analyses[1:] for k in a if a[k] != analyses[0][k]}
    return differing.pop() if len(differing) == 1 else None


class _Elements:
    """Element factory in the SAF-T namespace (children via ``sub``, no repeated declarations)."""

    def q(self, tag: str) -> str:
        return f"{{{NAMESPACE}}}{tag}"

    def el(self, tag: str, text: str | None = None, *children) -> etree._Element:
        element = etree.Element(self.q(tag), nsmap={"n1": NAMESPACE})
        if text is not None:
            element.text = _clean(text)
        element.extend(children)
        return element

    def sub(self, parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, self.q(tag))
        if text is not None:
            element.text = text
        return element


def _clean(text: object, limit: int | None = None) -> str:
    value = _INVALID_XML.sub("\ufffd", str(text))
    return value[:limit] if limit else value


def _header(e: _Elements, year: int, company: Company, created: dt.date) -> etree._Element:
    return e.el(
        "Header", None,
        e.el("AuditFileVersion", "1.30"), e.el("AuditFileCountry", "NO"),
        e.el("AuditFileDateCreated", created.isoformat()),
        e.el("SoftwareCompanyName", "ledger"), e.el("SoftwareID", "ledger"),
        e.el("SoftwareVersion", ledger.__version__[:18]),
        e.el("Company", None,
             e.el("RegistrationNumber", _clean(company.registration_number, 35)),
             e.el("Name", _clean(company.name, 256)),
             e.el("Contact", None, e.el("ContactPerson", None,
                                        e.el("FirstName", _clean(company.contact_first_name, 35)),
                                        e.el("LastName", _clean(company.contact_last_name, 70))))),
        e.el("DefaultCurrencyCode", "NOK"),
        e.el("SelectionCriteria", None, e.el("PeriodStart", "1"), e.el("PeriodStartYear", str(year)),
             e.el("PeriodEnd", "12"), e.el("PeriodEndYear", str(year))),
        e.el("TaxAccountingBasis", "A"),
    )


def _account(e: _Elements, row, opening: int, closing: int) -> etree._Element:
    skp = row.skp if isinstance(row.skp, str) else ""
    return e.el(
        "Account", None,
        e.el("AccountID", row.code), e.el("AccountDescription", _clean(row.name or row.code, 256)),
        e.el("GroupingCategory", STATE_GROUPING), e.el("GroupingCode", skp[:35]),
        e.el("AccountType", "GL"),
        e.el("OpeningDebitBalance" if opening >= 0 else "OpeningCreditBalance", format_decimal(abs(opening))),
        e.el("ClosingDebitBalance" if closing >= 0 else "ClosingCreditBalance", format_decimal(abs(closing))),
    )


def _analysis_types(names: set[str]) -> dict[str, str]:
    """Dimension name → AnalysisType code (the name itself when short enough and not reserved)."""
    reserved = {STATSKONTO_ANALYSIS, ARTSKONTO_ANALYSIS}
    codes: dict[str, str] = {}
    taken = set(reserved) | {n for n in names if len(n) <= _MAX_TYPE and n and n not in reserved}
    counter = 0
    for name in sorted(names):
        if len(name) <= _MAX_TYPE and name and name not in reserved:
            codes[name] = name
            continue
        while f"D{counter:02d}" in taken:
            counter += 1
        codes[name] = f"D{counter:02d}"
        taken.add(codes[name])
    return codes


def _line_analyses(row: dict, types: dict[str, str]) -> list[tuple[str, str]]:
    found = [(types[k], str(v)) for k, v in sorted(row["dims"].items())]
    if row["statskonto"]:
        found.append((STATSKONTO_ANALYSIS, row["statskonto"]))
    if row["artskonto"]:
        found.append((ARTSKONTO_ANALYSIS, row["artskonto"]))
    return found


def _analysis_table(e: _Elements, rows: list[dict], types: dict[str, str]):
    descriptions = {code: name for name, code in types.items()}
    descriptions[STATSKONTO_ANALYSIS] = "Statskonto (kapittel.post)"
    descriptions[ARTSKONTO_ANALYSIS] = "Artskonto"
    used = sorted({pair for row in rows for pair in row["analyses"]})
    # AnalysisTypeTable's AnalysisID holds at most 35 characters; longer ids stay on the lines only.
    used = [(t, i) for t, i in used if len(_clean(i)) <= 35]
    if not used:
        return None
    table = e.el("AnalysisTypeTable")
    for t, i in used:
        entry = e.sub(table, "AnalysisTypeTableEntry")
        e.sub(entry, "AnalysisType", t)
        e.sub(entry, "AnalysisTypeDescription", _clean(descriptions.get(t, t), 256))
        e.sub(entry, "AnalysisID", _clean(i))
        e.sub(entry, "AnalysisIDDescription", _clean(i, 256))
    return table


def _transaction(e: _Elements, voucher: str, groups: list[list[dict]]) -> etree._Element:
    first = groups[0][0]
    date = str(first["date"])
    parsed = dt.date.fromisoformat(date)
    tx = e.el("Transaction")
    for tag, text in (("TransactionID", _clean(voucher)), ("Period", str(parsed.month)),
                      ("PeriodYear", str(parsed.year)), ("TransactionDate", date),
                      ("Description", _clean(first["text"] or "", 256)), ("SystemEntryDate", date),
                      ("GLPostingDate", date)):
        e.sub(tx, tag, text)
    # Each Line on a line of its own: a posted line's src_line then names its element.
    tx[-1].tail = "\n"
    for number, group in enumerate(groups, start=1):
        line = e.sub(tx, "Line")
        line.tail = "\n"
        _line(e, line, number, group)
    return tx


def _line(e: _Elements, line: etree._Element, number: int, group: list[dict]) -> None:
    """One ``Line``: a posted line, or the shares of a split line with their analysis amounts."""
    row = group[0]
    split = _split_type(group) if len(group) > 1 else None
    e.sub(line, "RecordID", str(number))
    e.sub(line, "AccountID", _clean(row["account"]))
    for kind, value in row["analyses"]:
        for share in (group if kind == split else [None]):
            analysis = e.sub(line, "Analysis")
            e.sub(analysis, "AnalysisType", kind)
            e.sub(analysis, "AnalysisID", _clean(value if share is None else dict(share["analyses"])[kind], 256))
            if share is not None:
                side = e.sub(analysis, "DebitAnalysisAmount" if share["amount"] >= 0 else "CreditAnalysisAmount")
                e.sub(side, "Amount", format_decimal(abs(share["amount"])))
    e.sub(line, "Description", _clean(row["text"] or "", 256))
    amount = sum(r["amount"] for r in group)
    side = e.sub(line, "DebitAmount" if amount >= 0 else "CreditAmount")
    e.sub(side, "Amount", format_decimal(abs(amount)))
