"""Errors a user can cause: a ``Message`` shown in the officer's language, in English in the log (ledger/errors.py)."""

from __future__ import annotations

from fundapp.domain.messages import N_, Message, Verbatim, join, msg
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
    """An import with bad rows: nothing was written. ``messages`` keeps every problem as a Message
    ``file:line: reason`` (a str given is text shown as is); ``problems`` is their text in the officer's language."""

    def __init__(self, problems: list[Message | str]) -> None:
        self.messages = [p if isinstance(p, Message) else Verbatim(p) for p in problems]
        self.unusual_rates_only = False  # every problem is a rate outside 0,5–30 %/năm: confirm and import again
        self.unusual_rates = 0  # how many of them are (the command line then says how to confirm them)
        super().__init__(msg(N_("Không nhập dữ liệu: {count} dòng có lỗi, chưa ghi gì vào sổ.\n{problems}"),
                             count=len(problems), problems=join("\n", self.messages)))

    @property
    def problems(self) -> list[str]:
        """Every problem as text (``file:line: reason``) in the officer's current language."""
        return [str(m) for m in self.messages]
