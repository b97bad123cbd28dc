"""The statements by name: ``ledger show NAME YEAR`` and the export look them up here.

A statement is a pure function ``YearData -> DataFrame`` returning the evaluated
layout (``line_id, label, kind, note_ref`` and one int64 øre column per layout
column; see :func:`ledger.layout.evaluate`).  Modules register with
:func:`statement`; :data:`MODULES` lists the modules to import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pandas as pd

from statements.inputs import YearData

StatementFunction = Callable[[YearData], pd.DataFrame]
_REGISTRY: dict[str, StatementFunction] = {}
# The modules that register statements, imported on first use.
MODULES = ("statements.cash", "statements.srs")


def statement(*names: str) -> Callable[[StatementFunction], StatementFunction]:
    """Register a function under one or more statement ids (``bevilgning``, ``note_3`` …)."""
    def register(function: StatementFunction) -> StatementFunction:
        for name in names:
            _REGISTRY[name] = function
        return function
    return register


def available() -> dict[str, StatementFunction]:
    """Every registered statement, importing the statement modules that exist."""
    for module in MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return dict(_REGISTRY)


def compute(name: str, data: YearData) -> pd.DataFrame:
    """Compute statement ``name`` for ``data``; KeyError for an unknown name."""
    return available()[name](data)
