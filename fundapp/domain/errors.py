"""Errors of the loan rules: each carries a Vietnamese message for people and an English twin for logs."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule of DOMAIN.md refused something.

    ``field`` names the offending term or transaction field (or ``None``), ``vi`` is the
    message shown to an officer, ``en`` the same in English for logs.
    """

    def __init__(self, vi: str, en: str, field: str | None = None) -> None:
        super().__init__(vi)
        self.vi = vi
        self.en = en
        self.field = field

    def __str__(self) -> str:
        return self.vi


class TermsError(DomainError):
    """Loan terms that make no sense (names the field)."""


class TransactionRefused(DomainError):
    """A disbursement or repayment the rules refuse; nothing is applied."""
