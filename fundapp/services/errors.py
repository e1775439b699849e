"""Errors a user can cause: shown as they are, in Vietnamese, with an English twin for the log."""

from __future__ import annotations

from fundapp.domain.errors import DomainError


class UserFacingError(Exception):
    """A refusal the officer can fix: ``message`` is shown as is (Vietnamese)."""

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


class ValidationError(UserFacingError):
    """A field's value is wrong; the GUI shows the message beside ``field``."""


class NotFound(UserFacingError):
    """A loan, borrower or entry that the book does not have."""


class StaleEdit(UserFacingError):
    """Someone else changed the record since it was read (shared PostgreSQL book)."""


class UserCancelled(Exception):
    """The officer cancelled a long job; nothing was written."""


class ImportRefused(UserFacingError):
    """An import with bad rows: nothing was written; ``problems`` lists every one as ``file:line: reason``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = f"Không nhập dữ liệu: {len(problems)} dòng có lỗi, chưa ghi gì vào sổ."
        super().__init__(head + "\n" + "\n".join(problems), f"import refused: {len(problems)} bad rows, nothing written")
