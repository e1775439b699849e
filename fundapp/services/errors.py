"""Errors a user can cause: shown as they are, in Vietnamese, with an English twin for the log."""

from __future__ import annotations

from fundapp.ledger.errors import (  # noqa: F401  (re-exported: the one home of the messages)
    CONFLICT_EN,
    CONFLICT_VI,
    BookBusy,
    BookInUse,
    BookUnavailable,
    DiskFull,
    StaleEdit,
    UserFacingError,
)


class ValidationError(UserFacingError):
    """A field's value is wrong; the GUI shows the message beside ``field``."""


class NotFound(UserFacingError):
    """A loan, borrower or entry that the book does not have."""


class UserCancelled(Exception):
    """The officer cancelled a long job; nothing was written."""


class ImportRefused(UserFacingError):
    """An import with bad rows: nothing was written; ``problems`` lists every one as ``file:line: reason``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.unusual_rates_only = False  # every problem is a rate outside 0,5–30 %/năm: confirm and import again
        head = f"Không nhập dữ liệu: {len(problems)} dòng có lỗi, chưa ghi gì vào sổ."
        super().__init__(head + "\n" + "\n".join(problems), f"import refused: {len(problems)} bad rows, nothing written")
