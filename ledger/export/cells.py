"""Writing cells: text is always text, amounts always numbers.

openpyxl stores a string that starts with ``=`` as a formula.  Text from the books
(voucher texts, agency facts, anything typed by a person) must never become one
(spreadsheet formula injection), so :func:`write_text` forces the string data
type and, for text that starts with ``= + - @``, Excel's quote prefix, which keeps
it text also when the cell is edited.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from ledger.export.neutral import FORMULA_STARTS


def write_text(sheet: Worksheet, row: int, column: int, text: object) -> Cell:
    """Write ``text`` as a plain string cell (never a formula)."""
    cell = sheet.cell(row=row, column=column)
    value = "" if text is None else str(text)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def write_number(sheet: Worksheet, row: int, column: int, value: int | float, number_format: str) -> Cell:
    """Write a number with ``number_format`` (ints stay ints)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.number_format = number_format
    return cell
