"""A writable copy of the packaged reference data, for tests that break or change one table."""

from __future__ import annotations

import shutil
from pathlib import Path

from ledger.chart_of_accounts import DATA_DIR


def copy_data(target: Path) -> Path:
    """Copy the packaged data directory to ``target`` (without Python files) and return it."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def append(path: Path, line: str) -> None:
    """Append one CSV row to a table."""
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def replace(path: Path, old: str, new: str) -> None:
    """Replace text in a table (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
