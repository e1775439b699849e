"""Errors a user can cause: a ``Message`` shown in the officer's language, in English in the log (ledger/errors.py)."""

from __future__ import annotations

from fundapp.domain.messages import N_, msg
from fundapp.ledger.errors import (  # noqa: F401  (re-exported: the one home of the messages)
    CONFLICT,
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
        super().__init__(msg(N_("Không nhập dữ liệu: {count} dòng có lỗi, chưa ghi gì vào sổ.\n{problems}"),
                             count=len(problems), problems="\n".join(problems)))
