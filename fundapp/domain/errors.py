"""Errors of the loan rules: each carries its message as a ``Message`` (Vietnamese template + parameters).

The text is rendered in the officer's language outside the domain (``fundapp.i18n``); ``vi`` renders the
Vietnamese source.
"""

from __future__ import annotations

from .messages import Message, Worded, as_message


class MessageError(Worded, Exception):
    """An error that carries its text as a ``Message`` and names the field it is about: the domain's refusals
    (``DomainError``) and those the officer sees (``ledger.errors.UserFacingError``) are both built this way.

    ``MessageError(message, field=None)``: ``message`` a ``Message`` or a msgid (``N_("…")``), kept as ``msg``;
    ``field`` the offending field's name or None. ``args`` holds the Vietnamese text; ``vi``/``en`` (``Worded``) the
    text in Vietnamese and in English.
    """

    def __init__(self, message: Message | str, *, field: str | None = None) -> None:
        self.msg = as_message(message)
        self.field = field
        super().__init__(self.msg.render())


class DomainError(MessageError, ValueError):
    """A rule of DOMAIN.md refused something.

    ``DomainError(msg("… {x} …", x=…), field="amount")``: ``msg`` is the ``Message``, ``field`` names the
    offending term or transaction field (or ``None``), ``vi`` is the Vietnamese text, ``en`` the English
    (``fundapp.i18n.render(err.msg, "en")``, through the lookup ``fundapp.i18n`` registers).
    """

    def __str__(self) -> str:
        return self.vi


class TermsError(DomainError):
    """Loan terms that make no sense (names the field)."""


class TransactionRefused(DomainError):
    """A disbursement or repayment the rules refuse; nothing is applied."""
