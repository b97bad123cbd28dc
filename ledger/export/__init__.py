"""Export of the annual accounts: the xlsx workbook and the tidy CSV/JSON table.

- :mod:`ledger.export.accounts` — the computed annual accounts (statement tables in
  publication order, cover facts, check results) as one value;
- :mod:`ledger.export.xlsx` — a pure function from that value to an openpyxl workbook;
- :mod:`ledger.export.tidy` — the same figures as one tidy table (CSV, JSON);
- :mod:`ledger.export.cells` — writing cells safely (book text is never a formula).
"""
