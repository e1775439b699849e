"""Errors a user can cause: a ``Message`` shown in the officer's language, in English in the log (ledger/errors.py)."""

from __future__ import annotations

import errno

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


_SHARING_VIOLATION = 32  # Windows' ERROR_SHARING_VIOLATION: the file is open in another program (Excel)
_NO_RIGHT = N_("không có quyền ghi/đọc ở đây: chọn thư mục khác")
_OS_ERRORS = {
    errno.ENOENT: N_("không có tệp hoặc thư mục này"),
    errno.EISDIR: N_("đây là một thư mục, không phải tệp: chọn một tên tệp"),
    errno.ENOTDIR: N_("một phần của đường dẫn không phải thư mục"),
    errno.EACCES: _NO_RIGHT,
    errno.EPERM: _NO_RIGHT,
    errno.ENOSPC: N_("ổ đĩa đã đầy: giải phóng chỗ trống rồi thử lại"),
    errno.EROFS: N_("ổ đĩa chỉ cho đọc: chọn thư mục khác"),
    errno.EEXIST: N_("tệp đã có"),
}


def os_error_text(err: OSError) -> str:
    """An operating-system file error in the officer's language, naming the file: "không ghi/đọc được tệp X: lý do".

    The library's English text never reaches the officer (issue 10.5); unknown codes get a general reason. Shown by
    the command line and by the GUI's error presenter (a report saved over a file open in Excel, a full disk)."""
    from fundapp.ledger.db import scrub

    if getattr(err, "winerror", None) == _SHARING_VIOLATION:
        reason = msg(N_("tệp đang mở trong một chương trình khác (Excel, trình xem PDF): đóng tệp rồi thử lại"))
    else:
        reason = msg(_OS_ERRORS.get(err.errno or 0, N_("lỗi hệ điều hành khi ghi/đọc tệp")))
    if err.filename:
        return str(msg("không ghi/đọc được tệp {path}: {reason}", path=scrub(str(err.filename)), reason=reason))
    return str(msg("không ghi/đọc được tệp: {reason}", reason=reason))
