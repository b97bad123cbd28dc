"""Small SAF-T files and charts shared by the SAF-T tests."""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "ExampleFile SAF-T Financial_999999999_20161125213512.xml"

# A small, valid SAF-T 1.30 file: balanced opening balances, closing = opening + movements.
SMALL_130 = """<?xml version="1.0" encoding="UTF-8"?>
<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO">
 <n1:Header>
  <n1:AuditFileVersion>1.30</n1:AuditFileVersion>
  <n1:AuditFileCountry>NO</n1:AuditFileCountry>
  <n1:AuditFileDateCreated>2025-01-15</n1:AuditFileDateCreated>
  <n1:SoftwareCompanyName>Test</n1:SoftwareCompanyName>
  <n1:SoftwareID>Test</n1:SoftwareID>
  <n1:SoftwareVersion>1</n1:SoftwareVersion>
  <n1:Company>
   <n1:RegistrationNumber>999999999</n1:RegistrationNumber>
   <n1:Name>Direktoratet for prøving</n1:Name>
   <n1:Contact><n1:ContactPerson><n1:FirstName>Kari</n1:FirstName><n1:LastName>Nordmann</n1:LastName></n1:ContactPerson></n1:Contact>
  </n1:Company>
  <n1:DefaultCurrencyCode>NOK</n1:DefaultCurrencyCode>
  <n1:SelectionCriteria>
   <n1:PeriodStart>1</n1:PeriodStart><n1:PeriodStartYear>2024</n1:PeriodStartYear>
   <n1:PeriodEnd>12</n1:PeriodEnd><n1:PeriodEndYear>2024</n1:PeriodEndYear>
  </n1:SelectionCriteria>
  <n1:TaxAccountingBasis>A</n1:TaxAccountingBasis>
 </n1:Header>
 <n1:MasterFiles>
  <n1:GeneralLedgerAccounts>
   <n1:Account><n1:AccountID>1930</n1:AccountID><n1:AccountDescription>KK innbetalinger</n1:AccountDescription>
    <n1:GroupingCategory>KS</n1:GroupingCategory><n1:GroupingCode>193</n1:GroupingCode><n1:AccountType>GL</n1:AccountType>
    <n1:OpeningDebitBalance>1000.00</n1:OpeningDebitBalance><n1:ClosingDebitBalance>875.00</n1:ClosingDebitBalance></n1:Account>
   <n1:Account><n1:AccountID>2400</n1:AccountID><n1:AccountDescription>Leverandørgjeld</n1:AccountDescription>
    <n1:GroupingCategory>KS</n1:GroupingCategory><n1:GroupingCode>240</n1:GroupingCode><n1:AccountType>GL</n1:AccountType>
    <n1:OpeningCreditBalance>1000.00</n1:OpeningCreditBalance><n1:ClosingCreditBalance>1000.00</n1:ClosingCreditBalance></n1:Account>
   <n1:Account><n1:AccountID>6730</n1:AccountID><n1:AccountDescription>Konsulenter</n1:AccountDescription>
    <n1:GroupingCategory>KS</n1:GroupingCategory><n1:GroupingCode>673</n1:GroupingCode><n1:AccountType>GL</n1:AccountType>
    <n1:OpeningDebitBalance>0</n1:OpeningDebitBalance><n1:ClosingDebitBalance>100.00</n1:ClosingDebitBalance></n1:Account>
   <n1:Account><n1:AccountID>2740</n1:AccountID><n1:AccountDescription>Mva</n1:AccountDescription>
    <n1:GroupingCategory>RF-1167</n1:GroupingCategory><n1:GroupingCode>2740</n1:GroupingCode><n1:AccountType>GL</n1:AccountType>
    <n1:OpeningDebitBalance>0</n1:OpeningDebitBalance><n1:ClosingDebitBalance>25.00</n1:ClosingDebitBalance></n1:Account>
  </n1:GeneralLedgerAccounts>
 </n1:MasterFiles>
 <n1:GeneralLedgerEntries>
  <n1:NumberOfEntries>2</n1:NumberOfEntries>
  <n1:TotalDebit>250.00</n1:TotalDebit>
  <n1:TotalCredit>250.00</n1:TotalCredit>
  <n1:Journal>
   <n1:JournalID>GL</n1:JournalID><n1:Description>Hovedbok</n1:Description><n1:Type>GL</n1:Type>
   <n1:Transaction>
    <n1:TransactionID>T1</n1:TransactionID><n1:Period>3</n1:Period><n1:PeriodYear>2024</n1:PeriodYear>
    <n1:TransactionDate>2024-03-01</n1:TransactionDate><n1:Description>Faktura</n1:Description>
    <n1:SystemEntryDate>2024-03-01</n1:SystemEntryDate><n1:GLPostingDate>2024-03-01</n1:GLPostingDate>
    <n1:Line><n1:RecordID>1</n1:RecordID><n1:AccountID>6730</n1:AccountID>
     <n1:Analysis><n1:AnalysisType>A</n1:AnalysisType><n1:AnalysisID>100</n1:AnalysisID></n1:Analysis>
     <n1:Analysis><n1:AnalysisType>ARTSKONTO</n1:AnalysisType><n1:AnalysisID>673</n1:AnalysisID></n1:Analysis>
     <n1:Description>Konsulent</n1:Description><n1:DebitAmount><n1:Amount>100.00</n1:Amount></n1:DebitAmount></n1:Line>
    <n1:Line><n1:RecordID>2</n1:RecordID><n1:AccountID>2740</n1:AccountID>
     <n1:Description>Mva</n1:Description><n1:DebitAmount><n1:Amount>25.00</n1:Amount></n1:DebitAmount></n1:Line>
    <n1:Line><n1:RecordID>3</n1:RecordID><n1:AccountID>2400</n1:AccountID>
     <n1:Description>Faktura</n1:Description><n1:CreditAmount><n1:Amount>125.00</n1:Amount></n1:CreditAmount></n1:Line>
   </n1:Transaction>
   <n1:Transaction>
    <n1:TransactionID>T2</n1:TransactionID><n1:Period>4</n1:Period><n1:PeriodYear>2024</n1:PeriodYear>
    <n1:TransactionDate>2024-04-02</n1:TransactionDate><n1:Description>Betaling</n1:Description>
    <n1:SystemEntryDate>2024-04-02</n1:SystemEntryDate><n1:GLPostingDate>2024-04-02</n1:GLPostingDate>
    <n1:Line><n1:RecordID>1</n1:RecordID><n1:AccountID>2400</n1:AccountID>
     <n1:Description>Betaling</n1:Description><n1:DebitAmount><n1:Amount>125.00</n1:Amount></n1:DebitAmount></n1:Line>
    <n1:Line><n1:RecordID>2</n1:RecordID><n1:AccountID>1930</n1:AccountID>
     <n1:Description>Betaling</n1:Description><n1:CreditAmount><n1:Amount>125.00</n1:Amount></n1:CreditAmount></n1:Line>
   </n1:Transaction>
  </n1:Journal>
 </n1:GeneralLedgerEntries>
</n1:AuditFile>
"""

