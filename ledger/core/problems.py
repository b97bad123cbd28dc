"""Problems found in a file, as values: file, row, rule and message.

Loaders of reference data and input documents collect every problem of a file (or of
a whole folder) before they give up, like beancount's loader returns ``(entries,
errors)``: a user who fixes one row should not meet the next only on the next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs


@attrs.frozen
class Problem:
    """One broken rule: where (``file``, 1-based ``row`` or None for the whole file), which rule, what."""

    file: str
    row: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        return f"{where}: [{self.rule}] {self.message}"


def problem(file: str | Path, row: int | None, rule: str, message: str) -> Problem:
    """A :class:`Problem` naming ``file`` by its name only (the folder is the caller's)."""
    return Problem(Path(file).name if str(file) else "", row, rule, message)


class ProblemsError(ValueError):
    """One or more problems; ``str()`` lists them one per line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def rule(self) -> str:
        """The rule of the first problem."""
        return self.problems[0].rule if self.problems else ""


class Problems:
    """A collector: ``add`` problems while reading on, then ``raise_if_any`` at the end."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, file: str | Path, row: int | None, rule: str, message: str) -> None:
        """Record one problem."""
        self.found.append(problem(file, row, rule, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere."""
        self.found.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self, error: type[ProblemsError] = ProblemsError) -> None:
        """Raise ``error`` with every problem recorded, if there is one."""
        if self.found:
            raise error(self.found)
