"""The refusals the storage layer itself can raise, already worded for the officer.

``UserFacingError`` lives here (and is re-exported by ``fundapp.services.errors``) so that the unit
of work in ``ledger/db.py`` can turn a database conflict, a full disk or a broken book file into a
Vietnamese message in one place, without the ledger importing the services.
"""

from __future__ import annotations

from fundapp.domain.errors import DomainError


class UserFacingError(Exception):
    """A refusal the officer can fix: ``message`` is shown as is (Vietnamese), ``english`` is its twin."""

    def __init__(self, message: str, english: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.english = english or message
        self.field = field

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_domain(cls, err: DomainError, prefix: str = "") -> UserFacingError:
        return cls(prefix + err.vi, prefix + err.en, err.field)


class StaleEdit(UserFacingError):
    """Someone else changed the record since it was read, or took the same number first (shared book)."""


class BookBusy(UserFacingError):
    """Another process holds the book's write lock longer than the wait allows (SQLite)."""


class DiskFull(UserFacingError):
    """The disk (or the book's size limit) is full: the transaction was rolled back, the book is as it was."""


class BookUnavailable(UserFacingError):
    """The book cannot be opened or written: not a fundapp book, broken, newer, read-only, unreachable."""


class BookInUse(BookUnavailable):
    """The SQLite book is held by a live process on another computer (``holders`` says who)."""

    def __init__(self, message: str, english: str, holders: list[dict]) -> None:
        super().__init__(message, english)
        self.holders = holders


CONFLICT_VI = "Người khác vừa thay đổi dữ liệu này, vui lòng thử lại"
CONFLICT_EN = "someone else has just changed this data, please try again"