SPLIT_110 = DATA / "split-analyses-1.10.xml"  # lines split over departments and projects
SPLIT_130 = DATA / "split-analyses-1.30.xml"  # the same postings in 1.30

# The accounts of SMALL_130, the example file and the split files, role none (as
# `init --chart-from` makes them).
SAFT_CHART = [
    ("1930", "KK innbetalinger", "193", None), ("2400", "Leverandørgjeld", "240", None),
    ("6730", "Konsulenter", "673", None), ("2740", "Mva", None, None),
    ("1925", "Bankkonto", None, None), ("4000", "Varekjøp", None, None),
    ("1940", "KK utbetalinger", "194", None), ("5000", "Lønn", "500", None), ("6300", "Leie lokaler", "630", None),
]


# -- a generated SAF-T file of any size (memory and speed tests, benchmarks) ----------------

# Accounts of the generated file: id, name, KS code, opening balance (øre, debit +).
GENERATED_ACCOUNTS = [
    ("1500", "Kundefordringer", "150", 0), ("1920", "Bankinnskudd", "192", 500_000_000),
    ("2400", "Leverandørgjeld", "240", -500_000_000), ("2710", "Inngående merverdiavgift", None, 0),
    ("3000", "Salgsinntekt", "300", 0), ("4000", "Varekjøp", "400", 0),
    ("6300", "Leie lokaler", "630", 0), ("6730", "Andre konsulenttjenester", "673", 0),
]


