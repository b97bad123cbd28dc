"""Reading the reference tables (CSV files with a header row and a ``source`` column).

Every table of ``chart_of_accounts/`` (and of an agency's folder) is read here, row by
row with its line number, so that every problem names file, row and rule.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ledger.core.problems import Problem, ProblemsError, problem


class ChartError(ProblemsError):
    """Reference data (chart, budget, layout, mapping, rule table) that breaks a rule.

    ``ChartError(file, row, rule, message)`` for one problem, or ``ChartError.of(problems)``
    for all the problems a loader found.  ``str()`` gives one line per problem:
    ``file:row: [rule] message``.
    """

    def __init__(self, file: str | Path | None = None, row: int | None = None, rule: str = "",
                 message: str = "", *, problems: tuple[Problem, ...] | None = None):
        if problems is None:
            problems = (problem(file or "", row, rule, message),)
        super().__init__(problems)
        first = self.problems[0]
        self.file, self.row = first.file, first.row

    @classmethod
    def of(cls, problems) -> ChartError:
        """The error of several problems."""
        return cls(problems=tuple(problems))


def package_data_dir() -> Path:
    """The state's reference data installed with the package (``ledger.chart_of_accounts``)."""
    from ledger.chart_of_accounts import DATA_DIR

    return DATA_DIR


def resolve_data_dir(path: str | Path | None = None) -> Path:
    """The data directory to read: ``path``, or the packaged state data."""
    return Path(path) if path is not None else package_data_dir()


def read_table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV as (line number, stripped dict); line 1 is the header.

    The line number is the physical line of the row's first field, so a quoted
    field with a line break does not shift the numbers of later rows.
    """
    if not path.exists():
        raise ChartError(path, None, "missing-file", f"{path} does not exist")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from _rows(csv.DictReader(handle))


def table_rows(path: Path, content: bytes | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of the table ``path``, or of ``content`` when given (``path`` then only names it)."""
    return read_text_table(content, str(path)) if content is not None else read_table(path)


def read_text_table(content: bytes, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """:func:`read_table` for the content of a document (``name`` names it in errors)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChartError(name, None, "encoding", f"not UTF-8 (byte {exc.start})") from None
    yield from _rows(csv.DictReader(io.StringIO(text, newline="")))


def _rows(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
    for row in reader:
        # line_num is the row's last physical line: step back over quoted line breaks
        breaks = sum(str(v).count("\n") for v in row.values() if isinstance(v, str))
        yield reader.line_num - breaks, {k: (v or "").strip() for k, v in row.items() if k}


def header_of(content: bytes) -> list[str]:
    """The column names of a CSV document (empty if it has none)."""
    text = content.decode("utf-8-sig", errors="replace")
    return [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
