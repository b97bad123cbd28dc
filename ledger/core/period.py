"""A reporting period: a year (``2024``) or a month of it (``2024-03``).

A month period is read *year to date* through the month (1 January to the month's last
day), or with ``month_only`` the month alone.  The whole year is month 12 year to date
plus the year's opening balance, which a year-to-date month also holds.
"""

from __future__ import annotations

import calendar
import re

import attrs

from ledger.core.records import FIRST_YEAR, LAST_YEAR

_PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")


class PeriodError(ValueError):
    """A period that is not ``YYYY`` or ``YYYY-MM`` in the years the books accept."""


@attrs.frozen
class Period:
    """``year`` and ``month`` (None: the whole year); ``month_only``: the month alone, not year to date."""

    year: int
    month: int | None = None
    month_only: bool = False

    @property
    def is_month(self) -> bool:
        """Whether this is a month rather than a whole year."""
        return self.month is not None

    @property
    def first_date(self) -> str:
        """The first day the period covers (ISO): 1 January, or the month's first day when month only."""
        month = self.month if self.month_only and self.month else 1
        return f"{self.year:04d}-{month:02d}-01"

    @property
    def last_date(self) -> str:
        """The last day the period covers (ISO)."""
        month = self.month or 12
        return f"{self.year:04d}-{month:02d}-{calendar.monthrange(self.year, month)[1]:02d}"

    @property
    def yyyymm(self) -> str:
        """``202403`` (the public file's ``Periode``), or ``2024`` for a year."""
        return f"{self.year:04d}{self.month:02d}" if self.month else f"{self.year:04d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def describe(self) -> str:
        """``2024-03 (1 January to 31 March 2024)`` and the like, for a heading."""
        if not self.month:
            return f"{self.year}"
        what = "the month alone" if self.month_only else "year to date"
        return f"{self} ({what}: {self.first_date} to {self.last_date})"


def parse_period(text: str, month_only: bool = False) -> Period:
    """``2024`` or ``2024-03`` as a :class:`Period` (:class:`PeriodError` naming what is wrong).

    ``month_only`` on a year is refused: a year has no single month.
    """
    found = _PERIOD.match(str(text).strip())
    if not found:
        raise PeriodError(f"period {text!r} is neither a year (2024) nor a month (2024-03)")
    year, month = int(found.group(1)), found.group(2)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}, the years the books accept")
    if month is not None and not 1 <= int(month) <= 12:
        raise PeriodError(f"period {text!r}: month {month} is not 01-12")
    if month is None and month_only:
        raise PeriodError(f"--month-only needs a month (e.g. {year}-03), not the year {year}")
    return Period(year, int(month) if month is not None else None, month_only)
