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


# a row whose key or reference the book already holds (services.import_checks, import_fields, import_write): when
# every problem is one of these, the source looks imported before and the refusal says so first
IN_BOOK_KEY = N_("{what} «{key}» đã có trong sổ")
IN_BOOK_REFERENCE = N_("{what} (reference) «{reference}» bị trùng trong sổ")
ALREADY_IMPORTED = N_("Sổ đã có sẵn mọi dòng bị từ chối dưới đây (cùng mã khách hàng, số hợp đồng hoặc số chứng từ): "
                      "có vẻ dữ liệu này đã được nhập vào sổ trước đây, không cần nhập lại.")


class ImportRefused(UserFacingError):
    """An import with bad rows: nothing was written. ``messages`` keeps every problem as a Message
    ``file:line: reason`` (a str given is text shown as is); ``problems`` is their text in the officer's language.

    ``summary`` is the one line the command line ends with and the import page shows (how many rows refused, in how
    many files or sheets, nothing written), led by ``ALREADY_IMPORTED`` when ``already_imported`` (every problem is a
    key or reference the book already holds). ``message``: the every-problem lines between the two."""

    def __init__(self, problems: list[Message | str]) -> None:
        self.messages = [p if isinstance(p, Message) else Verbatim(p) for p in problems]
        self.unusual_rates_only = False  # every problem is a rate outside 0,5–30 %/năm: confirm and import again
        self.unusual_rates = 0  # how many of them are (the command line then says how to confirm them)
        self.already_imported = bool(self.messages) and all(_in_book(m) for m in self.messages)
        sources = {str(m.params["where"]).rsplit(":", 1)[0] for m in self.messages if "where" in m.params}
        count = len(self.messages)
        if not sources:
            tally = msg(N_("Không nhập dữ liệu: {count} dòng có lỗi, chưa ghi gì vào sổ."), count=count)
        else:
            places = (msg("{n} trang tính", n=len(sources)) if all(s.endswith("]") for s in sources)
                      else msg("{n} tệp", n=len(sources)))
            tally = msg("Không nhập dữ liệu: {count} dòng có lỗi trong {places}, chưa ghi gì vào sổ.", count=count,
                        places=places)
        self.summary = join(" ", [msg(ALREADY_IMPORTED), tally]) if self.already_imported else tally
        lines = [*([msg(ALREADY_IMPORTED)] if self.already_imported else []), *self.messages, tally]
        super().__init__(join("\n", lines))

    @property
    def problems(self) -> list[str]:
        """Every problem as text (``file:line: reason``) in the officer's current language."""
        return [str(m) for m in self.messages]


def _in_book(problem: Message) -> bool:
    """Whether ``problem`` (``file:line: reason``) refuses a key or reference the book already holds."""
    reason = problem.params.get("reason")
    return isinstance(reason, Message) and reason.msgid in (IN_BOOK_KEY, IN_BOOK_REFERENCE)


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
