"""What the books raise: books that cannot be used as asked, and a batch refused."""

from __future__ import annotations

from ledger.core.records import Violation


class BooksError(Exception):
    """Books that cannot be opened, created or changed as asked."""


class PostingRefused(BooksError):
    """A batch that was not posted; the books are unchanged."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} violation(s); nothing was posted")
