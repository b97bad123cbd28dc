"""Statements: pure functions of a year's posted lines, its inputs and the reference data.

Installed as ``ledger.statements`` (source folder ``statements/``).  :mod:`.year_data`
assembles what a statement reads, :mod:`.base` holds what they share, :mod:`.registry`
names them.
"""