def _kroner(ore: int) -> str:
    return f"{ore // 100}.{ore % 100:02d}"


def _generated_line(record: int, account: str, amount: int, text: str,
                    shares: tuple[tuple[str, str, int], ...] = ()) -> str:
    """One ``Line`` on one physical line; ``shares`` (type, id, øre) as split analyses."""
    side = "DebitAmount" if amount >= 0 else "CreditAmount"
    analyses = "".join(
        f"<n1:Analysis><n1:AnalysisType>{kind}</n1:AnalysisType><n1:AnalysisID>{ident}</n1:AnalysisID>"
        f"<n1:{'Debit' if share >= 0 else 'Credit'}AnalysisAmount><n1:Amount>{_kroner(abs(share))}</n1:Amount>"
        f"</n1:{'Debit' if share >= 0 else 'Credit'}AnalysisAmount></n1:Analysis>"
        for kind, ident, share in shares)
    return (f"    <n1:Line><n1:RecordID>{record}</n1:RecordID><n1:AccountID>{account}</n1:AccountID>{analyses}"
            f"<n1:Description>{text}</n1:Description><n1:{side}><n1:Amount>{_kroner(abs(amount))}</n1:Amount>"
            f"</n1:{side}></n1:Line>\n")


def _split(amount: int, ids: tuple[str, ...], kind: str) -> tuple[tuple[str, str, int], ...]:
    """``amount`` over ``ids``: equal shares, the last takes the øre left over."""
    each = int(amount / len(ids))
    return tuple((kind, ident, each if n < len(ids) - 1 else amount - each * (len(ids) - 1))
                 for n, ident in enumerate(ids))


