"""Small SAF-T files and charts shared by the SAF-T tests."""

from __future__ import annotations

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

# The accounts of SMALL_130 and of the example file, role none (as `init --chart-from` makes them).
SAFT_CHART = [
    ("1930", "KK innbetalinger", "193", None), ("2400", "Leverandørgjeld", "240", None),
    ("6730", "Konsulenter", "673", None), ("2740", "Mva", None, None),
    ("1925", "Bankkonto", None, None), ("4000", "Varekjøp", None, None),
]
