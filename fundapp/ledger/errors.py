"""The refusals the storage layer itself can raise, already worded for the officer.

``UserFacingError`` lives here (and is re-exported by ``fundapp.services.errors``) so that the unit
of work in ``ledger/db.py`` can turn a database conflict, a full disk or a broken book file into a
message in one place, without the ledger importing the services.

A refusal carries a ``Message`` (``fundapp.domain.messages``: Vietnamese template + parameters):
``ValidationError(msg("Khoản vay {loan} không có trong sổ", loan=no), field="loan_no")`` or, without
parameters, ``ValidationError(N_("Chưa nhập tên"), field="name")``. ``message`` renders it in the
officer's language (``fundapp.i18n``), ``en`` in English for the log, ``vi`` in Vietnamese (``Worded``).
"""

from __future__ import annotations

from fundapp.domain.errors import DomainError, MessageError
from fundapp.domain.messages import N_, Message, msg
from fundapp.i18n import render


class UserFacingError(MessageError):
    """A refusal the officer can fix: ``msg`` (a ``Message``) shown in the officer's language.

    ``UserFacingError(message, field=None)`` with ``message`` a ``Message`` or a msgid (``N_("…")``); ``field``
    names the form field the GUI marks. There is no English in the code: ``en`` comes from the catalogue.
    """

    @property
    def message(self) -> str:
        """The text in the officer's current language (``fundapp.i18n.language()``): the one way callers take a
        refusal's words (``str(err)`` gives the same, for pytest's ``match=`` and logs)."""
        return render(self.msg)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_domain(cls, err: DomainError) -> UserFacingError:
        """The domain's refusal ``err`` as this kind of refusal: same message, same field."""
        return cls(err.msg, field=err.field)


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

    def __init__(self, message: Message | str, *, holders: list[dict] | None = None) -> None:
        super().__init__(message)
        self.holders = holders or []


CONFLICT = msg(N_("Người khác vừa thay đổi dữ liệu này, vui lòng thử lại"))