def generated_transaction(number: int) -> list[tuple[str, int, str, tuple]]:
    """The lines (account, øre, text, split shares) of generated transaction ``number``.

    Three kinds in turn: a supplier invoice with VAT whose cost is split over two or
    three departments (A), a payment, and a sale split over projects (P).
    """
    base = (number * 7919) % 1_000_000 + 10_000
    if number % 3 == 0:
        account = ("6730", "6300", "4000")[number % 9 // 3]
        departments = ("100", "101", "102")[: 2 + number % 2]
        return [(account, base, f"Faktura {number} kjøp – «æøå»", _split(base, departments, "A")),
                ("2710", base // 4, "Inngående mva", ()),
                ("2400", -(base + base // 4), f"Leverandørgjeld faktura {number}", ())]
    if number % 3 == 1:
        return [("2400", base, f"Betaling {number}", ()), ("1920", -base, f"Betaling {number}", ())]
    return [("1500", base, f"Salg {number}", ()),
            ("3000", -base, f"Salg {number}", _split(-base, ("200", "203"), "P"))]


def write_generated_saft(path: Path, transactions: int) -> dict[str, int]:
    """Write a valid SAF-T 1.30 file of ``transactions`` generated transactions; return its totals.

    Deterministic.  The entries go to a side file first, so that the control totals
    and closing balances (opening + movements) can be written before them.
    """
    balances = {a[0]: a[3] for a in GENERATED_ACCOUNTS}
    debit = credit = lines = 0
    entries = path.with_name(path.name + ".entries")
    with entries.open("w", encoding="utf-8") as out:
        for number in range(transactions):
            month = number * 12 // max(transactions, 1) + 1
            date = f"2024-{month:02d}-{number % 28 + 1:02d}"
            rows = generated_transaction(number)
            out.write(f"   <n1:Transaction><n1:TransactionID>G{number}</n1:TransactionID><n1:Period>{month}"
                      f"</n1:Period><n1:PeriodYear>2024</n1:PeriodYear><n1:TransactionDate>{date}"
                      f"</n1:TransactionDate><n1:Description>{rows[0][2]}</n1:Description><n1:SystemEntryDate>"
                      f"{date}</n1:SystemEntryDate><n1:GLPostingDate>{date}</n1:GLPostingDate>\n")
            for record, (account, amount, text, shares) in enumerate(rows, start=1):
                out.write(_generated_line(record, account, amount, text, shares))
                balances[account] += amount
                debit += max(amount, 0)
                credit += max(-amount, 0)
                lines += 1
            out.write("   </n1:Transaction>\n")
    with path.open("w", encoding="utf-8") as out:
        out.write(SMALL_130.split(" <n1:MasterFiles>")[0])
        out.write(" <n1:MasterFiles>\n  <n1:GeneralLedgerAccounts>\n")
        for code, name, ks, opening in GENERATED_ACCOUNTS:
            # 1.30 requires a grouping; the VAT account has the tax return's, as in SMALL_130.
            category, code_ = ("KS", ks) if ks else ("RF-1167", code)
            grouping = (f"<n1:GroupingCategory>{category}</n1:GroupingCategory>"
                        f"<n1:GroupingCode>{code_}</n1:GroupingCode>")
            out.write(f"   <n1:Account><n1:AccountID>{code}</n1:AccountID><n1:AccountDescription>{name}"
                      f"</n1:AccountDescription>{grouping}<n1:AccountType>GL</n1:AccountType>"
                      f"{_balance('Opening', opening)}{_balance('Closing', balances[code])}</n1:Account>\n")
        out.write("  </n1:GeneralLedgerAccounts>\n </n1:MasterFiles>\n <n1:GeneralLedgerEntries>\n")
        out.write(f"  <n1:NumberOfEntries>{transactions}</n1:NumberOfEntries>\n"
                  f"  <n1:TotalDebit>{_kroner(debit)}</n1:TotalDebit>\n"
                  f"  <n1:TotalCredit>{_kroner(credit)}</n1:TotalCredit>\n"
                  "  <n1:Journal><n1:JournalID>GL</n1:JournalID><n1:Description>Hovedbok</n1:Description>"
                  "<n1:Type>GL</n1:Type>\n")
        with entries.open("r", encoding="utf-8") as side:
            shutil.copyfileobj(side, out, 1 << 20)
        out.write("  </n1:Journal>\n </n1:GeneralLedgerEntries>\n</n1:AuditFile>\n")
    entries.unlink()
    return {"transactions": transactions, "lines": lines, "debit": debit, "credit": credit}


def _balance(when: str, amount: int) -> str:
    side = "Debit" if amount >= 0 else "Credit"
    return f"<n1:{when}{side}Balance>{_kroner(abs(amount))}</n1:{when}{side}Balance>"


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.support.saft_helpers OUT MEGABYTES``: a generated file of about that size."""
    import sys

    out, megabytes = (argv or sys.argv[1:])[:2]
    # About 1 050 bytes a transaction (see generated_transaction), measured.
    totals = write_generated_saft(Path(out), int(float(megabytes) * 1_000_000 / 1050))
    print(f"{out}: {Path(out).stat().st_size / 1e6:.1f} MB, {totals['transactions']} transactions, "
          f"{totals['lines']} lines")


if __name__ == "__main__":
    main()
